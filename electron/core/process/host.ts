/**
 * The host's handle on the core process: starts it, routes each subscriber's wire frames to it and
 * back, broadcasts its events, applies its settings and secret writes, and closes it. Transport-agnostic:
 * Electron passes a utilityProcess, tests and benchmarks a `child_process.fork` (./fork.ts).
 */
import { AppFailure, toAppError, type AppError } from '../../../shared/errors';
import type { ServerFrame } from '../../../shared/ipc/wire';
import type { SecretStore, SettingsStore } from '../ports';
import type { WireConnection } from '../ipc/wire-server';
import type { CoreMessage, CoreProcessOptions, HostMessage, StoreSnapshot, StoreWrite } from './protocol';

/** The part of a utilityProcess or a forked ChildProcess the host uses. */
export interface CoreChild {
  postMessage(message: HostMessage): void;
  onMessage(listener: (message: CoreMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** The host's own stores, plus a full copy of them for the core process to start from. */
export interface HostStores {
  settings: SettingsStore;
  secrets: SecretStore;
  snapshot(): StoreSnapshot;
}

export interface CoreProcess {
  /** A new subscriber (a window, a socket): its frames go to core, core's frames for it come to `send`. */
  connect(send: (frame: ServerFrame) => void): WireConnection;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** Called once if the core process ends without being asked to. */
  onExit(listener: (code: number | null) => void): void;
  windowFocused(): void;
  /** Asks core to close its database and workers; resolves when the process has exited (bounded by `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
}

const defaultCloseTimeoutMs = 15_000;

export function startCoreProcess(child: CoreChild, options: CoreProcessOptions, stores: HostStores): Promise<CoreProcess> {
  const routes = new Map<string, (frame: ServerFrame) => void>();
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const exitListeners = new Set<(code: number | null) => void>();
  let nextConn = 1;
  let exited = false;
  let closing = false;
  let resolveExit: () => void = () => {};
  const exitedPromise = new Promise<void>((resolve) => {
    resolveExit = resolve;
  });

  const handle: CoreProcess = {
    connect(send) {
      const conn = String(nextConn++);
      routes.set(conn, send);
      return {
        receive: (frame) => {
          if (routes.has(conn) && !exited) child.postMessage({ type: 'frame', conn, frame });
        },
        close: () => {
          if (!routes.delete(conn) || exited) return;
          child.postMessage({ type: 'disconnect', conn });
        },
      };
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onExit(listener) {
      exitListeners.add(listener);
    },
    windowFocused() {
      if (!exited) child.postMessage({ type: 'focus' });
    },
    async close(timeoutMs = defaultCloseTimeoutMs) {
      if (exited) return;
      closing = true;
      routes.clear();
      child.postMessage({ type: 'close' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timeout'>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
      });
      if ((await Promise.race([exitedPromise, timedOut])) === 'timeout') child.kill();
      clearTimeout(timer);
    },
  };

  return new Promise<CoreProcess>((resolve, reject) => {
    child.onExit((code) => {
      exited = true;
      resolveExit();
      reject(new AppFailure('internal', `The core process exited (code ${String(code)}) before it was ready.`));
      if (!closing) for (const listener of exitListeners) listener(code);
    });
    child.onMessage((message) => {
      switch (message.type) {
        case 'ready':
          return resolve(handle);
        case 'failed':
          // Started but could not open: the caller shows why (e.g. a database newer than the app).
          reject(new AppFailure(message.error.code, message.error.message, message.error.details));
          return child.kill();
        case 'frame':
          return routes.get(message.conn)?.(message.frame);
        case 'event':
          for (const listener of eventListeners) listener(message.event, message.payload);
          return;
        case 'store': {
          const error = applyWrite(stores, message.write);
          if (!exited) child.postMessage({ type: 'store-ack', ack: { seq: message.seq, error, current: currentValue(stores, message.write) } });
          return;
        }
        case 'closed':
          return;
      }
    });
    child.postMessage({ type: 'start', options, stores: stores.snapshot() });
  });
}

/** Saves one write in the host's stores; the failure (e.g. `storage_full` on a full disk) goes back to core, which tells the caller. */
function applyWrite(stores: HostStores, write: StoreWrite): AppError | null {
  try {
    if (write.store === 'settings') stores.settings.set(write.patch);
    else if (write.store === 'value') stores.settings.setValue(write.key, write.value);
    else if (write.value === null) stores.secrets.delete(write.name);
    else stores.secrets.set(write.name, write.value);
    return null;
  } catch (err) {
    console.error(`Study Desk: saving a ${write.store} written by core failed:`, err);
    return toAppError(err);
  }
}

/** What the store holds now for the thing `write` wrote. */
function currentValue(stores: HostStores, write: StoreWrite): unknown {
  if (write.store === 'settings') return stores.settings.get();
  if (write.store === 'value') return stores.settings.getValue(write.key) ?? null;
  return stores.secrets.get(write.name);
}
