/**
 * Everything the emulated OpenSearch cluster remembers: the four ML Commons system indices as documents (the
 * source as ml-commons writes it, with `_version`/`_seq_no`), whether each index exists yet (several errors
 * differ when it does not), and the deferred state changes of running deployments.
 *
 * Why documents and not typed records: `_search` runs the query DSL over what is stored, GET/search strip fields
 * from it (credentials), and update responses carry the index's version bookkeeping — all of it as the real
 * server does.
 */
import { randomInt } from 'node:crypto';
import {
  openSearchCapabilitiesFor,
  type OpenSearchCapabilities,
} from '../../catalog/opensearch-capabilities.js';
import { mulberry32 } from '../faults.js';
import type { DocStore, DocumentApiDialect, DocumentHost, IndexRecord } from '../state.js';
import type { JsonObject, JsonValue } from '../types.js';
import type { OpenSearchEmulatorOptions } from './options.js';

export const CONNECTOR_INDEX = '.plugins-ml-connector';
export const MODEL_GROUP_INDEX = '.plugins-ml-model-group';
export const MODEL_INDEX = '.plugins-ml-model';
export const TASK_INDEX = '.plugins-ml-task';

export interface StoredDoc {
  readonly id: string;
  version: number;
  seqNo: number;
  source: JsonObject;
}

export type WriteResult = 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';

/** One system index: created on its first write (ml-commons' `initXIndexIfAbsent`). */
export class SystemIndex {
  readonly docs = new Map<string, StoredDoc>();
  exists = false;
  private seq = -1;

  constructor(readonly name: string) {}

  get(id: string): StoredDoc | undefined {
    return this.docs.get(id);
  }

  /** Index (create or overwrite) a document. */
  put(id: string, source: JsonObject): { doc: StoredDoc; result: WriteResult } {
    this.exists = true;
    const existing = this.docs.get(id);
    const doc: StoredDoc = { id, version: (existing?.version ?? 0) + 1, seqNo: ++this.seq, source };
    this.docs.set(id, doc);
    return { doc, result: existing ? 'updated' : 'created' };
  }

  /** Partial update (`UpdateRequest.doc`): top-level keys replaced. */
  update(id: string, fields: JsonObject): { doc: StoredDoc; result: WriteResult } | undefined {
    const existing = this.docs.get(id);
    if (!existing) return undefined;
    const source: JsonObject = { ...existing.source };
    for (const [k, v] of Object.entries(fields)) source[k] = v;
    existing.version++;
    existing.seqNo = ++this.seq;
    existing.source = source;
    return { doc: existing, result: 'updated' };
  }

  delete(id: string): { id: string; version: number; seqNo: number; result: WriteResult } {
    const existing = this.docs.get(id);
    if (!existing) return { id, version: 1, seqNo: ++this.seq, result: 'not_found' };
    this.docs.delete(id);
    return { id, version: existing.version + 1, seqNo: ++this.seq, result: 'deleted' };
  }
}

interface Pending {
  readonly at: number;
  readonly run: () => void;
}

/**
 * `Version.id` as OpenSearch prints it in `index.version.created`: `major·10⁶ + minor·10⁴ + revision·10² + 99`
 * with bit 27 set (`Version.MASK`, which tells OpenSearch ids from Elasticsearch's): 2.11.0 → 136327827.
 */
export function openSearchVersionId(version: string): string {
  const [major = 0, minor = 0, revision = 0] = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return String((major * 1_000_000 + minor * 10_000 + revision * 100 + 99) ^ 0x08000000);
}

/**
 * The cluster's ordinary indices (inferctl's inventory and lock), beside ML Commons' system indices: the index and
 * document APIs are the Elasticsearch emulator's (OpenSearch forked them from Elasticsearch 7.10, see
 * `../document-routes.ts`), in the 7.10 dialect. ML Commons' system indices are not reachable through them
 * [not modelled: `GET /.plugins-ml-model/_search` answers index_not_found here].
 */
export class OpenSearchIndices implements DocumentHost {
  readonly indices = new Map<string, IndexRecord>();
  readonly documents = new Map<string, DocStore>();
  readonly documentApi: DocumentApiDialect;

  constructor(
    readonly nodeId: string,
    version: string,
    private readonly clock: () => number,
  ) {
    this.documentApi = {
      versionCreated: openSearchVersionId(version),
      semanticTextDefaultInferenceId: undefined,
      locatedParsingErrors: false,
    };
  }

  now(): number {
    return this.clock();
  }
}

