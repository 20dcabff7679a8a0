/**
 * The document APIs inferctl's inventory and lock use: index (`PUT|POST /{index}/_doc/{id}`,
 * `POST /{index}/_doc`), create (`PUT|POST /{index}/_create/{id}`, `op_type=create`), get / exists, delete, partial
 * `_update`, `_refresh`, with optimistic concurrency (`if_seq_no` + `if_primary_term`) and ES's version map: `_version`
 * per document (a delete leaves a tombstone for `index.gc_deletes` = 60 s, so re-indexing continues its version),
 * `_seq_no` per shard (= per index: one primary), `_primary_term` 1.
 *
 * Atomicity: the server handles requests one at a time on the event loop and every handler here is synchronous —
 * no `await` between a concurrency check and its write — so two racing `if_seq_no` writers are serialised and
 * exactly one wins, as ES's per-document lock makes them.
 *
 * Versions: the document APIs used here have been stable across every version the emulator serves (8.12–9.5):
 * same routes, parameters, response shapes and error texts, so nothing here depends on the capabilities table.
 *
 * Response shapes [V DocWriteResponse.innerToXContent, GetResult.toXContent, by field order]; error texts
 * [V VersionConflictEngineException, DocWriteRequest.validateSeqNoBasedCASParams, IndexRequest.validate,
 * DocumentMissingException, WriteRequest.RefreshPolicy.parse].
 */
import { randomBytes } from 'node:crypto';
import { applyMapping } from './doc-mapping.js';
import { EsError, actionRequestValidation, illegalArgument } from './errors.js';
import { isObject } from './inference/index.js';
import {
  concreteIndices,
  createIndexRecord,
  fieldDefinition,
  indexNotFound,
  isAlias,
  replicaCount,
  validateIndexName,
  writeIndexOfAlias,
} from './indices.js';
import { locate } from './json-location.js';
import type { DocStore, DocumentHost, IndexRecord, StoredDoc } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from './types.js';

const GC_DELETES_MS = 60_000;
const PRIMARY_TERM = 1;
const UNASSIGNED = -2;

// ---- parameters -----------------------------------------------------------------------------------------------

/** RestRequest.paramAsLong. */
export function longParam(req: EmuRequest, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw illegalArgument(`Failed to parse long parameter [${name}] with value [${raw}]`);
  return Number(raw);
}

/** RestRequest.paramAsInt. */
export function intParam(req: EmuRequest, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw illegalArgument(`Failed to parse int parameter [${name}] with value [${raw}]`);
  return Number(raw);
}

/** Booleans.parseBoolean: "" and "true" are true, "false" false, anything else an error. */
export function boolParam(req: EmuRequest, name: string, fallback: boolean): boolean {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw illegalArgument(`Failed to parse value [${raw}] as only [true] or [false] are allowed.`);
}

type RefreshPolicy = 'none' | 'immediate' | 'wait_for';

/** WriteRequest.RefreshPolicy.parse: `true` or empty → immediate, `wait_for`, `false`. */
function refreshPolicy(req: EmuRequest): RefreshPolicy {
  const raw = req.query.refresh;
  if (raw === undefined || raw === 'false') return 'none';
  if (raw === '' || raw === 'true') return 'immediate';
  if (raw === 'wait_for') return 'wait_for';
  throw illegalArgument(`Unknown value for refresh: [${raw}].`);
}

interface Cas {
  readonly ifSeqNo: number;
  readonly ifPrimaryTerm: number;
}

/** `if_seq_no` / `if_primary_term` and their validation messages (DocWriteRequest.validateSeqNoBasedCASParams). */
function casParams(req: EmuRequest, errors: string[]): Cas | undefined {
  const seq = longParam(req, 'if_seq_no');
  const term = longParam(req, 'if_primary_term');
  if (seq !== undefined && seq < 0 && seq !== UNASSIGNED)
    throw illegalArgument(`sequence numbers must be non negative. got [${seq}].`);
  if (term !== undefined && term < 0)
    throw illegalArgument(`primary term must be non negative. got [${term}].`);
  const ifSeqNo = seq ?? UNASSIGNED;
  const ifPrimaryTerm = term ?? 0;
  if (ifPrimaryTerm === 0 && ifSeqNo !== UNASSIGNED) errors.push('ifSeqNo is set, but primary term is [0]');
  if (ifPrimaryTerm !== 0 && ifSeqNo === UNASSIGNED)
    errors.push(`ifSeqNo is unassigned, but primary term is [${ifPrimaryTerm}]`);
  return ifSeqNo === UNASSIGNED && ifPrimaryTerm === 0 ? undefined : { ifSeqNo, ifPrimaryTerm };
}

