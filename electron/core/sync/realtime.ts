/** Supabase Realtime as a sync trigger: a change of the server's content version starts a pull at once. */
import { createClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { FetchFn } from './http';

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

/**
 * `ws` that never crashes the process: realtime-js detaches its handlers before closing, and ws emits 'error' when a
 * socket is closed mid-handshake, which with no listener left would be an uncaught exception.
 */
class QuietWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols);
    this.on('error', () => undefined);
  }
}
// ws implements the WebSocket API realtime-js uses, but its event types are its own rather than the DOM's,
// so the compiler cannot see that they fit; realtime-js documents ws as the transport for Node.
const nodeTransport = QuietWebSocket as unknown as RealtimeTransport;

export interface ContentWatch {
  stop(): Promise<void>;
}

export interface ContentWatchOptions {
  url: string;
  anonKey: string;
  fetch: FetchFn;
  onChange: () => void;
  /** The server has no Realtime (or it is unreachable): the watch has stopped and timers must do. */
  onUnavailable: (reason: string) => void;
}

/**
 * Listens to updates of public.content_version_state (one per content-changing statement). Where the server has no
 * Realtime, the first failed subscription ends the watch instead of reconnecting forever.
 */
export function watchContentVersion(options: ContentWatchOptions): ContentWatch {
  const client = createClient(options.url, options.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { fetch: options.fetch },
    // Node 20 has no global WebSocket; `ws` works everywhere Node runs, Electron's main process included.
    realtime: { transport: nodeTransport },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.removeAllChannels();
    client.realtime.disconnect();
  };
  client
    .channel('study-desk-content-version')
    .on('postgres_changes', { event: '*', schema: 'public', table: 'content_version_state' }, () => {
      if (!stopped) options.onChange();
    })
    .subscribe((status, err) => {
      if (stopped || status === 'SUBSCRIBED') return;
      void stop();
      options.onUnavailable(err?.message ?? `Realtime ${status.toLowerCase()}`);
    });
  return { stop };
}

/** After a server showed it has no Realtime, ask again this much later (timers cover the gap). */
const REALTIME_RETRY_MS = 10 * 60_000;

export interface RealtimeTrigger {
  /** Starts watching this server unless a watch runs, or the server recently showed it has no Realtime. */
  ensure(server: { url: string; anonKey: string }): void;
  /** Stops the watch of the old server and forgets that it had no Realtime: a new server is configured. */
  forgetServer(): Promise<void>;
  /** Stops the watch for good. */
  close(): Promise<void>;
}

export function createRealtimeTrigger(options: {
  enabled: boolean;
  fetch: FetchFn;
  now: () => number;
  onChange: () => void;
  /** How a watch is opened; tests pass their own to fire changes. */
  watch?: typeof watchContentVersion;
}): RealtimeTrigger {
  const open = options.watch ?? watchContentVersion;
  let current: ContentWatch | null = null;
  let retryAtMs = 0;
  let stopped = false;
  return {
    ensure(server) {
      if (!options.enabled || current || stopped || options.now() < retryAtMs) return;
      const watch = open({
        url: server.url,
        anonKey: server.anonKey,
        fetch: options.fetch,
        onChange: options.onChange,
        onUnavailable: () => {
          if (current === watch) current = null;
          retryAtMs = options.now() + REALTIME_RETRY_MS;
        },
      });
      current = watch;
    },
    async forgetServer() {
      const watch = current;
      current = null;
      retryAtMs = 0;
      await watch?.stop();
    },
    async close() {
      stopped = true;
      const watch = current;
      current = null;
      await watch?.stop();
    },
  };
}
