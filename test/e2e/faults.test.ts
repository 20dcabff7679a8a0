// Unattended runs meet interrupts and flaky networks. A real apply process is interrupted mid-run; applies
// run against seeded fault injection (429 with Retry-After, 502/503/504, connection resets, latency) and a
// slow model start (408). Each time: nothing created twice, nothing left deleted, the truth reported, and
// the next apply converges to an empty plan.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handle, startEmulator } from '../../src/emulator/index.js';
import { CLI, inferctlAsync } from '../helpers/cli.js';

const endpoint = (id: string, user = 'search') => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${id} }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;
const env = { OPENAI_API_KEY: 'sk-canary-faults-9f8e7d' };

function manifests(dir: string, n: number, user = 'search'): string {
  const file = join(dir, 'endpoints.yaml');
  writeFileSync(
    file,
    Array.from({ length: n }, (_, i) => endpoint(`ep-${String(i).padStart(2, '0')}`, user)).join('---\n'),
  );
  return file;
}

/** The endpoints on the emulator, read from its state: past the fault injection the test itself sets up. */
async function listIds(es: Awaited<ReturnType<typeof startEmulator>>): Promise<string[]> {
  const { body } = await handle(es.state, {
    method: 'GET',
    path: '/_inference/_all',
    uri: '/_inference/_all',
    query: {},
    headers: {},
  });
  return (body as { endpoints: { inference_id: string }[] }).endpoints
    .map((e) => e.inference_id)
    .filter((id) => !id.startsWith('.'));
}

describe('an interrupted apply', () => {
  it('finishes the change in flight, records it, releases the lock, exits non-zero; the next apply converges', async () => {
    const es = await startEmulator({
      esVersion: '9.1.0',
      port: 0,
      faults: { rate: 1, kinds: ['latency'], latencyMs: 150 },
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inferctl-interrupt-'));
      const file = manifests(dir, 12);
      const child = spawn(
        process.execPath,
        [CLI, 'apply', file, '--yes', '--concurrency', '1', '--url', es.url],
        {
          env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
        },
      );
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (!sent && stdout.includes('sent PUT')) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        child.on('close', (c) => resolve(c ?? -1));
      });
      expect(sent).toBe(true);
      expect(code).toBe(1);
      expect(stderr).toContain('SIGINT: finishing the changes in flight, starting no new ones');
      expect(stdout).toContain('Apply interrupted:');
      expect(stdout).toMatch(/not-executed/);
      const created = await listIds(es);
      expect(created.length).toBeGreaterThan(0);
      expect(created.length).toBeLessThan(12);
      // the lock was released, and what was done is owned
      expect((await fetch(`${es.url}/inferctl-inventory-lock/_doc/lock`)).status).toBe(404);
      await fetch(`${es.url}/inferctl-inventory/_refresh`, { method: 'POST' });
      const owned = (await (await fetch(`${es.url}/inferctl-inventory/_search?size=100`)).json()) as {
        hits: { hits: unknown[] };
      };
      expect(owned.hits.hits.length).toBe(created.length);
      // the next apply creates the rest, and then there is nothing to do
      const again = await inferctlAsync(['apply', file, '--yes', '--concurrency', '8', '--url', es.url], {
        env,
      });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain(`Apply complete: ${12 - created.length} succeeded.`);
      expect(
        (await inferctlAsync(['plan', file, '--detailed-exitcode', '--url', es.url], { env })).code,
      ).toBe(0);
    } finally {
      await es.close();
    }
  }, 60_000);
});

