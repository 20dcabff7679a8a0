// dist/ is committed (a workflow runs the Action straight from the repository), so it must be what
// `npm run bundle` makes from the sources: rebuilt here to a temp location and compared byte for byte.
// The bundle must also run on its own, without node_modules or the precompiled validators of lib/.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { DIST, FIXTURES, inputEnv, parseOutputs, ROOT } from './run-action.js';

describe('dist/index.js', () => {
  it('is what npm run bundle builds from the sources (run npm run bundle and commit dist/ when this fails)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inferctl-bundle-'));
    const first = join(dir, 'a', 'index.js');
    const second = join(dir, 'b', 'index.js');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), first], { cwd: ROOT });
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), second], { cwd: tmpdir() });
    const built = readFileSync(first, 'utf8');
    // Deterministic: the same bytes whatever the directory it is built from or into.
    expect(readFileSync(second, 'utf8') === built).toBe(true);
    const committed = readFileSync(DIST, 'utf8');
    expect(committed === built, 'dist/index.js is stale: run npm run bundle').toBe(true);
    expect(readFileSync(join(ROOT, 'dist', 'package.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'a', 'package.json'), 'utf8'),
    );
  });

  it('names only relative paths and no build time', () => {
    const text = readFileSync(DIST, 'utf8');
    expect(text).not.toContain(ROOT);
    expect(text).not.toMatch(/\/(home|tmp|work|Users)\//);
  });

  describe('copied alone to an empty directory (no node_modules, no lib/)', () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    beforeAll(async () => {
      emulator = await startEmulator({ esVersion: '9.1.0', port: 0 });
    });
    afterAll(async () => emulator.close());

    it('validates (compiling the schema itself) and plans', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'inferctl-alone-'));
      mkdirSync(join(dir, 'action'));
      copyFileSync(DIST, join(dir, 'action', 'index.js'));
      copyFileSync(join(ROOT, 'dist', 'package.json'), join(dir, 'action', 'package.json'));
      mkdirSync(join(dir, 'ws'));
      writeFileSync(
        join(dir, 'ws', 'e.yaml'),
        `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: alone }
spec:
  task_type: sparse_embedding
  service: elasticsearch
  service_settings: { model_id: .elser_model_2_linux-x86_64, num_allocations: 1, num_threads: 1 }
---
apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: Bad Id }
spec: { task_type: completion, service: openai }
`,
      );
      const output = join(dir, 'output');
      writeFileSync(output, '');
      const run = (file: string) =>
        new Promise<{ code: number; stdout: string }>((resolve) => {
          const child = spawn(process.execPath, [join(dir, 'action', 'index.js')], {
            cwd: join(dir, 'ws'),
            env: {
              PATH: process.env['PATH'] ?? '',
              GITHUB_EVENT_NAME: 'schedule',
              GITHUB_EVENT_PATH: join(FIXTURES, 'schedule.json'),
              GITHUB_OUTPUT: output,
              GITHUB_WORKSPACE: join(dir, 'ws'),
              RUNNER_TEMP: dir,
              ...inputEnv({ command: 'plan', paths: file, url: emulator.url, 'github-token': '' }),
            },
          });
          let stdout = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
        });
      const invalid = await run('e.yaml');
      expect(invalid.code).toBe(1);
      expect(invalid.stdout).toMatch(
        /^::error title=inferctl%3A invalid_id,file=e\.yaml,line=11,col=19::invalid inference id/m,
      );
      writeFileSync(
        join(dir, 'ws', 'e.yaml'),
        readFileSync(join(dir, 'ws', 'e.yaml'), 'utf8').split('---')[0]!,
      );
      const valid = await run('e.yaml');
      expect(valid.code, valid.stdout).toBe(0);
      expect(parseOutputs(readFileSync(output, 'utf8'))['has-changes']).toBe('true');
    });
  });
});
