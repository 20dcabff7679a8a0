/** `inferctl emulator`: prints the URL once ready, serves until the stop signal, exits 0. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/cli/emulator.js';

describe('inferctl emulator', () => {
  it('listens, serves, stops cleanly', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    let stop: (s: string) => void = () => undefined;
    const stopSignal = new Promise<string>((resolve) => (stop = resolve));
    const t0 = Date.now();
    const done = emulatorCommand.run(['--port', '0', '--es-version', '8.18.2', '--license', 'basic'], {
      stdout,
      stderr: new PassThrough(),
      env: {},
      cwd: process.cwd(),
      stopSignal,
    });
    while (!out.includes('listening')) await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - t0).toBeLessThan(1000);
    const url = /listening (http:\/\/\S+)/.exec(out)?.[1] as string;
    const res = await fetch(`${url}/`);
    expect(((await res.json()) as { version: { number: string } }).version.number).toBe('8.18.2');
    stop('SIGTERM');
    expect(await done).toBe(0);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('rejects a bad licence', async () => {
    await expect(
      emulatorCommand.run(['--license', 'gold'], {
        stdout: new PassThrough(),
        stderr: new PassThrough(),
        env: {},
        cwd: '.',
        stopSignal: new Promise(() => undefined),
      }),
    ).rejects.toThrow(/--license/);
  });
});
