/**
 * The HTTP layer both emulators share: read the request, apply injected faults, answer with what the
 * pure handler returns, close cleanly. Everything the cluster does is in the handlers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { faultPlan } from './faults.js';
import type { FaultKind, FaultOptions } from './options.js';
import type { EmuRequest, EmuResponse } from './types.js';

export interface ServeOptions {
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly faults?: FaultOptions | undefined;
  /** What a request that gets no fault answers. */
  readonly respond: (request: EmuRequest) => EmuResponse | Promise<EmuResponse>;
  /** What an injected fault answers (the flavor's error types and headers); `undefined` = no answer. */
  readonly faultAnswer: (kind: FaultKind, options: FaultOptions) => EmuResponse | undefined;
  /** Headers of the bare 500 written when a handler throws. */
  readonly errorHeaders?: Readonly<Record<string, string>>;
  readonly logger?:
    { debug(obj: object, msg?: string): void; warn(obj: object, msg?: string): void } | undefined;
}

export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens (port 0 = any free port) and resolves once listening. */
export async function serve(options: ServeOptions): Promise<Served> {
  const faults = faultPlan(options.faults);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const request = toEmuRequest(req, await readBody(req));
        const fault = faults.next(request.method, request.path);
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'latency') await new Promise((r) => setTimeout(r, options.faults?.latencyMs ?? 200));
        const injected = fault && options.faults ? options.faultAnswer(fault, options.faults) : undefined;
        const response = injected ?? (await options.respond(request));
        options.logger?.debug(
          { method: request.method, path: request.path, status: response.status },
          'request',
        );
        write(
          res,
          response,
          request.query.pretty !== undefined && request.query.pretty !== 'false',
          request.method === 'HEAD',
        );
      } catch (error) {
        options.logger?.warn({ err: error }, 'emulator failed to answer');
        if (!res.headersSent) res.writeHead(500, { ...(options.errorHeaders ?? {}) });
        res.end();
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Turns node's request into an `EmuRequest` (path, URI as received, query, lower-cased headers). */
export function toEmuRequest(req: IncomingMessage, body: string | undefined): EmuRequest {
  const uri = req.url ?? '/';
  const parsed = new URL(uri, 'http://emulator');
  const query: Record<string, string> = {};
  for (const [k, v] of parsed.searchParams) query[k] = v;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: (req.method ?? 'GET').toUpperCase(), path: parsed.pathname, uri, query, headers, body };
}

function write(res: ServerResponse, response: EmuResponse, pretty: boolean, head: boolean): void {
  const headers = { ...(response.headers ?? {}) };
  if (response.events) {
    res.writeHead(response.status, headers);
    for (const e of response.events) res.write(`event: message\ndata: ${JSON.stringify(e)}\n\n`);
    res.end('event: message\ndata: [DONE]\n\n');
    return;
  }
  let payload = '';
  if (response.body !== undefined)
    payload = pretty ? JSON.stringify(response.body, null, 2) + '\n' : JSON.stringify(response.body);
  else if (response.text !== undefined) payload = response.text;
  const buffer = Buffer.from(payload, 'utf8');
  headers['content-length'] = String(buffer.length);
  res.writeHead(response.status, headers);
  res.end(head ? undefined : buffer);
}
