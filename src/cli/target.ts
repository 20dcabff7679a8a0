/**
 * What the commands that talk to a cluster share: connection flags, the project file and `--cluster`,
 * the state file, the logger, and the client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createElasticsearchClient, type ElasticsearchClient } from '../backends/elasticsearch/client.js';
import { ENV, resolveConnection, type Connection } from '../backends/elasticsearch/connection.js';
import { InferctlError } from '../errors.js';
import { defaultSecretSource } from '../manifest/load.js';
import { loadProject, PROJECT_FILE_NAME, selectCluster } from '../project/project.js';
import { createHash } from 'node:crypto';
import { ClusterInventory, ClusterLock, DEFAULT_INVENTORY_INDEX } from '../inventory/cluster.js';
import { FileInventory, FileLock } from '../inventory/file.js';
import type { Inventory, Lock } from '../inventory/types.js';
import type { CliIO } from './command.js';
import { createLogger, LOG_LEVELS } from './logger.js';
import { usageError } from './util.js';

/** `util.parseArgs` options shared by plan, apply and export. */
export const TARGET_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'cloud-id': { type: 'string' },
  'ca-cert': { type: 'string' },
  insecure: { type: 'boolean', default: false },
  cluster: { type: 'string' },
  config: { type: 'string' },
  'state-file': { type: 'string' },
  'inventory-index': { type: 'string' },
  'log-level': { type: 'string', default: 'warn' },
  'log-format': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const TARGET_HELP = `Connection (flags win over inferctl.yaml, which wins over the environment):
  --url URL                  Elasticsearch or OpenSearch URL (detected)  (ELASTICSEARCH_URL)
  --api-key KEY              API key, encoded                            (ELASTICSEARCH_API_KEY)
  --username U --password P  basic authentication    (ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD)
  --cloud-id ID              Elastic Cloud id, instead of --url          (ELASTIC_CLOUD_ID)
  --ca-cert FILE             PEM file of the CA that signed the cluster's certificate
  --insecure                 do not verify the TLS certificate (warns; prefer --ca-cert)
  --cluster NAME             a cluster of the project file: its URL, credentials and manifest paths
  --config FILE              the project file (default: ./${PROJECT_FILE_NAME} when --cluster is given)
  --inventory-index NAME     the index where inferctl records what it owns (default ${DEFAULT_INVENTORY_INDEX})
  --state-file FILE          keep that record in a local file instead (no index privileges needed)

Logging (stderr):
  --log-level LEVEL          ${LOG_LEVELS.join('|')} (default warn)
  --log-format json|pretty   default pretty on a terminal, json otherwise`;

export type TargetValues = { readonly [K in keyof typeof TARGET_OPTIONS]?: string | boolean | undefined };

export interface Target {
  readonly connection: Connection;
  readonly client: ElasticsearchClient;
  /** Manifest paths: the command line's, else the project cluster's, else `.`. */
  readonly paths: readonly string[];
  /** A local state file instead of the inventory index, when asked for. */
  readonly stateFile: string | undefined;
  readonly inventoryIndex: string;
  /** `prune: true` of the project's cluster (the command line's --prune also turns it on). */
  readonly prune: boolean;
  readonly clusterName: string | undefined;
  readonly log: Logger;
}

/**
 * Resolves the target of a command. Throws an `InferctlError` (no URL, unknown cluster, bad flags) that
 * the CLI prints as one line with a hint.
 */
