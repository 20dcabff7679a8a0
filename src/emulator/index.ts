/**
 * The Elasticsearch emulator: a local HTTP server that behaves like Elasticsearch's `_inference` API of one
 * version (issue 3; behaviour from `../shared/reference/elasticsearch-inference-api.md`). Built on node:http;
 * the HTTP layer only reads the request, applies faults and writes what the pure `handle()` returns.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { faultPlan, faultResponse } from './faults.js';
import { handle } from './handle.js';
import { sleep } from './ml.js';
import type { EmulatorOptions } from './options.js';
import { EmulatorState } from './state.js';
import type { EmuRequest, EmuResponse } from './types.js';

export type { EmulatorOptions, FaultKind, FaultOptions, ProviderValidationOptions } from './options.js';
export type { EmuRequest, EmuResponse, License } from './types.js';
export { EmulatorState } from './state.js';
export { handle } from './handle.js';

export interface RunningEmulator {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The emulated cluster, for tests that look inside or seed it. */
  readonly state: EmulatorState;
  close(): Promise<void>;
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

/**
 * Starts an emulator. Port 0 picks a free port; the promise resolves once it listens. Why in-process: tests and
 * `inferctl emulator` share one implementation, and tests need no child processes.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options);
  const faults = faultPlan(options.faults);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const request = toEmuRequest(req, body);
        const fault = faults.next(request.method, request.path);
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'latency') await sleep(options.faults?.latencyMs ?? 200);
        const injected = fault && options.faults ? faultResponse(fault, options.faults) : undefined;
        const response = injected
          ? {
              ...injected,
              headers: {
                'x-elastic-product': 'Elasticsearch',
                ...(injected.headers ?? {}),
                'content-type': injected.body ? 'application/json' : 'text/plain; charset=UTF-8',
              },
            }
          : await handle(state, request);
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
        if (!res.headersSent) res.writeHead(500, { 'x-elastic-product': 'Elasticsearch' });
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
  const url = `http://${host}:${address.port}`;
  options.logger?.info({ url, version: state.caps.version }, 'emulator listening');
  return {
    url,
    port: address.port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sockets) s.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
