/**
 * Helpers for the client's contract tests: an emulator per test, a client whose sleep and events are
 * recorded (no real waiting between retries), and a small front server that can stand in for what the
 * emulator does not do (403 privilege errors, a proxy that answers late or drops answers).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createElasticsearchClient,
  type ClientEvent,
  type ElasticsearchClient,
  type ElasticsearchClientOptions,
} from '../../../src/backends/elasticsearch/client.js';
import {
  resolveConnection,
  type Connection,
  type ConnectionFlags,
} from '../../../src/backends/elasticsearch/connection.js';
import { InferctlError } from '../../../src/errors.js';

/** Resolves flags into a connection, failing the test on an error. */
export function connect(flags: ConnectionFlags, env: Record<string, string> = {}): Connection {
  const c = resolveConnection(flags, env, () => new Error('no files in this test'));
  if (c instanceof InferctlError) throw c;
  return c;
}

export interface Recorded {
  readonly client: ElasticsearchClient;
  readonly events: ClientEvent[];
  /** Every delay the client asked to sleep, in order. */
  readonly delays: number[];
  /** Attempts (responses + transport errors) per `METHOD path`. */
  attempts(): Map<string, number>;
  /** `METHOD path` of every attempt, in order. */
  sent(): string[];
}

/** A client with recorded events and an instant, recording sleep. */
export function recordedClient(connection: Connection, options: ElasticsearchClientOptions = {}): Recorded {
  const events: ClientEvent[] = [];
  const delays: number[] = [];
  const client = createElasticsearchClient(connection, {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...options,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  const tries = () => events.filter((e) => e.type === 'response' || e.type === 'transport_error');
  return {
    client,
    events,
    delays,
    sent: () => tries().map((e) => `${e.method} ${e.path}`),
    attempts() {
      const counts = new Map<string, number>();
      for (const e of tries())
        counts.set(`${e.method} ${e.path}`, (counts.get(`${e.method} ${e.path}`) ?? 0) + 1);
      return counts;
    },
  };
}

export type FrontAction =
  | { readonly kind: 'forward' }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body?: unknown;
      readonly text?: string;
      readonly headers?: Record<string, string>;
    }
  /** Forward now, but hold the answer back for `delayMs` (the server did the work; the client gave up). */
  | { readonly kind: 'forward-late'; readonly delayMs: number }
  /** Forward, drop the upstream answer and answer this instead (a proxy that lost the answer). */
  | { readonly kind: 'forward-then'; readonly status: number; readonly text: string }
  | { readonly kind: 'reset' };

export interface FrontRequest {
  readonly method: string;
  /** Path with query. */
  readonly path: string;
  /** 1-based count of requests with this method and path (query excluded) so far. */
  readonly n: number;
}

export interface Front {
  readonly url: string;
  /** `METHOD path` of every request received, in order. */
  readonly seen: string[];
  /** `METHOD path` of every request passed on to the upstream, in order. */
  readonly forwarded: string[];
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An ES error envelope, as the real server writes it. */
export function envelope(status: number, type: string, reason: string): unknown {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

/** Starts a front server before `upstream` that does what `decide` says for each request. */
export async function startFront(
  upstream: string,
  decide: (req: FrontRequest) => FrontAction,
): Promise<Front> {
  const seen: string[] = [];
  const forwarded: string[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();

  async function forward(req: IncomingMessage, body: Buffer): Promise<Response> {
    forwarded.push(`${req.method} ${req.url}`);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    return fetch(upstream + (req.url ?? '/'), {
      method: req.method ?? 'GET',
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
  }

  async function relay(res: ServerResponse, upstreamRes: Response): Promise<void> {
    const text = await upstreamRes.text();
    const headers: Record<string, string> = {};
    upstreamRes.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'keep-alive')
        headers[k] = v;
    });
    res.writeHead(upstreamRes.status, headers);
    res.end(text);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      seen.push(`${req.method} ${req.url}`);
      const action = decide({ method: req.method ?? 'GET', path: req.url ?? '/', n });
      switch (action.kind) {
        case 'forward':
          await relay(res, await forward(req, body));
          return;
        case 'forward-late': {
          const upstreamRes = await forward(req, body);
          await new Promise((r) => setTimeout(r, action.delayMs));
          if (!res.destroyed) await relay(res, upstreamRes);
          return;
        }
        case 'forward-then': {
          await (await forward(req, body)).text();
          res.writeHead(action.status, { 'content-type': 'text/plain' });
          res.end(action.text);
          return;
        }
        case 'respond': {
          const text = action.body !== undefined ? JSON.stringify(action.body) : (action.text ?? '');
          res.writeHead(action.status, {
            'content-type': action.body !== undefined ? 'application/json' : 'text/plain',
            ...(action.headers ?? {}),
          });
          res.end(text);
          return;
        }
        case 'reset':
          req.socket.destroy();
          return;
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `fn` and returns what it threw (failing when it does not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<InferctlError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof InferctlError) return error;
    throw error;
  }
  throw new Error('expected an error, got none');
}

/** Everything a user or a log could see of an error, for "no secret anywhere" checks. */
export function visible(error: InferctlError): string {
  return [
    error.message,
    error.hint ?? '',
    JSON.stringify(error.context),
    String(error),
    error.stack ?? '',
  ].join('\n');
}