function validateId(id: string | undefined, errors: string[]): void {
  if (id === undefined) return;
  const bytes = Buffer.byteLength(id, 'utf8');
  if (bytes > 512) errors.push(`id [${id}] is too long, must be no longer than 512 bytes but was: ${bytes}`);
}

// ---- the shard ---------------------------------------------------------------------------------------------------

/** The document store of an index (created on first use). */
export function storeOf(state: DocumentHost, index: IndexRecord): DocStore {
  let store = state.documents.get(index.uuid);
  if (!store) {
    store = {
      live: new Map(),
      tombstones: new Map(),
      searcher: new Map(),
      nextSeqNo: 0,
      nextDocOrder: 0,
      pending: false,
      pendingSince: 0,
      lastRefreshAt: index.creationDate,
      lastSearchAt: undefined,
    };
    state.documents.set(index.uuid, store);
  }
  return store;
}

/** Makes every write so far visible to search. */
export function refreshStore(state: DocumentHost, store: DocStore): void {
  store.searcher = new Map(store.live);
  store.pending = false;
  store.lastRefreshAt = state.now();
  // LiveVersionMap prunes tombstones older than index.gc_deletes on refresh [I: timing].
  for (const [id, t] of store.tombstones)
    if (state.now() - t.deletedAt >= GC_DELETES_MS) store.tombstones.delete(id);
}

function pruneTombstones(state: DocumentHost, store: DocStore): void {
  for (const [id, t] of store.tombstones)
    if (state.now() - t.deletedAt >= GC_DELETES_MS) store.tombstones.delete(id);
}

/** A single-document target: the index, or the write index of an alias. */
function requireIndex(state: DocumentHost, name: string): IndexRecord {
  const index = state.indices.get(name) ?? writeIndexOfAlias(state, name);
  if (!index) throw indexNotFound(name);
  return index;
}

/**
 * Auto-create (action.auto_create_index defaults to true): a write to a missing index creates it, dynamic mapping;
 * a write to an alias goes to its write index. `require_alias=true` (ES 7.10, elastic/elasticsearch#58917; kept by
 * OpenSearch) refuses any target that is not an alias — a concrete index, or nothing, which is then not created.
 */