/** The emulated cluster; handlers mutate it. */
export class OpenSearchState {
  readonly caps: OpenSearchCapabilities;
  readonly options: OpenSearchEmulatorOptions;
  readonly clusterUuid: string;
  readonly nodeIds: readonly string[];
  readonly connectors = new SystemIndex(CONNECTOR_INDEX);
  readonly modelGroups = new SystemIndex(MODEL_GROUP_INDEX);
  readonly models = new SystemIndex(MODEL_INDEX);
  readonly tasks = new SystemIndex(TASK_INDEX);
  readonly trustedEndpoints: readonly RegExp[];
  /** Ordinary indices and their documents (inferctl's inventory and lock). */
  readonly indices: OpenSearchIndices;
  /** Each node's model cache: model id → nodes holding it (deploying or deployed). Undeploy and the connector rule read it. */
  readonly cache = new Map<string, Set<string>>();
  /** Requests served, for debugging. */
  readonly counters = { requests: 0 };
  private readonly random: () => number;
  private pending: Pending[] = [];

  constructor(options: OpenSearchEmulatorOptions = {}) {
    this.options = options;
    this.caps = openSearchCapabilitiesFor(options.version ?? '2.19.0');
    this.random = mulberry32(options.idSeed ?? randomInt(2 ** 31));
    this.clusterUuid = this.newId().slice(0, 22);
    const count = Math.max(1, options.nodes ?? 1);
    this.nodeIds = Array.from({ length: count }, (_, i) => this.nodeId(i));
    this.indices = new OpenSearchIndices(this.nodeIds[0]!, this.caps.version, () => this.now());
    this.trustedEndpoints = (options.trustedConnectorEndpointsRegex ?? DEFAULT_TRUSTED_ENDPOINTS).map(
      // Java's `Matcher.matches()`: the whole URL must match.
      (r) => new RegExp(`^(?:${r})$`),
    );
  }

  now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** An auto-generated document id as OpenSearch makes them: 20 URL-safe base64 characters. */
  newId(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = '';
    for (let i = 0; i < 20; i++) id += alphabet[Math.floor(this.random() * 64)];
    return id;
  }

  private nodeId(i: number): string {
    // Node ids are 22-character base64 strings; stable per emulator so tests can name them.
    return (`node${i + 1}` + this.newId()).slice(0, 22);
  }

  /** Runs `run` after `delayMs` of emulated time (at once when 0): the asynchronous half of deploy/register. */
  later(delayMs: number, run: () => void): void {
    if (delayMs <= 0) run();
    else this.pending.push({ at: this.now() + delayMs, run });
  }

  /** Applies the deferred changes that are due. Called before every request. */
  advance(): void {
    const now = this.now();
    const due = this.pending.filter((p) => p.at <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.at > now);
    for (const p of due) p.run();
  }

  /** Shards of a system-index write response: one primary plus, with two nodes or more, one replica (auto-expand 0-1). */
  shards(): JsonObject {
    const total = this.nodeIds.length > 1 ? 2 : 1;
    return { total, successful: total, failed: 0 };
  }

  /** `DocWriteResponse` JSON (`_index`, `_id`, `_version`, `result`, `_shards`, `_seq_no`, `_primary_term`). */
  writeResponse(
    index: SystemIndex,
    id: string,
    version: number,
    seqNo: number,
    result: WriteResult,
  ): JsonObject {
    return {
      _index: index.name,
      _id: id,
      _version: version,
      result,
      _shards: this.shards(),
      _seq_no: seqNo,
      _primary_term: 1,
    };
  }

  /** The stored source of a model, or undefined. */
  model(id: string): JsonObject | undefined {
    return this.models.get(id)?.source;
  }
}

/** `plugins.ml_commons.trusted_connector_endpoints_regex` default of 2.19 [src MLCommonsSettings] (Rekognition's omitted). */
export const DEFAULT_TRUSTED_ENDPOINTS: readonly string[] = [
  '^https://runtime\\.sagemaker\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://api\\.sagemaker\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://api\\.openai\\.com/.*$',
  '^https://api\\.cohere\\.ai/.*$',
  '^https://api\\.deepseek\\.com/.*$',
  '^https://bedrock-runtime\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://bedrock-agent-runtime\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://bedrock\\..*[a-z0-9-]\\.amazonaws\\.com/.*$',
  '^https://textract\\..*[a-z0-9-]\\.amazonaws\\.com$',
  '^https://comprehend\\..*[a-z0-9-]\\.amazonaws\\.com$',
];

/** Deep copy of JSON. */
export function clone<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