describe('applies under injected faults', () => {
  it.each([1, 2, 3])(
    'seed %i: converge, never create twice, report every retry honestly',
    async (seed) => {
      const es = await startEmulator({
        esVersion: '9.1.0',
        port: 0,
        faults: {
          rate: 0.3,
          seed,
          kinds: ['429', '502', '503', '504', 'reset', 'latency'],
          latencyMs: 50,
          retryAfterSeconds: 1,
        },
      });
      try {
        const dir = mkdtempSync(join(tmpdir(), 'inferctl-faults-'));
        const file = manifests(dir, 8);
        const args = [
          '--yes',
          '--concurrency',
          '4',
          '--url',
          es.url,
          '--log-level',
          'debug',
          '--log-format',
          'json',
        ];
        let runs = 0;
        let last = { code: -1, stdout: '', stderr: '' };
        // Like a CI job re-run: apply until it succeeds (each run must leave a state the next can finish).
        while (runs < 5) {
          runs++;
          last = await inferctlAsync(['apply', file, ...args], { env });
          for (const out of [last.stdout, last.stderr]) expect(out).not.toContain(env.OPENAI_API_KEY);
          if (last.code === 0) break;
        }
        expect(last.code, last.stdout + last.stderr).toBe(0);
        expect((await listIds(es)).sort()).toEqual(
          Array.from({ length: 8 }, (_, i) => `ep-${String(i).padStart(2, '0')}`),
        );
        // an update of every endpoint under the same faults
        manifests(dir, 8, 'ranking');
        let updated = { code: -1, stdout: '', stderr: '' };
        for (let i = 0; i < 5 && updated.code !== 0; i++)
          updated = await inferctlAsync(['apply', file, ...args], { env });
        expect(updated.code, updated.stdout + updated.stderr).toBe(0);
        const plan = await inferctlAsync(['plan', file, '--detailed-exitcode', '--url', es.url], { env });
        expect(plan.code, plan.stdout).toBe(0);
        const retries = (last.stderr + updated.stderr)
          .split('\n')
          .filter((l) => l.includes('"msg":"request"') && /"status":(429|50[234])/.test(l)).length;
        expect(retries).toBeGreaterThan(0);
      } finally {
        await es.close();
      }
    },
    120_000,
  );

  it('a create that times out waiting for its model is read back, not sent twice', async () => {
    const es = await startEmulator({
      esVersion: '9.1.0',
      port: 0,
      deploymentStartDelayMs: 1200,
      deploymentWaitMs: 100,
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inferctl-408-'));
      const file = join(dir, 'e5.yaml');
      writeFileSync(
        file,
        `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: slow-e5 }
spec:
  task_type: text_embedding
  service: elasticsearch
  service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: 1 }
`,
      );
      const result = await inferctlAsync([
        'apply',
        file,
        '--yes',
        '--url',
        es.url,
        '--log-level',
        'debug',
        '--log-format',
        'json',
      ]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const puts = result.stderr
        .split('\n')
        .filter(
          (l) =>
            l.includes('"msg":"request"') &&
            l.includes('"method":"PUT"') &&
            l.includes('/_inference/text_embedding/slow-e5'),
        );
      expect(puts.map((l) => JSON.parse(l).status)).toEqual([408]);
      expect(result.stdout).toContain('✓ slow-e5: created and verified [PUT]');
    } finally {
      await es.close();
    }
  }, 60_000);
});

describe('secrets in every output', () => {
  it('no canary in stdout, stderr, plan files, state files or debug logs, even when the server echoes bodies', async () => {
    const es = await startEmulator({ esVersion: '8.17.10', port: 0, providerValidation: { failAll: true } });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inferctl-secrets-'));
      const file = manifests(dir, 2);
      const stateFile = join(dir, 'state.json');
      const outputs: string[] = [];
      for (const args of [
        ['validate', file],
        ['plan', file, '--out', join(dir, 'plan.json'), '--format', 'json'],
        ['plan', file, '--format', 'markdown'],
        ['apply', file, '--yes'], // fails: the provider validation call fails
        ['drift', file, '--format', 'json'],
        ['export'],
      ]) {
        const needsUrl = args[0] !== 'validate';
        const r = await inferctlAsync(
          [
            ...args,
            ...(needsUrl
              ? ['--url', es.url, '--state-file', stateFile, '--log-level', 'trace', '--log-format', 'json']
              : []),
          ],
          { env },
        );
        outputs.push(r.stdout, r.stderr);
      }
      outputs.push(readFileSync(join(dir, 'plan.json'), 'utf8'));
      expect(outputs.join('\n')).toContain('validation call to service threw an exception');
      for (const out of outputs) expect(out).not.toContain('canary');
    } finally {
      await es.close();
    }
  }, 60_000);
});
