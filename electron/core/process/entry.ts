/**
 * The core process: runs createCore and speaks the host protocol (./protocol.ts) over its parent link:
 * Electron's `process.parentPort` in a utilityProcess, or Node's IPC channel under `child_process.fork`.
 * Every renderer frame still goes through the wire server, so `dispatch()` stays the one guard.
 */
import { toAppError } from '../../../shared/errors';
import { createCore, type Core } from '../app';
import type { Handlers } from '../ipc/handlers';
import { connectWire, type WireConnection } from '../ipc/wire-server';
import type { CoreMessage, HostMessage } from './protocol';
import { createMirroredStores, type MirroredStores } from './stores';

interface ParentLink {
  post(message: CoreMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

/** Electron's utilityProcess gives `process.parentPort`; Node's fork gives `process.send`. */
function parentLink(): ParentLink {
  const parentPort = (process as { parentPort?: { postMessage(message: unknown): void; on(event: 'message', listener: (event: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return {
      post: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as HostMessage)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('The core process must be started by a host (utilityProcess.fork or child_process.fork).');
  return {
    post: (message) => {
      send(message);
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as HostMessage)),
  };
}

/** Every handler answers only once the host has saved the settings and secrets it wrote (see stores.ts). */
function awaitingStoreWrites(handlers: Handlers, stores: MirroredStores): Handlers {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[string, (...args: never[]) => unknown]>) {
    wrapped[name] = (...args) => stores.track(async () => handler(...args));
  }
  // Why the cast: each wrapper keeps its handler's parameters and resolves with the same value.
  return wrapped as unknown as Handlers;
}

export function runCoreProcess(link: ParentLink = parentLink()): void {
  let core: Core | null = null;
  let handlers: Handlers | null = null;
  let stores: MirroredStores | null = null;
  const connections = new Map<string, WireConnection>();
  link.onMessage((message) => {
    switch (message.type) {
      case 'start': {
        if (core) return;
        try {
          stores = createMirroredStores(message.stores, (seq, write) => link.post({ type: 'store', seq, write }));
          const { workerEntry, ...options } = message.options;
          core = createCore({ ...options, settings: stores.settings, secrets: stores.secrets, ...(workerEntry ? { sync: { workerEntry } } : {}) });
          handlers = awaitingStoreWrites(core.handlers, stores);
        } catch (err) {
          link.post({ type: 'failed', error: toAppError(err) });
          return;
        }
        core.onEvent((event, payload) => link.post({ type: 'event', event, payload }));
        link.post({ type: 'ready' });
        return;
      }
      case 'store-ack':
        stores?.acknowledge(message.ack);
        return;
      case 'frame': {
        if (!core || !handlers) return;
        let connection = connections.get(message.conn);
        if (!connection) {
          const conn = message.conn;
          connection = connectWire(handlers, (frame) => link.post({ type: 'frame', conn, frame }));
          connections.set(conn, connection);
        }
        connection.receive(message.frame);
        return;
      }
      case 'disconnect':
        connections.get(message.conn)?.close();
        connections.delete(message.conn);
        return;
      case 'focus':
        core?.windowFocused();
        return;
      case 'close':
        for (const connection of connections.values()) connection.close();
        connections.clear();
        void (core?.close() ?? Promise.resolve())
          .catch((err: unknown) => console.error('Study Desk core: closing failed:', err))
          .finally(() => {
            link.post({ type: 'closed' });
            // The parent link keeps the process alive; give the last message a moment to leave first.
            setTimeout(() => process.exit(0), 50);
          });
        return;
    }
  });
}

runCoreProcess();
