// Elasticsearch 8.17 – 9.2.5 and 9.3.0 reset an endpoint's chunking to word/250/100 on every successful _update
// (issue #139574; fixed in 9.2.6, 9.3.1 and 9.4.0). An endpoint inferctl created with the default sentence chunking
// and then updated in place reads back with the legacy chunking: that reset must show as drift until it is
// repaired, never as "in sync".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const endpoint = (user: string) => `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: emb }
spec:
  task_type: text_embedding
  service: openai
  service_settings: { model_id: text-embedding-3-small, api_key: { secretRef: { env: OPENAI_API_KEY } } }
  task_settings: { user: ${user} }
`;
const env = { OPENAI_API_KEY: 'sk-chunking-0123' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
afterEach(async () => emulator?.close());

const scenario = async (version: string) => {
  emulator = await startEmulator({ esVersion: version, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-chunking-'));
  const file = join(dir, 'm.yaml');
  const run = (...args: string[]) =>
    inferctlAsync([args[0]!, file, ...args.slice(1), '--url', emulator.url], { env });
  writeFileSync(file, endpoint('search'));
  expect((await run('apply', '--yes')).code).toBe(0);
  writeFileSync(file, endpoint('ranking'));
  const updated = await run('apply', '--yes');
  expect(updated.code, updated.stdout + updated.stderr).toBe(0);
  expect(updated.stdout).toContain('updated in place');
  return { run, updated };
};

describe('the chunking reset of an _update (issue #139574)', () => {
  it.each(['8.19.7', '9.1.0', '9.2.1', '9.3.0'])(
    '%s: shows as drift after inferctl’s own _update',
    async (version) => {
      const { run, updated } = await scenario(version);
      expect(updated.stdout).toContain('otherwise the next plan shows the reset as drift');
      const plan = await run('plan', '--detailed-exitcode');
      expect(plan.code, plan.stdout).toBe(2);
      expect(plan.stdout).toContain('chunking_settings read back as word/250/100: an _update reset them');
      const drift = await run('drift');
      expect(drift.code, drift.stdout).toBe(2);
      expect(drift.stdout).toContain('DRIFTED emb');
      // Repaired (a replacement: chunking is not updatable before 9.5), then in sync.
      const repaired = await run('apply', '--yes');
      expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0);
      expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
    },
  );

  it.each(['9.2.6', '9.3.1', '9.4.0'])(
    '%s: fixed — the _update keeps the chunking, the next plan is empty',
    async (version) => {
      const { run } = await scenario(version);
      const plan = await run('plan', '--detailed-exitcode');
      expect(plan.code, plan.stdout).toBe(0);
    },
  );
});
