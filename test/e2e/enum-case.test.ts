// Enum values Elasticsearch parses in any case (Enum.fromString: valueOf(name.trim().toUpperCase(Locale.ROOT))):
// validate accepts them, and the spelling the server stores does not show as a difference.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { inferctlAsync } from '../helpers/cli.js';

const manifest = `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: cohere-embed }
spec:
  task_type: text_embedding
  service: cohere
  service_settings:
    model_id: embed-english-v3.0
    similarity: COSINE
    api_key: { secretRef: { env: COHERE_API_KEY } }
  task_settings: { truncate: start, input_type: SEARCH }
`;
const env = { COHERE_API_KEY: 'co-case-0123' };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0 });
});
afterAll(async () => emulator.close());

describe('case-insensitive enums', () => {
  it('validates, applies, and the stored spelling is in sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-case-'));
    const file = join(dir, 'm.yaml');
    writeFileSync(file, manifest);
    const validated = await inferctlAsync(['validate', file], { env });
    expect(validated.code, validated.stdout).toBe(0);
    const applied = await inferctlAsync(['apply', file, '--yes', '--url', emulator.url], { env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const live = (await (await fetch(`${emulator.url}/_inference/cohere-embed`)).json()) as {
      endpoints: { task_settings: Record<string, string>; service_settings: Record<string, unknown> }[];
    };
    expect(live.endpoints[0]!.task_settings).toMatchObject({ truncate: 'start', input_type: 'search' });
    const plan = await inferctlAsync(['plan', file, '--detailed-exitcode', '--url', emulator.url], { env });
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('a value in mixed case outside the schema’s spellings is refused with the documented one suggested', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-case-'));
    const file = join(dir, 'm.yaml');
    writeFileSync(file, manifest.replace('truncate: start', 'truncate: Stort'));
    const validated = await inferctlAsync(['validate', file], { env });
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain('spec.task_settings.truncate: "Stort" is not allowed');
  });
});
