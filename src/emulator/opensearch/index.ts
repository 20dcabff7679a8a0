/**
 * The OpenSearch emulator (issue 7): a local HTTP server that behaves like OpenSearch ML Commons of one version —
 * connectors, model groups, remote models, register/deploy/undeploy tasks — for `inferctl emulator --flavor
 * opensearch` and the tests of inferctl's OpenSearch backend. Behaviour from
 * `../shared/reference/opensearch-ml-commons.md` and ml-commons source; see each module's header.
 *
 * Same architecture as the Elasticsearch emulator: the HTTP layer reads the request, applies faults and writes what
 * the pure `handleOpenSearch()` returns.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultKind, FaultOptions } from '../options.js';
import { faultPlan } from '../faults.js';
import type { EmuRequest, EmuResponse } from '../types.js';
import { handleOpenSearch } from './handle.js';
import { seedLocalModels } from './models.js';
import type { OpenSearchEmulatorOptions } from './options.js';
import { OpenSearchState } from './state.js';

export type { DeployOutcome, OpenSearchEmulatorOptions, SeedLocalModel } from './options.js';
export { OpenSearchState } from './state.js';
export { handleOpenSearch } from './handle.js';

export interface RunningOpenSearchEmulator {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The emulated cluster, for tests that look inside or seed it. */
  readonly state: OpenSearchState;
  close(): Promise<void>;
}

/** A fresh cluster state with the configured seeds applied (for tests that call `handleOpenSearch` directly). */
export function createOpenSearchState(options: OpenSearchEmulatorOptions = {}): OpenSearchState {
  const state = new OpenSearchState(options);
  if (options.localModels?.length) seedLocalModels(state, options.localModels);
  return state;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toRequest(req: IncomingMessage, body: string | undefined): EmuRequest {
  const uri = req.url ?? '/';
  const parsed = new URL(uri, 'http://emulator');
  const query: Record<string, string> = {};
  for (const [k, v] of parsed.searchParams) query[k] = v;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: (req.method ?? 'GET').toUpperCase(), path: parsed.pathname, uri, query, headers, body };
}

/**
 * What an injected fault answers. OpenSearch's rejected-execution type is `rejected_execution_exception`
 * (`OpenSearchRejectedExecutionException`), its no-master one `cluster_manager_not_discovered_exception` from 2.0.
 */
function faultResponse(kind: FaultKind, options: FaultOptions): EmuResponse | undefined {
  const envelope = (status: number, type: string, reason: string | null) => ({
    error: { root_cause: [{ type, reason }], type, reason },
    status,
  });
  switch (kind) {
    case '429':
      return {
        status: 429,
        headers: {
          'retry-after': String(options.retryAfterSeconds ?? 1),
          'content-type': 'application/json; charset=UTF-8',
        },
        body: envelope(429, 'rejected_execution_exception', 'rejected execution (emulated fault)'),
      };
    case '503':
      return {
        status: 503,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: envelope(503, 'cluster_manager_not_discovered_exception', null),
      };
    case '502':
      return {
        status: 502,
        headers: { 'content-type': 'text/plain' },
        text: '502 Bad Gateway (emulated fault)',
      };
    case '504':
      return {
        status: 504,
        headers: { 'content-type': 'text/plain' },
        text: '504 Gateway Timeout (emulated fault)',
      };
    default:
      return undefined;
  }
}

function write(res: ServerResponse, response: EmuResponse, pretty: boolean, head: boolean): void {
  const headers = { ...(response.headers ?? {}) };
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
 * Starts an OpenSearch emulator. Port 0 picks a free port; resolves once listening.
 *
 * @example const os = await startOpenSearchEmulator({ version: '2.19.0', deployDelayMs: 500 });
 */
export async function startOpenSearchEmulator(
  options: OpenSearchEmulatorOptions = {},
): Promise<RunningOpenSearchEmulator> {
  const state = createOpenSearchState(options);
  const faults = faultPlan(options.faults);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const request = toRequest(req, body);
        const fault = faults.next(request.method, request.path);
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === 'latency') await new Promise((r) => setTimeout(r, options.faults?.latencyMs ?? 200));
        const injected = fault && options.faults ? faultResponse(fault, options.faults) : undefined;
        const response = injected ?? handleOpenSearch(state, request);
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
        options.logger?.warn({ err: error }, 'opensearch emulator failed to answer');
        if (!res.headersSent) res.writeHead(500);
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
  options.logger?.info(
    { url, version: state.caps.version, distribution: 'opensearch' },
    'emulator listening',
  );
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