function indexForWrite(state: DocumentHost, req: EmuRequest, name: string): IndexRecord {
  if (boolParam(req, 'require_alias', false) && !isAlias(state, name)) {
    throw new EsError(
      404,
      'index_not_found_exception',
      `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
      { extra: { 'resource.type': 'index_or_alias', 'resource.id': name, index_uuid: '_na_', index: name } },
    );
  }
  const existing = state.indices.get(name) ?? writeIndexOfAlias(state, name);
  if (existing) return existing;
  validateIndexName(name);
  return createIndexRecord(state, name, {}, {});
}

/** VersionConflictEngineException: 409 with `index_uuid`, `shard`, `index` (the order ES prints them). */
function versionConflict(index: IndexRecord, id: string, explanation: string): EsError {
  return new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${explanation}`, {
    extra: { index_uuid: index.uuid, shard: '0', index: index.name },
  });
}

function casConflict(index: IndexRecord, id: string, cas: Cas, current: StoredDoc | undefined): EsError {
  const head = `required seqNo [${cas.ifSeqNo}], primary term [${cas.ifPrimaryTerm}].`;
  return versionConflict(
    index,
    id,
    current
      ? `${head} current document has seqNo [${current.seqNo}] and primary term [${current.primaryTerm}]`
      : `${head} but no document was found`,
  );
}

function checkCas(
  index: IndexRecord,
  id: string,
  cas: Cas | undefined,
  current: StoredDoc | undefined,
): void {
  if (!cas) return;
  if (!current || current.seqNo !== cas.ifSeqNo || current.primaryTerm !== cas.ifPrimaryTerm)
    throw casConflict(index, id, cas, current);
}

function shards(index: IndexRecord): JsonObject {
  return { total: 1 + replicaCount(index), successful: 1, failed: 0 };
}

function writeResponse(
  index: IndexRecord,
  doc: { id: string; version: number; seqNo: number },
  result: string,
  status: number,
  forced: boolean,
): EmuResponse {
  const body: JsonObject = { _index: index.name, _id: doc.id, _version: doc.version, result };
  if (forced) body.forced_refresh = true;
  body._shards = shards(index);
  body._seq_no = doc.seqNo;
  body._primary_term = PRIMARY_TERM;
  const headers =
    status === 201
      ? { location: `/${encodeURIComponent(index.name)}/_doc/${encodeURIComponent(doc.id)}` }
      : undefined;
  return { status, body, ...(headers ? { headers } : {}) };
}

function afterWrite(state: DocumentHost, store: DocStore, policy: RefreshPolicy): boolean {
  if (policy === 'none') return false;
  // wait_for waits for the next scheduled refresh; refreshing now is the same as seen from the client [I: timing].
  refreshStore(state, store);
  return policy === 'immediate';
}

/** Stores `source` as the new version of `id` (the engine's index path, after every check). */
function put(state: DocumentHost, store: DocStore, id: string, source: JsonObject): StoredDoc {
  const current = store.live.get(id);
  const tomb = store.tombstones.get(id);
  const version = current ? current.version + 1 : tomb ? tomb.version + 1 : 1;
  const doc: StoredDoc = {
    id,
    source,
    version,
    seqNo: store.nextSeqNo++,
    primaryTerm: PRIMARY_TERM,
    docOrder: store.nextDocOrder++,
  };
  store.live.set(id, doc);
  store.tombstones.delete(id);
  if (!store.pending) store.pendingSince = state.now();
  store.pending = true;
  return doc;
}

/**
 * The first value indexed into a semantic_text field records its endpoint's `model_settings` on the field
 * (SemanticTextFieldMapper: the mapping update that follows the first inference). The emulator runs no inference;
 * a field whose endpoint does not exist records nothing [I: Elasticsearch fails that document].
 */
function recordModelSettings(state: DocumentHost, index: IndexRecord, source: JsonObject): void {
  const semantic = state.documentApi.semanticText;
  if (!semantic) return;
  for (const field of index.semanticFields) {
    const value = valueAt(source, field.field);
    if (value === undefined || value === null) continue;
    const def = fieldDefinition(index.mappings, field.field);
    if (!def || isObject(def.model_settings)) continue;
    const settings = semantic.modelSettingsOf(field.inferenceId);
    if (settings) def.model_settings = { ...settings };
  }
}

function valueAt(source: JsonObject, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = source;
  if (isObject(node) && Object.hasOwn(node, path)) return node[path];
  for (const part of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Parses a document body: 400 `request body is required`, then JSON, then the mapping. */
function parseDocument(state: DocumentHost, req: EmuRequest, index: IndexRecord): JsonObject {
  const text = req.body;
  if (text === undefined || text.trim() === '')
    throw new EsError(400, 'parse_exception', 'request body is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // [I] Jackson's message differs; ES wraps it as "[line:col] failed to parse: <message>".
    throw new EsError(
      400,
      'document_parsing_exception',
      `[1:1] failed to parse: ${(error as Error).message}`,
    );
  }
  applyMapping(index.mappings, text, locate(text), state.documentApi.locatedParsingErrors);
  return value as JsonObject;
}

// ---- handlers ----------------------------------------------------------------------------------------------------

/**
 * `PUT|POST /{index}/_doc/{id}`, `POST /{index}/_doc` (generated id), `PUT|POST /{index}/_create/{id}`.
 * `createEndpoint` = the `_create` route (op_type may only be `create` there).
 */
export function indexDocument(
  state: DocumentHost,
  req: EmuRequest,
  indexName: string,
  idParam: string | undefined,
  createEndpoint: boolean,
): EmuResponse {
  const opTypeRaw = req.query.op_type;
  let create = createEndpoint;
  if (opTypeRaw !== undefined) {
    const op = opTypeRaw.toLowerCase();
    if (createEndpoint && op !== 'create')
      throw illegalArgument(`opType must be 'create', found: [${opTypeRaw}]`);
    if (op === 'create') create = true;
    else if (op !== 'index')
      throw illegalArgument(`opType must be 'create' or 'index', found: [${opTypeRaw}]`);
  }
  const policy = refreshPolicy(req);
  if (req.body === undefined || req.body.trim() === '')
    throw new EsError(400, 'parse_exception', 'request body is required');
  const errors: string[] = [];
  const cas = casParams(req, errors);
  if (create && cas)
    throw actionRequestValidation(['create operations do not support compare and set. use index instead']);
  validateId(idParam, errors);
  if (errors.length > 0) throw actionRequestValidation(errors);
  // A generated id (POST without id) is always a create (IndexRequest.autoGenerateId).
  const id = idParam ?? randomBytes(15).toString('base64url');
  if (idParam === undefined) create = true;

  const index = indexForWrite(state, req, indexName);
  const source = parseDocument(state, req, index);
  const store = storeOf(state, index);
  pruneTombstones(state, store);
  const current = store.live.get(id);
  if (create && current)
    throw versionConflict(index, id, `document already exists (current version [${current.version}])`);
  checkCas(index, id, cas, current);
  const doc = put(state, store, id, source);
  recordModelSettings(state, index, source);
  const forced = afterWrite(state, store, policy);
  return writeResponse(index, doc, current ? 'updated' : 'created', current ? 200 : 201, forced);
}

/** `GET /{index}/_doc/{id}`: realtime from the live documents (or the searcher with `realtime=false`). */
export function getDocument(
  state: DocumentHost,
  req: EmuRequest,
  indexName: string,
  id: string,
): EmuResponse {
  const realtime = boolParam(req, 'realtime', true);
  const refresh = boolParam(req, 'refresh', false);
  const withSource = boolParam(req, '_source', true);
  const index = requireIndex(state, indexName);
  const store = storeOf(state, index);
  if (refresh) refreshStore(state, store);
  const doc = (realtime ? store.live : store.searcher).get(id);
  if (!doc) return { status: 404, body: { _index: index.name, _id: id, found: false } };
  const body: JsonObject = {
    _index: index.name,
    _id: id,
    _version: doc.version,
    _seq_no: doc.seqNo,
    _primary_term: doc.primaryTerm,
    found: true,
  };
  if (withSource) body._source = doc.source;
  return { status: 200, body };
}

/** `HEAD /{index}/_doc/{id}`: 200 or 404, no body (a missing index is a 404 too). */
export function documentExists(
  state: DocumentHost,
  req: EmuRequest,
  indexName: string,
  id: string,
): EmuResponse {
  const realtime = boolParam(req, 'realtime', true);
  const index = state.indices.get(indexName) ?? writeIndexOfAlias(state, indexName);
  if (!index) return { status: 404 };
  const store = storeOf(state, index);
  return { status: (realtime ? store.live : store.searcher).has(id) ? 200 : 404 };
}

/**
 * `DELETE /{index}/_doc/{id}`. A delete never auto-creates its index (TransportBulkAction skips deletes). Deleting a
 * missing document still takes a `_seq_no` and leaves a tombstone: 404 with `result: not_found`.
 */
export function deleteDocument(
  state: DocumentHost,
  req: EmuRequest,
  indexName: string,
  id: string,
): EmuResponse {
  const policy = refreshPolicy(req);
  const errors: string[] = [];
  const cas = casParams(req, errors);
  if (errors.length > 0) throw actionRequestValidation(errors);
  const index = requireIndex(state, indexName);
  const store = storeOf(state, index);
  pruneTombstones(state, store);
  const current = store.live.get(id);
  checkCas(index, id, cas, current);
  const tomb = store.tombstones.get(id);
  const version = current ? current.version + 1 : tomb ? tomb.version + 1 : 1;
  const seqNo = store.nextSeqNo++;
  store.live.delete(id);
  store.tombstones.set(id, { version, seqNo, primaryTerm: PRIMARY_TERM, deletedAt: state.now() });
  if (!store.pending) store.pendingSince = state.now();
  store.pending = true;
  const forced = afterWrite(state, store, policy);
  return writeResponse(
    index,
    { id, version, seqNo },
    current ? 'deleted' : 'not_found',
    current ? 200 : 404,
    forced,
  );
}

/** XContentHelper.update: objects merge recursively, anything else is replaced. */
function merge(target: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [k, v] of Object.entries(changes)) {
    const old = out[k];
    out[k] = isObject(old) && isObject(v) ? merge(old, v) : v;
  }
  return out;
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && sameKeys(a, b);
}

function sameKeys(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => sameKeys(a[k], b[k]));
  }
  return true;
}