export function resolveTarget(
  values: TargetValues,
  positionals: readonly string[],
  io: Pick<CliIO, 'stderr' | 'env' | 'cwd'>,
  options: {
    /** Where connection warnings go (default: a `warning:` line on stderr); the Action annotates them. */
    readonly onWarning?: (message: string) => void;
  } = {},
): Target {
  const level = String(values['log-level'] ?? 'warn');
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const format = values['log-format'] ?? (io.stderr.isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw usageError('--log-format must be json or pretty');
  const log = createLogger({ level, format, stream: io.stderr });

  const secrets = defaultSecretSource(io.env);
  const clusterName = typeof values.cluster === 'string' ? values.cluster : undefined;
  const configFile = typeof values.config === 'string' ? values.config : undefined;
  let env: Record<string, string | undefined> = { ...io.env };
  let paths = [...positionals];
  let prune = false;
  let inventoryIndex = typeof values['inventory-index'] === 'string' ? values['inventory-index'] : undefined;
  let stateFile =
    typeof values['state-file'] === 'string' ? resolve(io.cwd, values['state-file']) : undefined;
  let caCert = typeof values['ca-cert'] === 'string' ? values['ca-cert'] : undefined;
  if (clusterName !== undefined || (configFile !== undefined && existsSync(resolve(io.cwd, configFile)))) {
    const project = loadProject(configFile ?? PROJECT_FILE_NAME, io.cwd, secrets);
    if (clusterName === undefined) {
      throw usageError(
        `${configFile} defines clusters ${[...project.clusters.keys()].join(', ')}: choose one with --cluster NAME`,
      );
    }
    const cluster = selectCluster(project, clusterName);
    // The project's values stand in for the environment's; flags still win over both.
    env = {
      ...env,
      ...(cluster.url ? { [ENV.url]: cluster.url, [ENV.cloudId]: undefined } : {}),
      ...(cluster.cloudId ? { [ENV.cloudId]: cluster.cloudId, [ENV.url]: undefined } : {}),
      ...(cluster.apiKey
        ? { [ENV.apiKey]: cluster.apiKey().reveal(), [ENV.username]: undefined, [ENV.password]: undefined }
        : {}),
      ...(cluster.username ? { [ENV.username]: cluster.username } : {}),
      ...(cluster.password ? { [ENV.password]: cluster.password().reveal(), [ENV.apiKey]: undefined } : {}),
    };
    if (paths.length === 0) paths = [...cluster.paths];
    stateFile ??= cluster.stateFile;
    prune = cluster.prune ?? false;
    inventoryIndex ??= cluster.inventoryIndex;
    caCert ??= cluster.caCert;
  }
  const connection = resolveConnection(
    {
      url: str(values.url),
      apiKey: str(values['api-key']),
      username: str(values.username),
      password: str(values.password),
      cloudId: str(values['cloud-id']),
      caCert: caCert === undefined ? undefined : resolve(io.cwd, caCert),
      insecure: values.insecure === true,
    },
    env,
    (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        return new Error((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
    },
  );
  if (connection instanceof InferctlError) throw connection;
  const warn = options.onWarning ?? ((message: string) => io.stderr.write(`warning: ${message}\n`));
  for (const warning of connection.warnings) warn(warning);
  const client = createElasticsearchClient(connection, { logger: log.child({ component: 'elasticsearch' }) });
  return {
    connection,
    client,
    paths: paths.length ? paths : ['.'],
    stateFile,
    inventoryIndex: inventoryIndex ?? DEFAULT_INVENTORY_INDEX,
    prune,
    clusterName,
    log,
  };
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The inventory and the lock of the target: in the cluster (an index and a lock index beside it), or
 * in the state file and a lease file beside it. `clusterKey` is the cluster's UUID (or URL).
 */
/**
 * The fingerprint salt until an inventory exists: stable from run to run (a reviewed plan's checksum covers
 * fingerprints), so derived from the cluster; the inventory keeps it from then on.
 */
export function defaultSalt(clusterKey: string): string {
  return createHash('sha256').update(`inferctl-salt:${clusterKey}`).digest('hex').slice(0, 32);
}

export function storesFor(target: Target, clusterKey: string): { inventory: Inventory; lock: Lock } {
  const salt = defaultSalt(clusterKey);
  if (target.stateFile) {
    return {
      inventory: new FileInventory(target.stateFile, clusterKey, salt),
      lock: new FileLock(target.stateFile),
    };
  }
  return {
    inventory: new ClusterInventory(target.client, target.inventoryIndex, salt),
    lock: new ClusterLock(target.client, `${target.inventoryIndex}-lock`),
  };
}
