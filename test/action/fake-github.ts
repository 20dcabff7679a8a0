/**
 * A local fake of the part of GitHub's REST API the Action uses (issue comments, issues, labels), on
 * loopback, recording every call. Lists are paginated with `Link` headers (a small page size, so that
 * tests cross pages), bodies over GitHub's limit are refused with 422 as GitHub does, and faults can be
 * queued (a secondary rate limit, a 502).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
  issue: number;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: { name: string }[];
  html_url: string;
  updated_at: string;
  pull_request?: { url: string };
}

export interface Fault {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface FakeGitHub {
  readonly url: string;
  readonly calls: Call[];
  readonly comments: FakeComment[];
  readonly issues: FakeIssue[];
  readonly labels: { name: string; color: string; description?: string }[];
  /** Answers for the next requests, in order, before the real handling. */
  readonly faults: Fault[];
  close(): Promise<void>;
}

const LIMIT = 65_536;

export async function startFakeGitHub(
  options: { token: string; owner?: string; repo?: string; pageSize?: number; login?: string } = {
    token: 'ghs_token',
  },
): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'search-config';
  const pageSize = options.pageSize ?? 2;
  const login = options.login ?? 'github-actions[bot]';
  const state = {
    calls: [] as Call[],
    comments: [] as FakeComment[],
    issues: [] as FakeIssue[],
    labels: [] as { name: string; color: string; description?: string }[],
    faults: [] as Fault[],
  };
  let nextId = 1000;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  let baseUrl = '';
  const html = (path: string) => `https://github.example/${owner}/${repo}${path}`;

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const page = <T>(res: ServerResponse, url: URL, items: T[]) => {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), pageSize);
    const n = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((n - 1) * perPage, n * perPage);
    const links: string[] = [];
    if (n * perPage < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('page', String(n + 1));
      links.push(`<${baseUrl}${next.pathname}${next.search}>; rel="next"`);
      const last = new URL(url.toString());
      last.searchParams.set('page', String(Math.ceil(items.length / perPage)));
      links.push(`<${baseUrl}${last.pathname}${last.search}>; rel="last"`);
    }
    send(res, 200, slice, links.length ? { link: links.join(', ') } : {});
  };

  const tooLong = (res: ServerResponse, body: string | undefined) => {
    if (body !== undefined && [...body].length > LIMIT) {
      send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'unprocessable',
            field: 'data',
            message: 'Body is too long (maximum is 65536 characters)',
          },
        ],
      });
      return true;
    }
    return false;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    state.calls.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      body,
      authorization: req.headers.authorization,
    });
    const fault = state.faults.shift();
    if (fault) return send(res, fault.status, fault.body ?? { message: 'fault' }, fault.headers);
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { message: 'Bad credentials' });
    const prefix = `/repos/${owner}/${repo}`;
    if (!url.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const path = url.pathname.slice(prefix.length);
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;

    if ((m = /^\/issues\/(\d+)\/comments$/.exec(path))) {
      const issue = Number(m[1]);
      if (method === 'GET')
        return page(
          res,
          url,
          state.comments.filter((c) => c.issue === issue).sort((a, b) => a.id - b.id),
        );
      if (method === 'POST') {
        if (tooLong(res, body?.['body'] as string)) return;
        const id = nextId++;
        const comment = {
          id,
          body: String(body?.['body']),
          user: { login },
          html_url: html(`/issues/${issue}#issuecomment-${id}`),
          issue,
        };
        state.comments.push(comment);
        return send(res, 201, comment);
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(path))) {
      const comment = state.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      if (method === 'PATCH') {
        if (tooLong(res, body?.['body'] as string)) return;
        comment.body = String(body?.['body']);
        return send(res, 200, comment);
      }
      if (method === 'DELETE') {
        state.comments.splice(state.comments.indexOf(comment), 1);
        return send(res, 204);
      }
    }
    if (path === '/labels') {
      if (method === 'GET') return page(res, url, state.labels);
      if (method === 'POST') {
        if (state.labels.some((l) => l.name === body?.['name']))
          return send(res, 422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] });
        const label = body as { name: string; color: string; description?: string };
        state.labels.push(label);
        return send(res, 201, label);
      }
    }
    if (path === '/issues') {
      if (method === 'GET') {
        const label = url.searchParams.get('labels');
        const wanted = url.searchParams.get('state') ?? 'open';
        const list = state.issues
          .filter((i) => !label || i.labels.some((l) => l.name === label))
          .filter((i) => wanted === 'all' || i.state === wanted)
          .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
        return page(res, url, list);
      }
      if (method === 'POST') {
        if (tooLong(res, body?.['body'] as string)) return;
        for (const name of (body?.['labels'] as string[] | undefined) ?? [])
          if (!state.labels.some((l) => l.name === name))
            return send(res, 422, { message: `label ${name} does not exist` });
        const number = state.issues.length + 1;
        const issue: FakeIssue = {
          number,
          title: String(body?.['title']),
          body: String(body?.['body']),
          state: 'open',
          labels: ((body?.['labels'] as string[] | undefined) ?? []).map((name) => ({ name })),
          html_url: html(`/issues/${number}`),
          updated_at: tick(),
        };
        state.issues.push(issue);
        return send(res, 201, issue);
      }
    }
    if ((m = /^\/issues\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(res, 404, { message: 'Not Found' });
      if (tooLong(res, body?.['body'] as string | undefined)) return;
      Object.assign(issue, body, { updated_at: tick() });
      return send(res, 200, issue);
    }
    return send(res, 404, { message: `Not Found: ${method} ${url.pathname}` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        send(res, 500, { message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
