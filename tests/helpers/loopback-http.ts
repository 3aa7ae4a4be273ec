/** A real HTTP server on a loopback port, for tests that play a server (PostgREST's answers, an edge function). */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackHttp {
  server: Server;
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  port: number;
  /** Drops open connections and stops listening, so the port refuses connections (as when offline); safe to call twice. */
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) on 127.0.0.1. */
export async function startLoopbackHttp(handler: RequestListener, port = 0): Promise<LoopbackHttp> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  let open = true;
  return {
    server,
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: async () => {
      if (!open) return;
      open = false;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
