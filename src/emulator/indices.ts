/**
 * The index APIs: `PUT /{index}` (mappings incl. `dynamic`, settings), `GET`, `HEAD`, `DELETE`. `PUT` records
 * `semantic_text` fields' `inference_id` / `search_inference_id` (the references of §6, issue 3); documents live in
 * `documents.ts` (issue 5), which auto-creates indices through `createIndexRecord`.
 */
import { randomBytes } from 'node:crypto';
import { EsError } from './errors.js';
import { isObject, parseJsonBody } from './inference/index.js';
import type { DocumentHost, IndexRecord, SemanticField } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from './types.js';

/** IndexNotFoundException for one name, as IndexNameExpressionResolver sets it (`index_or_alias`). */
export function indexNotFound(name: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${name}]`, {
    extra: { 'resource.type': 'index_or_alias', 'resource.id': name, index_uuid: '_na_', index: name },
  });
}

/**
 * MetadataCreateIndexService.validateIndexName: validateIndexOrAliasName's checks in its order (invalid file-name
 * characters, `#`, `:`, leading `_ - +`, 255 UTF-8 bytes, `.`/`..`), then lowercase. The character set prints as ES
 * prints `Strings.INVALID_FILENAME_CHARS` (a set: order [I]).
 */
export function validateIndexName(name: string): void {
  const invalid = (reason: string) =>
    new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${reason}`, {
      extra: { index_uuid: '_na_', index: name },
    });
  if (/[\\/*?"<>| ,]/.test(name))
    throw invalid('must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]');
  if (name === '') throw invalid('must not be empty');
  if (name.includes('#')) throw invalid("must not contain '#'");
  if (name.includes(':')) throw invalid("must not contain ':'");
  if (/^[_\-+]/.test(name)) throw invalid("must not start with '_', '-', or '+'");
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > 255) throw invalid(`index name is too long, (${bytes} > 255)`);
  if (name === '.' || name === '..') throw invalid("must not be '.' or '..'");
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
}

/**
 * Settings as ES stores them: flat `index.*` keys with string values (`{"number_of_replicas":0}`,
 * `{"index":{"number_of_replicas":0}}` and `{"index.number_of_replicas":"0"}` are the same setting).
 */
export function normalizeSettings(settings: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: JsonValue, prefix: string) => {
    if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else if (value !== null) {
      const text = Array.isArray(value) ? value.map((v) => String(v)).join(',') : String(value);
      out[prefix.startsWith('index.') ? prefix : `index.${prefix}`] = text;
    }
  };
  walk(settings, '');
  return out;
}

/** Flat `index.*` settings back to the nested form `GET /{index}` prints. */
function nestSettings(flat: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (!isObject(next)) node[part] = {};
      node = node[part] as JsonObject;
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return out;
}

/** `index.number_of_replicas` (default 1): a write reports `_shards.total` = 1 + replicas, 1 successful. */
export function replicaCount(index: IndexRecord): number {
  const flat = normalizeSettings(index.settings);
  const n = Number(flat['index.number_of_replicas'] ?? '1');
  return Number.isInteger(n) && n >= 0 ? n : 1;
}

/** Adds an index to the cluster (explicit create or auto-create on a document write). */
export function createIndexRecord(
  state: DocumentHost,
  name: string,
  mappings: JsonObject,
  settings: JsonObject,
): IndexRecord {
  const record: IndexRecord = {
    name,
    uuid: randomBytes(16).toString('base64url').slice(0, 22),
    mappings,
    settings,
    semanticFields: semanticFields(state, mappings.properties),
    creationDate: state.now(),
  };
  state.indices.set(name, record);
  return record;
}

/** semantic_text fields anywhere in the mapping (nested `properties` / multi-`fields` too). */
function semanticFields(state: DocumentHost, properties: unknown, prefix = ''): SemanticField[] {
  if (!isObject(properties)) return [];
  const out: SemanticField[] = [];
  for (const [name, def] of Object.entries(properties)) {
    if (!isObject(def)) continue;
    const path = prefix + name;
    if (def.type === 'semantic_text') {
      const inferenceId =
        typeof def.inference_id === 'string'
          ? def.inference_id
          : state.documentApi.semanticTextDefaultInferenceId;
      if (inferenceId) {
        out.push({
          field: path,
          inferenceId,
          searchInferenceId:
            typeof def.search_inference_id === 'string' ? def.search_inference_id : undefined,
        });
      }
    }
    out.push(...semanticFields(state, def.properties, path + '.'));
    out.push(...semanticFields(state, def.fields, path + '.'));
  }
  return out;
}

export function createIndex(state: DocumentHost, req: EmuRequest, name: string): EmuResponse {
  validateIndexName(name);
  const body = parseJsonBody(req, false) ?? {};
  if (state.indices.has(name)) {
    const existing = state.indices.get(name);
    throw new EsError(
      400,
      'resource_already_exists_exception',
      `index [${name}/${existing?.uuid ?? ''}] already exists`,
      {
        extra: { index_uuid: existing?.uuid ?? '', index: name },
      },
    );
  }
  const mappings = isObject(body.mappings) ? body.mappings : {};
  const settings = isObject(body.settings) ? body.settings : {};
  createIndexRecord(state, name, mappings, settings);
  return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
}

export function getIndex(state: DocumentHost, name: string): EmuResponse {
  const names = name === '_all' || name === '*' ? [...state.indices.keys()].sort() : name.split(',');
  const body: JsonObject = {};
  for (const n of names) {
    const index = state.indices.get(n);
    if (!index) throw indexNotFound(n);
    body[n] = {
      aliases: {},
      mappings: index.mappings,
      settings: nestSettings({
        'index.number_of_shards': '1',
        'index.number_of_replicas': '1',
        ...normalizeSettings(index.settings),
        'index.creation_date': String(index.creationDate),
        'index.uuid': index.uuid,
        'index.provided_name': n,
        'index.version.created': state.documentApi.versionCreated,
      }),
    };
  }
  return { status: 200, body };
}

export function headIndex(state: DocumentHost, name: string): EmuResponse {
  return { status: state.indices.has(name) ? 200 : 404 };
}

export function deleteIndex(state: DocumentHost, name: string): EmuResponse {
  for (const n of name.split(',')) if (!state.indices.has(n)) throw indexNotFound(n);
  for (const n of name.split(',')) {
    const uuid = state.indices.get(n)?.uuid;
    if (uuid !== undefined) state.documents.delete(uuid);
    state.indices.delete(n);
  }
  return { status: 200, body: { acknowledged: true } };
}
