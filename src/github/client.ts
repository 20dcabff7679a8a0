/**
 * A small GitHub REST client on undici: token auth, JSON, pagination through `Link`, and retries on
 * secondary rate limits (403/429 with `retry-after`, or `x-ratelimit-remaining: 0` + `x-ratelimit-reset`)
 * and on 5xx. The base URL is `GITHUB_API_URL`, so GitHub Enterprise Server works as github.com does.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { InferctlError } from '../errors.js';
import { VERSION } from '../version.js';

export interface GitHubClientOptions {
  /** `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  readonly baseUrl: string;
  readonly token: string;
  /** Injected for tests; `setTimeout` otherwise. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Attempts per request, the first included (default 4). */
  readonly maxAttempts?: number;
  /** Longest single wait for a rate limit to reset; a longer one fails instead (default 60 s). */
  readonly maxWaitMs?: number;
  readonly dispatcher?: Dispatcher;
  /** Told about each retry (the Action logs it). */
  readonly onRetry?: (info: { method: string; path: string; status: number; waitMs: number }) => void;
}

/** A GitHub API answer other than 2xx, after retries. */
export class GitHubError extends InferctlError {
  readonly status: number;
  constructor(method: string, path: string, status: number, message: string) {
    super('github_api', `GitHub API ${method} ${path}: ${status} ${message}`, {
      hint: hintFor(status, message),
      context: { status },
    });
    this.status = status;
  }
}

function hintFor(status: number, message: string): string | undefined {
  if (status === 401) return 'the github-token input is missing or invalid';
  if (status === 403 && /not accessible by integration/i.test(message))
    return 'give the workflow the permission it needs (pull-requests: write for comments, issues: write for drift issues); pull requests from forks get a read-only token';
  if (status === 403 || status === 429) return 'rate limited or forbidden: see GitHub’s answer above';
  if (status === 404) return 'check GITHUB_REPOSITORY and that the token can see the repository';
  return undefined;
}

export interface GitHubResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export class GitHubClient {
  readonly #options: GitHubClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #base: string;

  constructor(options: GitHubClientOptions) {
    this.#options = options;
    this.#base = options.baseUrl.replace(/\/+$/, '');
    // Runners behind a proxy set HTTPS_PROXY / NO_PROXY; undici honours them only through this agent.
    this.#dispatcher =
      options.dispatcher ??
      (process.env['HTTPS_PROXY'] || process.env['https_proxy'] || process.env['HTTP_PROXY']
        ? new EnvHttpProxyAgent()
        : new Agent({ connections: 4 }));
  }

  /**
   * One request. `path` is relative to the API root (`/repos/o/r/issues`) or an absolute URL (a `Link`
   * header's). Retries secondary rate limits and 5xx; throws `GitHubError` for any other non-2xx.
   */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<GitHubResponse<T>> {
    const url = /^https?:\/\//.test(path) ? path : `${this.#base}${path}`;
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const now = this.#options.now ?? Date.now;
    const maxAttempts = this.#options.maxAttempts ?? 4;
    const maxWaitMs = this.#options.maxWaitMs ?? 60_000;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let headers: Record<string, string | undefined>;
      let text: string;
      try {
        const response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          dispatcher: this.#dispatcher,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.#options.token}`,
            'user-agent': `inferctl/${VERSION}`,
            'x-github-api-version': '2022-11-28',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        status = response.statusCode;
        headers = flatHeaders(response.headers);
        text = await response.body.text();
      } catch (error) {
        if (attempt >= maxAttempts) {
          throw new InferctlError(
            'github_unreachable',
            `GitHub API ${method} ${pathOf(url)}: ${(error as Error).message}`,
            { hint: 'check GITHUB_API_URL and the runner’s network', cause: error },
          );
        }
        await sleep(backoff(attempt));
        continue;
      }
      if (status >= 200 && status < 300) {
        return { status, headers, data: (text ? JSON.parse(text) : undefined) as T };
      }
      const message = errorMessage(text);
      const wait = retryWait(status, headers, message, attempt, now());
      if (wait !== undefined && attempt < maxAttempts && wait <= maxWaitMs) {
        this.#options.onRetry?.({ method, path: pathOf(url), status, waitMs: wait });
        await sleep(wait);
        continue;
      }
      throw new GitHubError(method, pathOf(url), status, message);
    }
  }

  /** Every item of a list endpoint, following `Link: <…>; rel="next"` (100 a page). */
  async paginate<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}per_page=100`;
    // A bound, so that a server answering with a loop of links cannot keep the Action running.
    for (let page = 0; next !== undefined && page < 1000; page++) {
      const response: GitHubResponse<T[]> = await this.request<T[]>('GET', next);
      items.push(...response.data);
      next = nextLink(response.headers['link']);
      // The token goes with every request: never follow a link to another host.
      if (next !== undefined && new URL(next, this.#base).origin !== new URL(this.#base).origin) {
        throw new InferctlError(
          'github_api',
          `GitHub API ${path}: the next page is on another host (${next})`,
        );
      }
    }
    return items;
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.close();
  }
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: unknown };
    const details = Array.isArray(body.errors)
      ? ` (${body.errors.map((e) => (typeof e === 'object' && e && 'message' in e ? String(e.message) : JSON.stringify(e))).join('; ')})`
      : '';
    return typeof body.message === 'string' ? body.message + details : text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

/** 1 s, 2 s, 4 s, … */
function backoff(attempt: number): number {
  return 1000 * 2 ** (attempt - 1);
}

/**
 * How long to wait before retrying, or `undefined` when the answer is final. GitHub's documented rules
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api): honour `retry-after`;
 * else when `x-ratelimit-remaining` is 0 wait until `x-ratelimit-reset`; else for a secondary rate
 * limit wait at least a minute (more on each attempt). 5xx: exponential backoff.
 */
export function retryWait(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  message: string,
  attempt: number,
  nowMs: number,
): number | undefined {
  if (status >= 500) return backoff(attempt);
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] !== undefined) {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return Number.isFinite(reset) ? Math.max(0, reset - nowMs) + 1000 : undefined;
  }
  if (status === 429 || /secondary rate limit/i.test(message)) return 60_000 * attempt;
  return undefined; // a 403 that is a permission problem
}

/** The `rel="next"` URL of a `Link` header. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]!.split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}
