/**
 * The GitHub conversations the Action keeps: one comment per pull request and cluster, one issue per
 * cluster. Both are found by a hidden marker (an HTML comment at the top of the body), so that a run
 * updates what an earlier run wrote instead of adding to it.
 */
import type { GitHubClient } from './client.js';

export interface Repo {
  readonly owner: string;
  readonly repo: string;
}

/** `owner/name` (GITHUB_REPOSITORY) → `{ owner, repo }`. */
export function parseRepo(text: string | undefined): Repo | undefined {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(text ?? '');
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

interface Comment {
  readonly id: number;
  readonly body?: string | null;
  readonly html_url?: string;
  readonly user?: { readonly login?: string } | null;
}

export interface Issue {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly body?: string | null;
  readonly html_url?: string;
  readonly updated_at?: string;
  /** Set on pull requests, which the issues API lists too. */
  readonly pull_request?: unknown;
}

export interface Upserted {
  readonly action: 'created' | 'updated';
  readonly id: number;
  readonly url: string | undefined;
}

const base = (r: Repo) => `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}`;

/** Does `body` carry `marker` as its first line (a quote of it by a person does not count)? */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(marker);
}

/**
 * Creates the pull request comment that starts with `marker`, or updates it in place when an earlier
 * run made it. Every page of comments is read. Copies left by runs that raced (same author, same
 * marker) are deleted, so that one remains.
 */
export async function upsertMarkedComment(
  client: GitHubClient,
  repo: Repo,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<Upserted> {
  const comments = await client.paginate<Comment>(`${base(repo)}/issues/${issueNumber}/comments`);
  const mine = comments.filter((c) => hasMarker(c.body, marker));
  const [first, ...copies] = mine;
  if (!first) {
    const created = await client.request<Comment>('POST', `${base(repo)}/issues/${issueNumber}/comments`, {
      body,
    });
    return { action: 'created', id: created.data.id, url: created.data.html_url };
  }
  const updated = await client.request<Comment>('PATCH', `${base(repo)}/issues/comments/${first.id}`, {
    body,
  });
  for (const copy of copies) {
    if (copy.user?.login !== undefined && copy.user?.login === first.user?.login)
      await client.request('DELETE', `${base(repo)}/issues/comments/${copy.id}`);
  }
  return { action: 'updated', id: first.id, url: updated.data.html_url ?? first.html_url };
}

/** Creates the label unless the repository has it. */
export async function ensureLabel(
  client: GitHubClient,
  repo: Repo,
  label: { name: string; color: string; description: string },
): Promise<void> {
  const labels = await client.paginate<{ name: string }>(`${base(repo)}/labels`);
  if (labels.some((l) => l.name.toLowerCase() === label.name.toLowerCase())) return;
  await client.request('POST', `${base(repo)}/labels`, label);
}

/**
 * The issue labelled `label` whose body starts with `marker`: the open one, else the one closed last
 * (reopened rather than duplicated when the drift comes back).
 */
export async function findMarkedIssue(
  client: GitHubClient,
  repo: Repo,
  label: string,
  marker: string,
): Promise<Issue | undefined> {
  const issues = await client.paginate<Issue>(
    `${base(repo)}/issues?labels=${encodeURIComponent(label)}&state=all&sort=updated&direction=desc`,
  );
  const marked = issues.filter((i) => i.pull_request === undefined && hasMarker(i.body, marker));
  return marked.find((i) => i.state === 'open') ?? marked[0];
}

export async function createIssue(
  client: GitHubClient,
  repo: Repo,
  issue: { title: string; body: string; labels: string[] },
): Promise<Issue> {
  return (await client.request<Issue>('POST', `${base(repo)}/issues`, issue)).data;
}

export async function updateIssue(
  client: GitHubClient,
  repo: Repo,
  number: number,
  patch: { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: string },
): Promise<Issue> {
  return (await client.request<Issue>('PATCH', `${base(repo)}/issues/${number}`, patch)).data;
}

export async function commentOnIssue(
  client: GitHubClient,
  repo: Repo,
  number: number,
  body: string,
): Promise<void> {
  await client.request('POST', `${base(repo)}/issues/${number}/comments`, { body });
}
