// Bringing an existing OpenSearch cluster under inferctl: export writes manifests that validate and plan to no
// changes; adopt records the objects (by kind/name, =ID when names collide); --prune deletes only what is owned;
// forget releases; unlock removes a dead run's lease — the same workflow as on Elasticsearch.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { inferctlAsync } from '../helpers/cli.js';
import { EXAMPLES, secretEnv } from '../helpers/examples.js';
import { openAiConnector } from '../emulator/opensearch/helpers.js';

const examplesEnv = secretEnv(join(EXAMPLES, 'opensearch'));

describe.each(['2.19.0', '3.9.0'])('export, adopt, forget and unlock on OpenSearch %s', (version) => {
  let source: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
  let dir: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(source.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    // A cluster set up by someone else: the examples applied with a throw-away state file, so that the
    // cluster's own inventory is empty, as on a cluster inferctl has never seen.
    source = await startOpenSearchEmulator({ version, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'inferctl-os-export-'));
    const seeded = await inferctlAsync(
      [
        'apply',
        join(EXAMPLES, 'opensearch'),
        '--url',
        source.url,
        '--state-file',
        join(dir, 'seed.json'),
        '--yes',
      ],
      { env: examplesEnv },
    );
    expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
  });
  afterAll(async () => source.close());

  it('exports manifests that validate and plan to no changes, then adopts them', async () => {
    const out = join(dir, 'exported');
    const exported = await inferctlAsync(['export', '--url', source.url, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe('Wrote 9 manifests to ' + out + '.\n');
    expect(readdirSync(out).sort()).toContain('model-openai-embeddings.yaml');
    const variables = /before planning: (.*)\n/.exec(exported.stderr)![1]!.split(' ');
    expect(variables).toContain('OPENAI_EMBEDDINGS_CONNECTOR_OPENAI_KEY');
    const env = Object.fromEntries(variables.map((v) => [v, 'value-of-' + v]));

    const valid = await inferctlAsync(['validate', out], { env });
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    const planned = await inferctlAsync(['plan', out, '--url', source.url, '--detailed-exitcode'], { env });
    expect(planned.stdout + planned.stderr).toContain('No changes.');
    expect(planned.code).toBe(0);

    const adoptLine = /inferctl adopt (.*)\n/.exec(exported.stderr)![1]!.split(' ');
    const adopted = await inferctlAsync(['adopt', ...adoptLine, '--url', source.url]);
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toMatch(
      /OpenSearchModel\/openai-embeddings: adopted, id [\w-]{20} \(recorded in the index inferctl-inventory on the cluster\)/,
    );
    const again = await inferctlAsync(['adopt', 'OpenSearchModel/openai-embeddings', '--url', source.url]);
    expect(again.stdout).toMatch(/already owned/);
    // Adopted connectors' credentials are unknown until an apply sends them.
    const after = await inferctlAsync(['plan', out, '--url', source.url], { env });
    expect(after.stdout).toContain('No changes.');
    expect(after.stdout).toContain('cannot verify');
  });

  it('refuses to guess between objects of the same name, and takes kind/name=ID', async () => {
    const a = await call('POST', '/_plugins/_ml/connectors/_create', openAiConnector({ name: 'twin' }));
    const b = await call('POST', '/_plugins/_ml/connectors/_create', openAiConnector({ name: 'twin' }));
    const ambiguous = await inferctlAsync(['adopt', 'OpenSearchConnector/twin', '--url', source.url]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(
      `2 objects are named OpenSearchConnector/twin: ${String(a.body['connector_id'])}, ${String(b.body['connector_id'])}`,
    );
    expect(ambiguous.stderr).toContain('inferctl adopt OpenSearchConnector/twin=ID');
    const chosen = await inferctlAsync([
      'adopt',
      `OpenSearchConnector/twin=${String(b.body['connector_id'])}`,
      '--url',
      source.url,
    ]);
    expect(chosen.stdout).toContain(`adopted, id ${String(b.body['connector_id'])}`);
    const repoint = await inferctlAsync([
      'adopt',
      `OpenSearchConnector/twin=${String(a.body['connector_id'])}`,
      '--url',
      source.url,
    ]);
    expect(repoint.code).toBe(1);
    expect(repoint.stderr).toContain(
      `OpenSearchConnector/twin is already owned with id ${String(b.body['connector_id'])}, not ${String(a.body['connector_id'])}`,
    );
    const exported = await inferctlAsync(['export', '--url', source.url]);
    expect(exported.stderr).toContain('skipped OpenSearchConnector/twin');
    expect(exported.stderr).toContain('2 OpenSearchConnector objects are named twin');

    const bad = await inferctlAsync(['adopt', 'twin', '--url', source.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"twin" is not an OpenSearch object: name it kind/name');
  });

  it('prunes only owned objects, forget releases them, unlock removes a dead lease', async () => {
    // The adopted twin is owned and undeclared: --prune deletes it; the other twin is not owned: untouched.
    const env = { ...examplesEnv };
    const pruned = await inferctlAsync(
      ['plan', join(EXAMPLES, 'opensearch'), '--url', source.url, '--prune', '--max-deletes', '5'],
      { env },
    );
    expect(pruned.stdout).toMatch(
      /- OpenSearchConnector\/twin \([\w-]{20}\) will be deleted\n *because owned by inferctl and no longer declared \(--prune\)\n *- name: "twin"\n/,
    );
    const markdown = await inferctlAsync(
      ['plan', join(EXAMPLES, 'opensearch'), '--url', source.url, '--prune', '--format', 'markdown'],
      { env },
    );
    expect(markdown.stdout).toContain('**1** to delete');
    expect(markdown.stdout).toContain(
      '> **delete** `OpenSearchConnector/twin`: owned by inferctl and no longer declared',
    );
    expect(markdown.stdout).toMatch(/\| - \| `OpenSearchConnector\/twin` \| `[\w-]{20}` \|/);
    const forgotten = await inferctlAsync(['forget', 'OpenSearchConnector/twin', '--url', source.url]);
    expect(forgotten.stdout).toBe('OpenSearchConnector/twin: forgotten (still on the cluster)\n');
    const planned = await inferctlAsync(
      ['plan', join(EXAMPLES, 'opensearch'), '--url', source.url, '--prune', '--format', 'json'],
      { env },
    );
    const plan = JSON.parse(planned.stdout) as { changes: { key: string; action: string }[] };
    expect(plan.changes.filter((c) => c.key.includes('twin'))).toEqual([]);

    await call('PUT', '/inferctl-inventory-lock/_create/lock', {
      owner: 'ci',
      host: 'gone',
      pid: 7,
      command: 'inferctl apply',
      acquired_at: '2026-11-22T00:00:00.000Z',
      expires_at: '2099-01-01T00:00:00.000Z',
    });
    const blocked = await inferctlAsync(
      ['apply', join(EXAMPLES, 'opensearch'), '--url', source.url, '--yes', '--lock-timeout', '0s'],
      { env },
    );
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('another inferctl run holds the lock: ci on gone (pid 7');
    const unlocked = await inferctlAsync(['unlock', '--url', source.url]);
    expect(unlocked.stdout).toContain('Removed the lock held by ci on gone (pid 7');
  });
});