/**
 * `POST /{index}/_update/{id}` with a partial `doc` (plus `doc_as_upsert`, `upsert`, `detect_noop`); scripts are not
 * emulated. A missing document is 404 `document_missing_exception` "[id]: document missing"; an unchanged document
 * is `result: noop` (nothing written, `_shards` all 0).
 */
export function updateDocument(
  state: DocumentHost,
  req: EmuRequest,
  indexName: string,
  id: string,
): EmuResponse {
  const policy = refreshPolicy(req);
  const text = req.body;
  if (text === undefined || text.trim() === '')
    throw new EsError(400, 'parse_exception', 'request body is required');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new EsError(400, 'x_content_parse_exception', `[1:1] ${(error as Error).message}`);
  }
  if (!isObject(body))
    throw new EsError(400, 'x_content_parse_exception', '[1:1] request body must be an object');
  const known = ['doc', 'doc_as_upsert', 'upsert', 'detect_noop', 'script', 'scripted_upsert', '_source'];
  for (const key of Object.keys(body)) {
    // UpdateRequest's ObjectParser [I: location omitted].
    if (!known.includes(key))
      throw new EsError(400, 'x_content_parse_exception', `[1:2] [UpdateRequest] unknown field [${key}]`);
  }
  if (body.script !== undefined || body.scripted_upsert !== undefined)
    throw illegalArgument('[emulator] scripted updates are not emulated; use a partial "doc"');
  const errors: string[] = [];
  const cas = casParams(req, errors);
  const retries = intParam(req, 'retry_on_conflict') ?? 0;
  validateId(id, errors);
  if (cas && cas.ifSeqNo !== UNASSIGNED) {
    if (retries > 0) errors.push('compare and write operations can not be retried');
    if (body.doc_as_upsert === true) errors.push('compare and write operations can not be used with upsert');
    if (body.upsert !== undefined)
      errors.push("upsert requests don't support `if_seq_no` and `if_primary_term`");
  }
  if (!isObject(body.doc)) errors.push('script or doc is missing');
  if (errors.length > 0) throw actionRequestValidation(errors);
  const partial = body.doc as JsonObject;

  const index = indexForWrite(state, req, indexName);
  const store = storeOf(state, index);
  pruneTombstones(state, store);
  const current = store.live.get(id);
  if (!current) {
    const upsert = isObject(body.upsert) ? body.upsert : body.doc_as_upsert === true ? partial : undefined;
    if (!upsert) {
      throw new EsError(404, 'document_missing_exception', `[${id}]: document missing`, {
        extra: { index_uuid: index.uuid, shard: '0', index: index.name },
      });
    }
    const serialized = JSON.stringify(upsert);
    applyMapping(index.mappings, serialized, locate(serialized), state.documentApi.locatedParsingErrors);
    const doc = put(state, store, id, upsert);
    recordModelSettings(state, index, upsert);
    return writeResponse(index, doc, 'created', 201, afterWrite(state, store, policy));
  }
  checkCas(index, id, cas, current);
  const merged = merge(current.source, partial);
  if (body.detect_noop !== false && deepEqual(merged, current.source)) {
    const noop: JsonObject = {
      _index: index.name,
      _id: id,
      _version: current.version,
      result: 'noop',
      _shards: { total: 0, successful: 0, failed: 0 },
      _seq_no: current.seqNo,
      _primary_term: current.primaryTerm,
    };
    return { status: 200, body: noop };
  }
  // The merged source is re-serialised and parsed again: locations refer to that compact JSON.
  const serialized = JSON.stringify(merged);
  applyMapping(index.mappings, serialized, locate(serialized), state.documentApi.locatedParsingErrors);
  const doc = put(state, store, id, merged);
  recordModelSettings(state, index, merged);
  return writeResponse(index, doc, 'updated', 200, afterWrite(state, store, policy));
}

