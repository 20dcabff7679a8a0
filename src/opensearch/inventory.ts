/**
 * The OpenSearch inventory: which ML Commons objects inferctl owns and under which generated id (* "Identity and ownership"). Same style as `src/inventory/types.ts` — one record per object with the
 * fingerprints of the credential last sent, `protect`, and who applied what when — keyed by
 * `kind/name` instead of an endpoint id, because here the id is the server's, not the manifest's.
 *
 * Stores: an index in the cluster (the default, as on Elasticsearch: every CI run sees the same record), a local
 * JSON file (`--state-file`, written atomically) and memory (tests).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InferctlError } from '../errors.js';
import { InventoryIndex, type DocumentClient } from '../inventory/cluster.js';
import type { OpenSearchKind } from './kinds.js';

export interface OpenSearchInventoryRecord {
  /** `OpenSearchModel/openai-embeddings`. */
  readonly key: string;
  readonly kind: OpenSearchKind;
  readonly name: string;
  /** The id OpenSearch generated for the object. */
  readonly object_id: string;
  /** `credential.<key>` → fingerprint (salted SHA-256), for connectors and inline connectors. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly protect: boolean;
  /** `file:line` of the manifest at the last apply. */
  readonly source?: string;
  readonly applied_at: string;
  readonly applied_by?: string;
  readonly git_commit?: string;
  readonly plan_checksum?: string;
}

export interface OpenSearchInventorySnapshot {
  readonly salt: string;
  readonly records: ReadonlyMap<string, OpenSearchInventoryRecord>;
  /** False until the first record is written. */
  readonly exists: boolean;
}

/** What the inventory owns: key → the object's generated id. */
export function ownedIds(snapshot: OpenSearchInventorySnapshot): Map<string, string> {
  return new Map([...snapshot.records].map(([key, r]) => [key, r.object_id]));
}

export interface OpenSearchInventory {
  readonly description: string;
  read(): Promise<OpenSearchInventorySnapshot>;
  put(record: OpenSearchInventoryRecord): Promise<void>;
  remove(key: string): Promise<void>;
}

/** An inventory in memory: for tests and for runs that keep nothing. */
export class MemoryOpenSearchInventory implements OpenSearchInventory {
  readonly description = 'inventory in memory';
  private readonly records = new Map<string, OpenSearchInventoryRecord>();

  constructor(private readonly salt = 'memory') {}

  async read(): Promise<OpenSearchInventorySnapshot> {
    return { salt: this.salt, records: new Map(this.records), exists: this.records.size > 0 };
  }

  async put(record: OpenSearchInventoryRecord): Promise<void> {
    this.records.set(record.key, record);
  }

  async remove(key: string): Promise<void> {
    this.records.delete(key);
  }
}

/** The strict mapping of the OpenSearch inventory index (`_meta.inferctl.flavor: opensearch`). */
export function openSearchInventoryMapping(salt: string): Record<string, unknown> {
  return {
    dynamic: 'strict',
    _meta: { inferctl: { format_version: 1, flavor: 'opensearch', salt } },
    properties: {
      key: { type: 'keyword' },
      kind: { type: 'keyword' },
      name: { type: 'keyword' },
      object_id: { type: 'keyword' },
      // Credential keys depend on the connector (openAI_key, access_key, …): stored, not indexed.
      secrets: { type: 'object', enabled: false },
      protect: { type: 'boolean' },
      source: { type: 'keyword' },
      applied_at: { type: 'date' },
      applied_by: { type: 'keyword' },
      git_commit: { type: 'keyword' },
      plan_checksum: { type: 'keyword' },
    },
  };
}

/**
 * The inventory as documents in an index of the cluster (`inferctl-inventory` unless `--inventory-index`), one per
 * object with the document id `kind/name`; the apply lock is the same lease document as on Elasticsearch
 * (`ClusterLock`), since OpenSearch kept the document APIs it needs.
 */
export class ClusterOpenSearchInventory implements OpenSearchInventory {
  readonly description: string;
  private readonly store: InventoryIndex<OpenSearchInventoryRecord>;

  constructor(client: DocumentClient, index: string, defaultSalt: string) {
    this.store = new InventoryIndex<OpenSearchInventoryRecord>(
      client,
      index,
      defaultSalt,
      openSearchInventoryMapping,
      'key',
      'opensearch',
    );
    this.description = this.store.description;
  }

  read(): Promise<OpenSearchInventorySnapshot> {
    return this.store.read();
  }

  put(record: OpenSearchInventoryRecord): Promise<void> {
    return this.store.put(record.key, record);
  }

  remove(key: string): Promise<void> {
    return this.store.remove(key);
  }
}

interface StateFile {
  readonly format_version: 1;
  readonly flavor: 'opensearch';
  readonly clusters: Readonly<
    Record<
      string,
      { readonly salt: string; readonly objects: Readonly<Record<string, OpenSearchInventoryRecord>> }
    >
  >;
}

/**
 * The inventory in a local JSON file, per cluster (its UUID or URL). A file of the Elasticsearch format
 * is refused rather than overwritten.
 */
export class FileOpenSearchInventory implements OpenSearchInventory {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly key: string,
    private readonly defaultSalt: string,
  ) {
    this.description = `state file ${path}`;
  }

  async read(): Promise<OpenSearchInventorySnapshot> {
    const cluster = readState(this.path).clusters[this.key];
    if (!cluster) return { salt: this.defaultSalt, records: new Map(), exists: false };
    return { salt: cluster.salt, records: new Map(Object.entries(cluster.objects)), exists: true };
  }

  async put(record: OpenSearchInventoryRecord): Promise<void> {
    this.update((objects) => ({ ...objects, [record.key]: record }));
  }

  async remove(key: string): Promise<void> {
    this.update((objects) => Object.fromEntries(Object.entries(objects).filter(([k]) => k !== key)));
  }

  private update(
    change: (
      objects: Readonly<Record<string, OpenSearchInventoryRecord>>,
    ) => Record<string, OpenSearchInventoryRecord>,
  ): void {
    const file = readState(this.path);
    const cluster = file.clusters[this.key] ?? { salt: this.defaultSalt, objects: {} };
    const objects = Object.fromEntries(
      Object.entries(change(cluster.objects)).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const next: StateFile = {
      format_version: 1,
      flavor: 'opensearch',
      clusters: { ...file.clusters, [this.key]: { salt: cluster.salt, objects } },
    };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

function readState(path: string): StateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { format_version: 1, flavor: 'opensearch', clusters: {} };
    throw new InferctlError(
      'state_unreadable',
      `cannot read the state file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as StateFile;
    if (
      parsed.flavor !== 'opensearch' ||
      parsed.format_version !== 1 ||
      typeof parsed.clusters !== 'object'
    ) {
      throw new Error('not an OpenSearch state file (an Elasticsearch one?)');
    }
    return parsed;
  } catch (error) {
    throw new InferctlError(
      'state_invalid',
      `the state file ${path} is not valid: ${(error as Error).message}`,
      {
        hint: 'use a separate --state-file for OpenSearch clusters',
      },
    );
  }
}
