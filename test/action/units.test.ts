// The Action's small parts in-process: the GitHub client's retries and pagination (injected sleep), the
// comment fitting, the runner protocol (escaping, outputs, masking).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitBody, planMarker } from '../../src/action/comment.js';
import { getBooleanInput, getListInput, Runner } from '../../src/action/protocol.js';
import { GitHubClient, GitHubError, nextLink, retryWait } from '../../src/github/client.js';
import { upsertMarkedComment } from '../../src/github/threads.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { parseOutputs } from './run-action.js';

describe('GitHub client', () => {
  let github: FakeGitHub;
  const slept: number[] = [];
  const client = () =>
    new GitHubClient({
      baseUrl: github.url,
      token: 't0ken',
      sleep: async (ms) => void slept.push(ms),
      now: () => 1_700_000_000_000,
    });
  beforeAll(async () => {
    github = await startFakeGitHub({ token: 't0ken', pageSize: 3 });
  });
  afterAll(async () => github.close());

  it('waits until x-ratelimit-reset when the remaining count is 0, then retries', async () => {
    slept.length = 0;
    github.faults.push({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_700_000_000 + 30) },
      body: { message: 'API rate limit exceeded' },
    });
    const c = client();
    expect(await c.paginate('/repos/acme/search-config/labels')).toEqual([]);
    expect(slept).toEqual([31_000]);
    await c.close();
  });

  it('honours retry-after on 429, backs off on 5xx, and gives up after the last attempt', async () => {
    slept.length = 0;
    github.faults.push(
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503 },
      { status: 503 },
      { status: 503 },
    );
    const c = client();
    const error = await c.request('GET', '/repos/acme/search-config/labels').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(503);
    expect(slept).toEqual([7000, 2000, 4000]);
    await c.close();
  });

  it('does not retry a 403 that is a missing permission, and says which permission', async () => {
    github.faults.push({ status: 403, body: { message: 'Resource not accessible by integration' } });
    const c = client();
    const error = (await c
      .request('POST', '/repos/acme/search-config/issues', {})
      .catch((e: unknown) => e)) as GitHubError;
    expect(error.status).toBe(403);
    expect(error.hint).toContain('issues: write');
    await c.close();
  });

  it('refuses a wait longer than a minute rather than hanging the job', () => {
    expect(
      retryWait(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2000' }, '', 1, 1000_000),
    ).toBe(1001_000);
    expect(retryWait(403, {}, 'You have exceeded a secondary rate limit', 1, 0)).toBe(60_000);
    expect(retryWait(404, {}, '', 1, 0)).toBeUndefined();
  });

  it('follows Link rel="next" across pages, and finds the marked comment on the last page', async () => {
    for (let i = 0; i < 7; i++)
      github.comments.push({
        id: i + 1,
        body: `comment ${i}`,
        user: { login: 'octocat' },
        html_url: '',
        issue: 5,
      });
    const c = client();
    const marker = planMarker('prod');
    const first = await upsertMarkedComment(
      c,
      { owner: 'acme', repo: 'search-config' },
      5,
      marker,
      `${marker}\none`,
    );
    const second = await upsertMarkedComment(
      c,
      { owner: 'acme', repo: 'search-config' },
      5,
      marker,
      `${marker}\ntwo`,
    );
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(github.comments.filter((x) => x.issue === 5)).toHaveLength(8);
    expect(github.comments.find((x) => x.id === first.id)!.body).toBe(`${marker}\ntwo`);
    await c.close();
  });

  it('deletes copies left by runs that raced (same author and marker), keeping the first', async () => {
    const marker = planMarker('race');
    for (const id of [901, 902, 903])
      github.comments.push({
        id,
        body: `${marker}\nrun ${id}`,
        user: { login: 'github-actions[bot]' },
        html_url: '',
        issue: 6,
      });
    const c = client();
    await upsertMarkedComment(c, { owner: 'acme', repo: 'search-config' }, 6, marker, `${marker}\nlatest`);
    expect(github.comments.filter((x) => x.issue === 6).map((x) => [x.id, x.body])).toEqual([
      [901, `${marker}\nlatest`],
    ]);
    await c.close();
  });

  it('parses Link headers', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      ),
    ).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
  });
});

