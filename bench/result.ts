/** One benchmark figure; ratio = value / baseline, both measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: string;
}

export function withBaseline(name: string, value: number, unit: string, baseline: number, target: string): BenchResult {
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(value / baseline), target };
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}
