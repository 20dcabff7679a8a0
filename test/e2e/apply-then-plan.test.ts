// The promise of inferctl: right after an apply, a plan is empty — for every example, on every version
// profile. The CLI is spawned as a user runs it, against the emulator (authorised for EIS, as on Elastic Cloud).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_PROFILES } from '../../src/catalog/capabilities.js';
import { compareVersions } from '../../src/catalog/version.js';
import { startEmulator } from '../../src/emulator/index.js';
import { loadManifests } from '../../src/manifest/load.js';
import { checkForVersion } from '../../src/manifest/version-check.js';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { toYaml } from '../helpers/manifests.js';

const env = secretEnv(EXAMPLES);
const all = loadManifests(['services'], { cwd: EXAMPLES, env }).manifests;
const profiles = VERSION_PROFILES.filter((v) => compareVersions(v, '8.15.0') >= 0);

describe.each(profiles)('Elasticsearch %s', (version) => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let dir: string;
  const valid = all.filter((m) => checkForVersion([m], version).length === 0);

  beforeAll(async () => {
    emulator = await startEmulator({ esVersion: version, port: 0, eisAuthorized: true });
    dir = mkdtempSync(join(tmpdir(), `inferctl-e2e-${version}-`));
    writeFileSync(
      join(dir, 'endpoints.yaml'),
      toYaml(valid, (m) => `SECRET_${m.id.replace(/\W/g, '_').toUpperCase()}`),
    );
  });
  afterAll(async () => emulator.close());

  const secrets = () =>
    Object.fromEntries(valid.map((m) => [`SECRET_${m.id.replace(/\W/g, '_').toUpperCase()}`, `sk-${m.id}`]));

  it('applies every example it supports, then plans no changes', async () => {
    expect(valid.length).toBeGreaterThan(10);
    const common = ['--url', emulator.url, '--state-file', join(dir, 'state.json')];
    const applied = await inferctlAsync(['apply', dir, '--yes', ...common], { env: secrets() });
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(`Apply complete: ${valid.length} succeeded.`);
    expect(applied.code).toBe(0);
    const planned = await inferctlAsync(['plan', dir, '--detailed-exitcode', ...common], { env: secrets() });
    expect(planned.stdout).toContain(`No changes. ${valid.length} endpoints in sync.`);
    expect(planned.code).toBe(0);
  });

  it('exports what it applied; with the secrets set, the exported manifests plan no changes', async () => {
    const out = join(dir, 'exported');
    const exported = await inferctlAsync(['export', '--url', emulator.url, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const variables =
      /Set these variables to the endpoints' secrets before planning: (.*)\n/
        .exec(exported.stderr)?.[1]
        ?.split(' ') ?? [];
    const env = Object.fromEntries(variables.map((v) => [v, 'value']));
    const planned = await inferctlAsync(
      ['plan', out, '--detailed-exitcode', '--url', emulator.url, '--state-file', join(dir, 'x.json')],
      { env },
    );
    expect(planned.stdout + planned.stderr).toContain(`No changes. ${valid.length} endpoints in sync.`);
    expect(planned.code).toBe(0);
  });
});