/** Index names of a multi-target expression (`a,b`, `*`, `_all`, `log-*`); a missing concrete name is a 404. */
export function resolveIndices(state: DocumentHost, expression: string | undefined): IndexRecord[] {
  const names = expression === undefined || expression === '_all' ? ['*'] : expression.split(',');
  const out: IndexRecord[] = [];
  for (const name of names) {
    if (name.includes('*')) {
      const re = new RegExp(
        '^' +
          name
            .split('*')
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*') +
          '$',
      );
      for (const index of [...state.indices.values()].sort((a, b) => (a.name < b.name ? -1 : 1)))
        if (re.test(index.name) && !index.name.startsWith('.') && !out.includes(index)) out.push(index);
    } else {
      const found = concreteIndices(state, name);
      if (found.length === 0) throw indexNotFound(name);
      for (const index of found) if (!out.includes(index)) out.push(index);
    }
  }
  return out;
}

/** `POST|GET /{index}/_refresh`, `/_refresh`: `_shards` counts primaries + replicas, replicas unassigned. */
export function refreshIndices(state: DocumentHost, expression: string | undefined): EmuResponse {
  const indices = resolveIndices(state, expression);
  let total = 0;
  for (const index of indices) {
    refreshStore(state, storeOf(state, index));
    total += 1 + replicaCount(index);
  }
  return { status: 200, body: { _shards: { total, successful: indices.length, failed: 0 } } };
}
