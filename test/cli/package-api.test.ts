// inferctl as a library: `import … from 'inferctl'` resolves through package.json "exports" to lib/index.js
// (built by npm test's global setup) and does what the CLI does, without printing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

function runModule(code: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("the package's public API", () => {
  it('resolves by name and exposes validate, plan, apply, drift and the client', () => {
    const r = runModule(`
      const api = await import('inferctl');
      const names = ['validate', 'loadManifests', 'plan', 'apply', 'driftReport', 'capabilitiesFor',
        'createElasticsearchClient', 'resolveConnection', 'probeCluster', 'planCluster', 'planOpenSearch',
        'InferctlError'];
      console.log(JSON.stringify(names.filter((n) => typeof api[n] !== 'function')));
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('validates examples and plans them against an empty cluster, printing nothing itself', () => {
    const r = runModule(`
      import { validate, plan, capabilitiesFor } from 'inferctl';
      const { manifests, diagnostics } = validate(['examples/services/openai.yaml'], {
        cwd: process.cwd(), env: {}, resolveSecrets: false, version: '9.5.0' });
      const p = plan({ desired: manifests, live: [], capabilities: capabilitiesFor('9.5.0'), target: { url: 'http://es' } });
      process.stdout.write(JSON.stringify({ errors: diagnostics.filter((d) => d.severity === 'error').length,
        actions: [...new Set(p.changes.map((c) => c.action))], n: p.changes.length }));
    `);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { errors: number; actions: string[]; n: number };
    expect(out.errors).toBe(0);
    expect(out.actions).toEqual(['create']);
    expect(out.n).toBeGreaterThan(0);
  });

  it('reports a bad manifest as diagnostics with file and line, not by throwing', () => {
    const r = runModule(`
      import { validate } from 'inferctl';
      const { diagnostics } = validate(['examples/invalid'], { cwd: process.cwd(), env: {}, resolveSecrets: false });
      const first = diagnostics.find((d) => d.severity === 'error');
      process.stdout.write(JSON.stringify({ n: diagnostics.length, file: first.file, line: first.line }));
    `);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { n: number; file: string; line: number };
    expect(out.n).toBeGreaterThan(0);
    expect(out.file).toContain('examples/invalid');
    expect(out.line).toBeGreaterThan(0);
  });
});
