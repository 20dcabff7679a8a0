/** `inferctl emulator --flavor opensearch`, fault injection, and the capability table. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../../src/cli/emulator.js';
import { openSearchCapabilitiesFor } from '../../../src/catalog/opensearch-capabilities.js';
import { os } from './helpers.js';

describe('inferctl emulator --flavor opensearch', () => {
  it('serves the requested OpenSearch version and stops cleanly', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    let stop: (s: string) => void = () => undefined;
    const stopSignal = new Promise<string>((resolve) => (stop = resolve));
    const done = emulatorCommand.run(
      ['--flavor', 'opensearch', '--version', '2.15.0', '--port', '0', '--nodes', '2'],
      {
        stdout,
        stderr: new PassThrough(),
        env: {},
        cwd: process.cwd(),
        stopSignal,
      },
    );
    while (!out.includes('listening')) await new Promise((r) => setTimeout(r, 5));
    const url = /listening (http:\/\/\S+)/.exec(out)?.[1] as string;
    const info = (await (await fetch(`${url}/`)).json()) as {
      version: { distribution: string; number: string };
    };
    expect(info.version).toMatchObject({ distribution: 'opensearch', number: '2.15.0' });
    stop('SIGTERM');
    expect(await done).toBe(0);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('rejects an unknown flavor and a bad version', async () => {
    const io = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: {},
      cwd: '.',
      stopSignal: new Promise<string>(() => undefined),
    };
    await expect(emulatorCommand.run(['--flavor', 'solr'], io)).rejects.toThrow(/--flavor/);
    await expect(emulatorCommand.run(['--flavor', 'opensearch', '--version', 'two'], io)).rejects.toThrow(
      /--version/,
    );
  });
});

describe('fault injection (shared plan, OpenSearch bodies)', () => {
  it('a 429 carries Retry-After and rejected_execution_exception; GET / is spared', async () => {
    const o = await os('2.19.0', { faults: { rate: 1, kinds: ['429'], seed: 7, retryAfterSeconds: 3 } });
    try {
      expect((await o.req('GET', '/')).status).toBe(200);
      const r = await o.req('GET', '/_plugins/_ml/models/x');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('3');
      expect(r.body.error.type).toBe('rejected_execution_exception');
    } finally {
      await o.close();
    }
  });

  it('a reset drops the connection', async () => {
    const o = await os('2.19.0', { faults: { rate: 1, kinds: ['reset'] } });
    try {
      await expect(o.req('GET', '/_plugins/_ml/models/x')).rejects.toThrow();
    } finally {
      await o.close();
    }
  });
});

describe('capability table', () => {
  it.each([
    ['2.12.0', { updateModelApi: true, guardrails: false, modelInterface: false, modelGuardrails: false }],
    ['2.13.0', { guardrails: true, deploySetting: true, modelTtl: false, modelGuardrails: false }],
    ['2.14.0', { modelInterface: true, modelTtl: true, modelGuardrails: false }],
    ['2.15.0', { modelGuardrails: true, registerLooksUpConnector: false }],
    ['2.19.0', { registerLooksUpConnector: true, tenantId: true, registerStoresIsEnabled: false }],
    ['3.0.0', { registerStoresIsEnabled: true, updateInlineConnectorCheck: false }],
    ['3.1.0', { updateInlineConnectorCheck: true, remoteModelConfig: 'remote', customIds: false }],
    ['3.9.0', { customIds: true }],
  ])('%s', (version, expected) => {
    expect(openSearchCapabilitiesFor(version)).toMatchObject(expected);
  });

  it('protocols and action types per version', () => {
    expect(openSearchCapabilitiesFor('2.19.0').connectorProtocols).toEqual(['aws_sigv4', 'http']);
    expect(openSearchCapabilitiesFor('3.3.0').connectorProtocols).toEqual([
      'aws_sigv4',
      'http',
      'mcp_sse',
      'mcp_streamable_http',
    ]);
    expect(openSearchCapabilitiesFor('2.14.0').connectorActionTypes).toEqual(['predict']);
    expect(openSearchCapabilitiesFor('2.17.0').connectorActionTypes).toHaveLength(5);
  });
});
