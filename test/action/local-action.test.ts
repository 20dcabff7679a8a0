// @github/local-action runs the Action's sources (src/action/main.ts, through tsx) with an .env file of
// inputs: checked here against the emulator, as `npm run local-action` does.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ROOT } from './run-action.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.1.0', port: 0 });
});
afterAll(async () => emulator.close());

describe('@github/local-action', () => {
  it(
    'runs src/action/main.ts against the emulator: plan, outputs, job summary',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'inferctl-local-action-'));
      const envFile = join(dir, '.env');
      const summary = join(dir, 'summary.md');
      writeFileSync(summary, '');
      writeFileSync(
        envFile,
        readFileSync(join(ROOT, 'test', 'action', 'local-action.env'), 'utf8')
          .replace(/^INPUT_URL=.*$/m, `INPUT_URL=${emulator.url}`)
          .concat(`GITHUB_STEP_SUMMARY=${summary}\nRUNNER_TEMP=${dir}\n`),
      );
      const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
        const child = spawn(
          join(ROOT, 'node_modules', '.bin', 'local-action'),
          ['run', ROOT, 'src/action/main.ts', envFile],
          {
            cwd: ROOT,
            env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, NO_COLOR: '1' },
          },
        );
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
      });
      expect(result.stdout).toContain('Running Action');
      expect(result.stdout).toContain('output has-changes=true');
      expect(result.stdout).toMatch(/output checksum=sha256:[0-9a-f]{64}/);
      expect(
        result.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
      ).not.toContain('local-canary-key-1234');
      expect(readFileSync(summary, 'utf8')).toContain('### inferctl plan');
      expect(result.code).toBe(0);
    },
  );
});
