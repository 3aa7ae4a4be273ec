/**
 * Messages between a host (Electron's main process, or a Node parent in tests and benchmarks) and the
 * core process. Renderer traffic travels inside them as wire-protocol frames, tagged with the
 * connection (window or socket) it belongs to; settings and secrets stay with the host and are mirrored.
 */
import type { Settings } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/errors';
import type { ServerFrame } from '../../../shared/ipc/wire';

/** What the core process needs to call createCore; everything else stays in the host. */
export interface CoreProcessOptions {
  dataDir: string;
  host: 'electron' | 'web';
  appVersion: string;
  migrationsDir?: string;
  samplePackPath?: string;
  nativeBinding?: string;
  /** The sync worker's entry (electron-vite emits it beside the bundles). */
  workerEntry?: string;
  /** The content worker's entry (likewise). */
  contentWorkerEntry?: string;
}

/** The host's settings and secrets as the core process starts: it answers reads from this copy and writes through. */
export interface StoreSnapshot {
  settings: Settings;
  values: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Why the host refuses to store secrets (no keychain), or null. */
  secretsRefusal: string | null;
}

export type StoreWrite =
  | { store: 'settings'; patch: Partial<Settings> }
  | { store: 'value'; key: string; value: unknown }
  | { store: 'secret'; name: string; value: string | null };

/**
 * The host's answer to one store write: `error` when it could not be saved (e.g. `storage_full`), and the store's value
 * after the attempt (the settings, the value, or the secret or null), so core's mirror matches what is on disk.
 */
export interface StoreAck {
  seq: number;
  error: AppError | null;
  current: unknown;
}

export type HostMessage =
  | { type: 'start'; options: CoreProcessOptions; stores: StoreSnapshot }
  | { type: 'store-ack'; ack: StoreAck }
  | { type: 'frame'; conn: string; frame: unknown }
  | { type: 'disconnect'; conn: string }
  | { type: 'focus' }
  | { type: 'close' };

export type CoreMessage =
  | { type: 'ready' }
  | { type: 'failed'; error: AppError }
  | { type: 'frame'; conn: string; frame: ServerFrame }
  /** A global broadcast (e.g. sync status) for every connection. */
  | { type: 'event'; event: string; payload: unknown }
  /** A write to the host's stores; the host answers each with a `store-ack` of the same seq. */
  | { type: 'store'; seq: number; write: StoreWrite }
  | { type: 'closed' };
