/**
 * Helpers for the OpenSearch tests: manifests from YAML text (through the real loader), an emulator with
 * a client on it, and one "run" = read → plan → apply with an inventory, as the CLI would.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createElasticsearchClient,
  type ElasticsearchClient,
} from '../../src/backends/elasticsearch/client.js';
import { resolveConnection } from '../../src/backends/elasticsearch/connection.js';
import {
  openSearchCapabilitiesFor,
  type OpenSearchCapabilities,
} from '../../src/catalog/opensearch-capabilities.js';
import {
  startOpenSearchEmulator,
  type OpenSearchEmulatorOptions,
  type RunningOpenSearchEmulator,
} from '../../src/emulator/opensearch/index.js';
import { InferctlError } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/load.js';
import {
  applyOpenSearch,
  createOpenSearchMlClient,
  MemoryOpenSearchInventory,
  planOpenSearch,
  type OpenSearchApplyResult,
  type OpenSearchInventory,
  type OpenSearchManifest,
  type OpenSearchMlApi,
  type OpenSearchPlan,
  type PlanOpenSearchOptions,
} from '../../src/opensearch/index.js';

/** Loads manifests from YAML text; fails the test on any diagnostic. */
export function manifestsFrom(text: string, env: Record<string, string> = {}): OpenSearchManifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-'));
  writeFileSync(join(dir, 'os.yaml'), text);
  const loaded = loadManifests(['os.yaml'], { cwd: dir, env });
  if (loaded.diagnostics.length) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return [...loaded.openSearch];
}

export interface Cluster {
  readonly emulator: RunningOpenSearchEmulator;
  readonly client: ElasticsearchClient;
  readonly ml: OpenSearchMlApi;
  readonly caps: OpenSearchCapabilities;
  readonly inventory: OpenSearchInventory;
  plan(
    manifests: readonly OpenSearchManifest[],
    options?: Omit<PlanOpenSearchOptions, 'url' | 'inventory'>,
  ): Promise<OpenSearchPlan>;
  apply(plan: OpenSearchPlan, manifests: readonly OpenSearchManifest[]): Promise<OpenSearchApplyResult>;
  close(): Promise<void>;
}

/** An OpenSearch emulator of `version`, a client on it and an inventory in memory. */
export async function cluster(version: string, options: OpenSearchEmulatorOptions = {}): Promise<Cluster> {
  const emulator = await startOpenSearchEmulator({ port: 0, version, idSeed: 7, ...options });
  const connection = resolveConnection({ url: emulator.url }, {}, () => new Error('no files'));
  if (connection instanceof InferctlError) throw connection;
  const client = createElasticsearchClient(connection, { retry: { maxAttempts: 2, baseMs: 1 } });
  const ml = createOpenSearchMlClient(client);
  const caps = openSearchCapabilitiesFor((await client.info()).version);
  const inventory = new MemoryOpenSearchInventory('test-salt');
  return {
    emulator,
    client,
    ml,
    caps,
    inventory,
    async plan(manifests, planOptions = {}) {
      const snapshot = await inventory.read();
      return (
        await planOpenSearch(ml, manifests, caps, {
          url: emulator.url,
          inventory: snapshot,
          inventoryDescription: inventory.description,
          ...planOptions,
        })
      ).plan;
    },
    async apply(plan, manifests) {
      const snapshot = await inventory.read();
      return applyOpenSearch(plan, manifests, ml, caps, {
        inventory,
        salt: snapshot.salt,
        pollIntervalMs: 5,
        waitTimeoutMs: 5_000,
      });
    },
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

/**
 * Manifest YAML for tests: an OpenAI embeddings connector (credential from the variable KEY), a model group and a
 * remote model on them. Options cover what tests vary; the rest is the ml-commons blueprint.
 */
export function connectorYaml(
  options: { name?: string; description?: string; version?: number; parameters?: string } = {},
): string {
  return `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: ${options.name ?? 'conn'} }
spec:
  description: ${options.description ?? 'OpenAI'}
  version: ${options.version ?? 1}
  protocol: http
  parameters: ${options.parameters ?? '{ model: text-embedding-3-small }'}
  credential: { openAI_key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${credential.openAI_key}' }
      request_body: '{ "input": \${parameters.input} }'
`;
}

export function groupYaml(name = 'group'): string {
  return `apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: ${name} }
spec: { description: models }
`;
}

export function modelYaml(name: string, options: { connector?: string; description?: string } = {}): string {
  return `apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: ${name} }
spec: { model_group: group, connector: ${options.connector ?? 'conn'}, description: ${options.description ?? `model ${name}`} }
`;
}

/** What a plan does, one line per change: `create OpenSearchConnector/x`. */
export function actions(plan: OpenSearchPlan): string[] {
  return plan.changes.map((c) => `${c.action} ${c.key.replace(/#.*$/, '')}`);
}
