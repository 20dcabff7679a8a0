// A plan on a licence that refuses writes says so, instead of showing creates that apply would have refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const openai = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: chat }
spec:
  task_type: completion
  service: openai
  service_settings: { model_id: gpt-4o, api_key: { secretRef: { env: OPENAI_API_KEY } } }
`;
const e5 = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: my-e5 }
spec:
  task_type: text_embedding
  service: elasticsearch
  service_settings: { model_id: .multilingual-e5-small_linux-x86_64, num_threads: 1, num_allocations: 1 }
`;
const env = { OPENAI_API_KEY: 'sk-licence-0123' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
afterEach(async () => emulator?.close());
const plan = async (version: string, manifest: string) => {
  emulator = await startEmulator({ esVersion: version, port: 0, license: 'basic' });
  const file = join(mkdtempSync(join(tmpdir(), 'inferctl-licence-')), 'm.yaml');
  writeFileSync(file, manifest);
  const planned = await inferctlAsync(['plan', file, '--url', emulator.url], { env });
  const applied = await inferctlAsync(['apply', file, '--yes', '--url', emulator.url], { env });
  return { planned, applied };
};

describe('licences', () => {
  it('9.1 on basic: every create is blocked, and apply changes nothing', async () => {
    const { planned, applied } = await plan('9.1.0', openai);
    expect(planned.stdout).toContain(
      "BLOCKED: Elasticsearch 9.1.0 needs an active enterprise or trial licence for PUT and _update (from 8.18, PR #119893); this cluster's licence is basic",
    );
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('nothing was changed');
  });

  it('8.17 on basic: an in-cluster deployment is blocked, an external service is not', async () => {
    const inCluster = await plan('8.17.10', e5);
    expect(inCluster.planned.stdout).toContain(
      'needs a platinum, enterprise or trial licence to deploy in-cluster models',
    );
    await emulator.close();
    const external = await plan('8.17.10', openai);
    expect(external.planned.stdout).not.toContain('BLOCKED');
    expect(external.applied.code, external.applied.stdout + external.applied.stderr).toBe(0);
  });
});
