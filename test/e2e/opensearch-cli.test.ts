// The CLI on an OpenSearch cluster, as a user runs it: detected, not configured; the examples apply
// (connector → group → model → deploy) and the next plan is empty.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';

const env = secretEnv(join(EXAMPLES, 'opensearch'));

describe.each(['2.19.0', '3.1.0'])('inferctl apply on OpenSearch %s', (version) => {
  let emulator: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
  let dir: string;
  beforeAll(async () => {
    emulator = await startOpenSearchEmulator({ version, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'inferctl-os-cli-'));
  });
  afterAll(async () => emulator.close());

  it('applies examples/opensearch, then plans no changes', async () => {
    const args = [
      join(EXAMPLES, 'opensearch'),
      '--url',
      emulator.url,
      '--state-file',
      join(dir, 'state.json'),
    ];
    const applied = await inferctlAsync(['apply', ...args, '--yes'], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('✓ OpenSearchModel/openai-embeddings#deploy: DEPLOYED');
    const planned = await inferctlAsync(['plan', ...args, '--detailed-exitcode'], { env });
    expect(planned.stdout).toContain('No changes.');
    expect(planned.code).toBe(0);
    for (const out of [applied.stdout, applied.stderr, planned.stdout])
      for (const v of Object.values(env)) expect(out).not.toContain(v);
  });
});
