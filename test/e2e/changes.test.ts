// Changing each kind of field, end to end: the requests apply sends (update in place or delete + create)
// depend on the cluster's version, and afterwards the plan is empty again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const openai = (user: string, extra = '') => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: openai-small }
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: ${extra.includes('large') ? 'text-embedding-3-large' : 'text-embedding-3-small'}
    api_key: { secretRef: { env: OPENAI_API_KEY } }
${extra.includes('rate') ? '    rate_limit: { requests_per_minute: 100 }\n' : ''}  task_settings: { user: ${user} }
`;

const e5 = (allocations: number) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: my-e5 }
spec:
  task_type: text_embedding
  service: elasticsearch
  service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: ${allocations} }
`;

interface Step {
  readonly files: Record<string, string>;
  readonly env?: Record<string, string>;
  /** The requests apply reports per endpoint, e.g. `openai-small: [_update]`. */
  readonly expect: Record<string, string>;
  /**
   * The step's `_update` resets chunking to word/250/100 (8.17 – 9.2.5, 9.3.0: issue #139574): the next plan shows
   * the reset as drift, and applying it repairs it by replacement.
   */
  readonly resetsChunking?: true;
}

const scenarios: Record<string, { version: string; steps: Step[] }> = {
  '9.1: task settings and secrets in place, model and rate limit by replacement': {
    version: '9.1.0',
    steps: [
      { files: { 'a.yaml': openai('search') }, expect: { 'openai-small': '[PUT]' } },
      {
        files: { 'a.yaml': openai('ranking') },
        expect: { 'openai-small': '[_update]' },
        resetsChunking: true,
      },
      {
        files: { 'a.yaml': openai('ranking') },
        env: { OPENAI_API_KEY: 'sk-rotated' },
        expect: { 'openai-small': '[_update]' },
        resetsChunking: true,
      },
      { files: { 'a.yaml': openai('ranking', 'large') }, expect: { 'openai-small': '[DELETE, PUT]' } },
      { files: { 'a.yaml': openai('ranking', 'large rate') }, expect: { 'openai-small': '[DELETE, PUT]' } },
    ],
  },
  '9.5: the rate limit in place too': {
    version: '9.5.0',
    steps: [
      { files: { 'a.yaml': openai('search') }, expect: { 'openai-small': '[PUT]' } },
      { files: { 'a.yaml': openai('search', 'rate') }, expect: { 'openai-small': '[_update]' } },
    ],
  },
  '8.16: no _update API, every change is a replacement': {
    version: '8.16.6',
    steps: [
      { files: { 'a.yaml': openai('search') }, expect: { 'openai-small': '[PUT]' } },
      { files: { 'a.yaml': openai('ranking') }, expect: { 'openai-small': '[DELETE, PUT]' } },
    ],
  },
  '8.17: allocations of an in-cluster endpoint in place': {
    version: '8.17.10',
    steps: [
      { files: { 'e5.yaml': e5(1) }, expect: { 'my-e5': '[PUT]' } },
      { files: { 'e5.yaml': e5(2) }, expect: { 'my-e5': '[_update]' }, resetsChunking: true },
    ],
  },
};

describe.each(Object.entries(scenarios))('%s', (_name, scenario) => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator({ esVersion: scenario.version, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'inferctl-changes-'));
  });
  afterAll(async () => emulator.close());

  it('sends the requests the version allows, and converges', async () => {
    const manifests = join(dir, 'manifests');
    for (const [i, step] of scenario.steps.entries()) {
      rmSync(manifests, { recursive: true, force: true });
      mkdirSync(manifests);
      for (const [name, text] of Object.entries(step.files)) writeFileSync(join(manifests, name), text);
      const env = { OPENAI_API_KEY: 'sk-original', ...step.env };
      const args = ['--url', emulator.url, '--state-file', join(dir, 'state.json')];
      const applied = await inferctlAsync(['apply', manifests, '--yes', ...args], { env });
      expect(applied.code, `step ${i}: ${applied.stdout}${applied.stderr}`).toBe(0);
      for (const [id, requests] of Object.entries(step.expect)) {
        expect(applied.stdout, `step ${i}`).toMatch(
          new RegExp(`✓ ${escapeRegExp(id)}: .* ${escapeRegExp(requests)}\n`),
        );
      }
      if (step.resetsChunking) {
        const reset = await inferctlAsync(['plan', manifests, '--detailed-exitcode', ...args], { env });
        expect(reset.code, `step ${i}: ${reset.stdout}`).toBe(2);
        expect(reset.stdout).toContain('chunking_settings read back as word/250/100: an _update reset them');
        const repaired = await inferctlAsync(['apply', manifests, '--yes', ...args], { env });
        expect(repaired.code, `step ${i}: ${repaired.stdout}${repaired.stderr}`).toBe(0);
        expect(repaired.stdout).toMatch(/\[DELETE, PUT\]\n/);
      }
      const planned = await inferctlAsync(['plan', manifests, '--detailed-exitcode', ...args], { env });
      expect(planned.code, `step ${i}: ${planned.stdout}`).toBe(0);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