describe('fitBody', () => {
  const details = (i: number) =>
    `<details><summary><code>+ e${i}</code> will be created</summary>\n\n\`\`\`diff\n+ x: ${'y'.repeat(300)}\n\`\`\`\n\n</details>\n\n`;
  const markdown = (n: number) =>
    `### plan\n\n| | Endpoint |\n|---|---|\n${Array.from({ length: n }, (_, i) => `| + | \`e${i}\` |`).join('\n')}\n\n${Array.from({ length: n }, (_, i) => details(i)).join('')}\n<sub>checksum \`x\`</sub>\n`;

  it('leaves a body that fits alone', () => {
    expect(fitBody('H\n', markdown(3), '\nF', { notice: () => 'cut' })).toBe(`H\n${markdown(3)}\nF`);
  });

  it('drops trailing details first, keeping the table, the checksum and the footer', () => {
    const body = fitBody('H\n', markdown(100), '\nF', { notice: (n) => `${n} left out`, budget: 10_000 });
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(body).toContain('| + | `e99` |');
    expect(body).toContain('<code>+ e0</code>');
    expect(body).not.toContain('<code>+ e99</code>');
    expect(body).toMatch(/> \d+ left out/);
    expect(body).toContain('<sub>checksum `x`</sub>');
    expect(body.endsWith('\nF')).toBe(true);
  });

  it('cuts the table too when even it does not fit', () => {
    const body = fitBody('H\n', markdown(3000), '\nF', { notice: (n) => `${n} left out`, budget: 20_000 });
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body).toMatch(/… \d+ more rows in the job summary/);
  });
});

describe('runner protocol', () => {
  const capture = () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _e, cb) {
        text += chunk.toString();
        cb();
      },
    });
    return { stream, text: () => text };
  };

  it('escapes annotation properties and data as the runner expects', () => {
    const out = capture();
    new Runner(out.stream, {}).error('line one\nline two 100%', {
      title: 'a: b, c',
      file: 'x.yaml',
      line: 3,
      col: 5,
    });
    expect(out.text()).toBe(
      '::error title=a%3A b%2C c,file=x.yaml,line=3,col=5::line one%0Aline two 100%25\n',
    );
  });

  it('writes outputs with a delimiter the value does not contain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-out-'));
    const file = join(dir, 'out');
    writeFileSync(file, '');
    const runner = new Runner(capture().stream, { GITHUB_OUTPUT: file });
    runner.setOutput('summary', '{"a":1}\nsecond line');
    runner.setOutput('checksum', 'sha256:x');
    expect(parseOutputs(readFileSync(file, 'utf8'))).toEqual({
      summary: '{"a":1}\nsecond line',
      checksum: 'sha256:x',
    });
  });

  it('masks each secret (and each line of a multi-line one) once, and redacts it from bodies', () => {
    const out = capture();
    const runner = new Runner(out.stream, {});
    runner.mask('s3cr3t-value');
    runner.mask('s3cr3t-value');
    runner.mask('-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----');
    expect(
      out
        .text()
        .split('\n')
        .filter((l) => l === '::add-mask::s3cr3t-value'),
    ).toHaveLength(1);
    expect(out.text()).toContain('::add-mask::abcdefgh\n');
    expect(runner.redact('token s3cr3t-value in a comment')).toBe('token *** in a comment');
  });

  it('reads list and boolean inputs as the runner sets them', () => {
    const env = { 'INPUT_ALLOW-DISRUPTION': 'a\n b \n\nc,d', INPUT_PRUNE: 'True', INPUT_COMMENT: 'yes' };
    expect(getListInput(env, 'allow-disruption')).toEqual(['a', 'b', 'c', 'd']);
    expect(getBooleanInput(env, 'prune', false)).toBe(true);
    expect(() => getBooleanInput(env, 'comment', true)).toThrow('input comment must be true or false');
  });
});
