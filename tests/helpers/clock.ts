/** A clock tests move by hand (injected into core; no global time patching). */
import type { Clock } from '../../electron/core/ports';

export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}
