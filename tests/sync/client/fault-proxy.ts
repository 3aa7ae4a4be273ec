/** A fault-injecting HTTP proxy on 127.0.0.1 between the sync client and the stack's gateway. */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { mode: 'pass' }
  /** Forward, wait for the server's full answer (so it applied the request), then cut the client's connection. */
  | { mode: 'drop-after-forward' }
  /** Answer with this status without forwarding. */
  | { mode: 'status'; status: number; retryAfterSeconds?: number }
  /** Answer 200 with this body (and these headers) without forwarding: a server that speaks nonsense. */
  | { mode: 'body'; body: string; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | { mode: 'stall' }
  /** Forward after a pause: makes each request slow without failing it. */
  | { mode: 'delay'; ms: number }
  /** Stop listening: connections are refused, as when the machine is offline or the server is gone. */
  | { mode: 'down' };

export interface FaultRule {
  fault: Fault;
  /** Only requests whose path contains this are affected (default: all). */
  pathIncludes?: string;
  /** Affect this many matching requests, then pass (default: until changed). */
  times?: number;
}

export interface ProxyLogEntry {
  path: string;
  atMs: number;
  /** The status the client saw, or what happened instead. */
  outcome: number | 'dropped' | 'stalled' | 'reset';
}

export interface FaultProxy {
  url: string;
  /** Takes effect at once; 'down' and back wait until the port is closed or listening again. */
  setFault(rule: FaultRule): Promise<void>;
  log: ProxyLogEntry[];
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let rule: FaultRule = { fault: { mode: 'pass' } };
  let remaining = Infinity;
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();

  const faultFor = (path: string): Fault => {
    if (rule.pathIncludes !== undefined && !path.includes(rule.pathIncludes)) return { mode: 'pass' };
    if (remaining <= 0) return { mode: 'pass' };
    remaining--;
    return rule.fault;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const path = req.url ?? '/';
    const fault = faultFor(path);
    switch (fault.mode) {
      case 'down':
      case 'stall':
        log.push({ path, atMs: Date.now(), outcome: 'stalled' });
        return;
      case 'status': {
        log.push({ path, atMs: Date.now(), outcome: fault.status });
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ message: `injected ${fault.status}` }));
        return;
      }
      case 'body':
        log.push({ path, atMs: Date.now(), outcome: 200 });
        res.writeHead(200, { 'Content-Type': 'application/json', ...fault.headers });
        res.end(fault.body);
        return;
      case 'pass':
      case 'delay':
      case 'drop-after-forward': {
        if (fault.mode === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
        let answer;
        try {
          answer = await forward(req, body);
        } catch {
          log.push({ path, atMs: Date.now(), outcome: 'reset' });
          req.socket.destroy();
          return;
        }
        if (fault.mode === 'drop-after-forward') {
          log.push({ path, atMs: Date.now(), outcome: 'dropped' });
          req.socket.destroy();
          return;
        }
        log.push({ path, atMs: Date.now(), outcome: answer.status });
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      }
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  const stopListening = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    // Give clients a moment to see their kept-alive sockets close, as they would after a real outage began.
    await new Promise((resolve) => setTimeout(resolve, 100));
  };
  const listen = async () => {
    if (listening) return;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    listening = true;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    log,
    async setFault(next) {
      rule = next;
      remaining = next.times ?? Infinity;
      if (next.fault.mode === 'down') await stopListening();
      else await listen();
    },
    close: stopListening,
  };
}
