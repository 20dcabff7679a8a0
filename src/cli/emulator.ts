/**
 * `inferctl emulator`: serve the Elasticsearch `_inference` emulator, or with `--flavor opensearch` the
 * OpenSearch ML Commons one, until stopped, so users can try manifests and CI workflows without a cluster.
 */
import { parseArgs } from 'node:util';
import { parseVersion } from '../catalog/version.js';
import { startEmulator, type EmulatorOptions, type FaultKind, type License } from '../emulator/index.js';
import { startOpenSearchEmulator } from '../emulator/opensearch/index.js';
import { EXIT, type Command } from './command.js';
import { usageError } from './util.js';

const help = `Usage: inferctl emulator [options]

Serves a local Elasticsearch look-alike for the _inference API of one version: endpoints, _update,
delete with references, default endpoints, trained-model deployments, licences, errors as the real
server words them. Prints "listening http://HOST:PORT" once ready; stops on SIGINT/SIGTERM.

With --flavor opensearch it serves an OpenSearch ML Commons look-alike instead: connectors, model
groups, remote models, register/deploy/undeploy tasks.

Options:
  --flavor FLAVOR             elasticsearch | opensearch (default elasticsearch)
  --version VERSION           OpenSearch version to behave like (default 2.19.0; 2.12 … 3.9)
  --nodes N                   OpenSearch: number of ML nodes (default 1)
  --host HOST                 address to listen on (default 127.0.0.1)
  --port PORT                 port (default 9200; 0 = any free port)
  --es-version VERSION        Elasticsearch version to behave like (default 9.1.0; 8.12 … 9.5), or
                              serverless (Elastic Cloud Serverless: build_flavor serverless, EIS on)
  --eis                       the cluster is authorised for the Elastic Inference Service (elastic
                              endpoints can be created; its preconfigured .…-elastic endpoints exist)
  --license LEVEL             enterprise | trial | platinum | basic (default enterprise)
  --api-key KEY               require "Authorization: ApiKey KEY"
  --basic-auth USER:PASS      accept HTTP basic credentials
  --deployment-delay MS       how long deployments stay "starting" (Elasticsearch) or DEPLOYING
                              (OpenSearch) (default 0)
  --scale-to-zero             idle adaptive deployments with minimum 0 show 0 allocations
  --fail-validation           make every provider validation call fail (as without network)
  --fault-rate RATE           inject faults in this fraction of requests (0-1, default 0)
  --fault-seed SEED           seed for reproducible faults (default 1)
  --fault-kinds LIST          comma list of latency,429,502,503,504,reset (default all)
  --fault-latency MS          delay of a latency fault (default 200)
  -h, --help                  show this help`;

const LICENSES: readonly License[] = ['basic', 'trial', 'platinum', 'enterprise'];
const FAULTS: readonly FaultKind[] = ['latency', '429', '502', '503', '504', 'reset'];

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw usageError(`--${name} must be a non-negative number, not "${value}"`);
  return n;
}

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'serve a local Elasticsearch _inference emulator (no cluster needed)',
  help,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        flavor: { type: 'string', default: 'elasticsearch' },
        version: { type: 'string', default: '2.19.0' },
        nodes: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '9200' },
        'es-version': { type: 'string', default: '9.1.0' },
        license: { type: 'string', default: 'enterprise' },
        'api-key': { type: 'string' },
        'basic-auth': { type: 'string' },
        'deployment-delay': { type: 'string' },
        'scale-to-zero': { type: 'boolean', default: false },
        'fail-validation': { type: 'boolean', default: false },
        eis: { type: 'boolean' },
        'fault-rate': { type: 'string' },
        'fault-seed': { type: 'string' },
        'fault-kinds': { type: 'string' },
        'fault-latency': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    if (values.flavor !== 'elasticsearch' && values.flavor !== 'opensearch') {
      throw usageError(`--flavor must be elasticsearch or opensearch, not "${values.flavor}"`);
    }
    const version = values['es-version'];
    try {
      if (version !== 'serverless') parseVersion(version);
    } catch {
      throw usageError(`--es-version must look like 8.18 or 9.1.0 (or be serverless), not "${version}"`);
    }
    if (!LICENSES.includes(values.license as License)) {
      throw usageError(`--license must be one of ${LICENSES.join(', ')}, not "${values.license}"`);
    }
    const port = number('port', values.port, 9200);
    let basicAuth: EmulatorOptions['basicAuth'];
    if (values['basic-auth'] !== undefined) {
      const at = values['basic-auth'].indexOf(':');
      if (at < 1) throw usageError('--basic-auth must be USER:PASS');
      basicAuth = {
        username: values['basic-auth'].slice(0, at),
        password: values['basic-auth'].slice(at + 1),
      };
    }
    const kinds = values['fault-kinds']?.split(',').map((k) => k.trim()) ?? [];
    for (const k of kinds)
      if (!FAULTS.includes(k as FaultKind)) throw usageError(`unknown fault kind "${k}"`);
    const rate = number('fault-rate', values['fault-rate'], 0);
    if (rate > 1) throw usageError('--fault-rate must be between 0 and 1');

    if (values.flavor === 'opensearch') {
      const osVersion = values.version;
      try {
        parseVersion(osVersion);
      } catch {
        throw usageError(`--version must look like 2.19 or 2.19.0, not "${osVersion}"`);
      }
      const nodes = number('nodes', values.nodes, 1);
      if (!Number.isInteger(nodes) || nodes < 1) throw usageError('--nodes must be a whole number ≥ 1');
      const os = await startOpenSearchEmulator({
        host: values.host,
        port,
        version: osVersion,
        nodes,
        deployDelayMs: number('deployment-delay', values['deployment-delay'], 0),
        ...(rate > 0
          ? {
              faults: {
                rate,
                seed: number('fault-seed', values['fault-seed'], 1),
                kinds: kinds as FaultKind[],
                latencyMs: number('fault-latency', values['fault-latency'], 200),
              },
            }
          : {}),
      });
      io.stdout.write(`listening ${os.url}\n`);
      await io.stopSignal;
      await os.close();
      return EXIT.ok;
    }
    const running = await startEmulator({
      host: values.host,
      port,
      esVersion: version,
      license: values.license as License,
      ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
      ...(basicAuth ? { basicAuth } : {}),
      deploymentStartDelayMs: number('deployment-delay', values['deployment-delay'], 0),
      ...(values['scale-to-zero'] ? { adaptiveScaledToZero: true } : {}),
      ...(values['fail-validation'] ? { providerValidation: { failAll: true } } : {}),
      ...(values.eis !== undefined ? { eisAuthorized: values.eis } : {}),
      ...(rate > 0
        ? {
            faults: {
              rate,
              seed: number('fault-seed', values['fault-seed'], 1),
              kinds: kinds as FaultKind[],
              latencyMs: number('fault-latency', values['fault-latency'], 200),
            },
          }
        : {}),
    });
    io.stdout.write(`listening ${running.url}\n`);
    await io.stopSignal;
    await running.close();
    return EXIT.ok;
  },
};
