/**
 * The index APIs: `PUT /{index}` (mappings incl. `dynamic`, settings), `GET`, `HEAD`, `DELETE`. `PUT` records
 * `semantic_text` fields' `inference_id` / `search_inference_id`; documents live in
 * `documents.ts`, which auto-creates indices through `createIndexRecord`.
 */
import { randomBytes } from 'node:crypto';
import { canMergeWith, recordedModelSettings } from '../catalog/semantic-settings.js';
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
    aliases: {},
  };
  state.indices.set(name, record);
  return record;
}

/** The indices an alias points to (sorted by name). */
export function aliasTargets(state: DocumentHost, alias: string): IndexRecord[] {
  return [...state.indices.values()]
    .filter((i) => Object.hasOwn(i.aliases, alias))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Metadata.hasAlias: is `name` an alias of some index? */
export function isAlias(state: DocumentHost, name: string): boolean {
  return aliasTargets(state, name).length > 0;
}

/**
 * The concrete index of a name for reads: the index itself, or the one index an alias points to; undefined when
 * neither exists. (An alias of several indices resolves to all of them in ES; inferctl's aliases have one.)
 */
export function concreteIndices(state: DocumentHost, name: string): IndexRecord[] {
  const index = state.indices.get(name);
  if (index) return [index];
  return aliasTargets(state, name);
}

/**
 * The write index of an alias (IndexAbstraction.Alias#getWriteIndex): its only index, or the one marked
 * `is_write_index`; an alias of several indices without one is refused as ES refuses it.
 */
export function writeIndexOfAlias(state: DocumentHost, alias: string): IndexRecord | undefined {
  const targets = aliasTargets(state, alias);
  if (targets.length === 0) return undefined;
  const marked = targets.filter((i) => i.aliases[alias]?.is_write_index === true);
  if (marked.length === 1) return marked[0];
  if (targets.length === 1 && targets[0]!.aliases[alias]?.is_write_index !== false) return targets[0];
  throw new EsError(
    400,
    'illegal_argument_exception',
    `no write index is defined for alias [${alias}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
  );
}

/** MetadataCreateIndexService / AliasValidator: alias names follow index-name rules and must not name an index. */
function validateAlias(state: DocumentHost, alias: string, index: string): void {
  try {
    validateIndexName(alias);
  } catch (error) {
    if (error instanceof EsError)
      throw new EsError(
        400,
        'invalid_alias_name_exception',
        error.message.replace(/^Invalid index name/, 'Invalid alias name'),
      );
    throw error;
  }
  if (state.indices.has(alias) || alias === index) {
    throw new EsError(
      400,
      'invalid_alias_name_exception',
      `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
    );
  }
}

/** The mapping object of the field at a dotted path (through `properties` and multi-`fields`). */
export function fieldDefinition(mappings: JsonObject, path: string): JsonObject | undefined {
  let props: JsonValue | undefined = mappings.properties;
  let def: JsonObject | undefined;
  for (const part of path.split('.')) {
    if (!isObject(props)) return undefined;
    const next: JsonValue | undefined = props[part];
    if (!isObject(next)) return undefined;
    def = next;
    props = isObject(next.properties) ? next.properties : next.fields;
  }
  return def;
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
  if (isAlias(state, name)) {
    throw new EsError(
      400,
      'invalid_index_name_exception',
      `Invalid index name [${name}], already exists as alias`,
      {
        extra: { index_uuid: '_na_', index: name },
      },
    );
  }
  const mappings = isObject(body.mappings) ? body.mappings : {};
  const settings = isObject(body.settings) ? body.settings : {};
  const aliases = isObject(body.aliases) ? body.aliases : {};
  for (const alias of Object.keys(aliases)) validateAlias(state, alias, name);
  const record = createIndexRecord(state, name, mappings, settings);
  for (const [alias, def] of Object.entries(aliases)) record.aliases[alias] = isObject(def) ? def : {};
  return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
}

export function getIndex(state: DocumentHost, name: string): EmuResponse {
  const names = name === '_all' || name === '*' ? [...state.indices.keys()].sort() : name.split(',');
  const body: JsonObject = {};
  // An alias names the indices it points to: the answer is keyed by their concrete names.
  const resolved = names.flatMap((n) => {
    const found = concreteIndices(state, n);
    if (found.length === 0) throw indexNotFound(n);
    return found;
  });
  for (const index of resolved) {
    const n = index.name;
    body[n] = {
      aliases: structuredClone(index.aliases),
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

/** `GET /{index}/_mapping`: `{ <concrete index>: { mappings } }`, aliases resolved as `GET /{index}` does. */
export function getMapping(state: DocumentHost, name: string): EmuResponse {
  const all = getIndex(state, name).body as Record<string, JsonObject>;
  const body: JsonObject = {};
  for (const [index, def] of Object.entries(all)) body[index] = { mappings: def.mappings ?? {} };
  return { status: 200, body };
}

export function headIndex(state: DocumentHost, name: string): EmuResponse {
  return { status: concreteIndices(state, name).length > 0 ? 200 : 404 };
}

/**
 * `PUT /{index}/_mapping` (MetadataMappingService): new fields are merged in, a field's type cannot change,
 * `dynamic` and `_meta` are replaced when given (`_meta` as a whole, as ES does).
 */
export function putMapping(state: DocumentHost, req: EmuRequest, name: string): EmuResponse {
  const body = parseJsonBody(req, true) ?? {};
  const indices = concreteIndices(state, name);
  if (indices.length === 0) throw indexNotFound(name);
  const added = isObject(body.properties) ? body.properties : {};
  // Every index is checked before any is changed: a refused update changes nothing.
  for (const index of indices) {
    const mappings = index.mappings as Record<string, JsonValue>;
    const props = isObject(mappings.properties) ? mappings.properties : {};
    for (const [field, def] of Object.entries(added)) {
      const before = props[field];
      if (
        isObject(before) &&
        isObject(def) &&
        before.type !== undefined &&
        def.type !== undefined &&
        before.type !== def.type
      ) {
        throw new EsError(
          400,
          'illegal_argument_exception',
          `mapper [${field}] cannot be changed from type [${String(before.type)}] to [${String(def.type)}]`,
        );
      }
      if (isObject(before) && isObject(def) && before.type === 'semantic_text') {
        checkInferenceIdChange(state, field, before, def);
      }
    }
  }
  for (const index of indices) {
    const mappings = index.mappings as Record<string, JsonValue>;
    const props = isObject(mappings.properties) ? mappings.properties : {};
    const merged: JsonObject = { ...props };
    for (const [field, def] of Object.entries(added)) {
      const before = props[field];
      // A semantic_text field keeps the model_settings its values recorded.
      merged[field] =
        isObject(before) &&
        isObject(def) &&
        isObject(before.model_settings) &&
        def.model_settings === undefined
          ? { ...def, model_settings: before.model_settings }
          : def;
    }
    mappings.properties = merged;
    if (body.dynamic !== undefined) mappings.dynamic = body.dynamic;
    if (body._meta !== undefined) mappings._meta = body._meta;
    (index as { semanticFields: readonly SemanticField[] }).semanticFields = semanticFields(
      state,
      mappings.properties,
    );
  }
  return { status: 200, body: { acknowledged: true } };
}

/**
 * A semantic_text field's `inference_id` is fixed before 9.3; from 9.3.0 (PR #136120) it may change while the field
 * has no values (no `model_settings`) or to an endpoint `canMergeWith` its recorded settings. The refusal is the
 * mapper's parameter conflict [I: 9.3's exact text for an incompatible switch is not recorded; the same conflict is
 * used].
 */
function checkInferenceIdChange(
  state: DocumentHost,
  field: string,
  before: JsonObject,
  def: JsonObject,
): void {
  const semantic = state.documentApi.semanticText;
  const defaultId = state.documentApi.semanticTextDefaultInferenceId;
  const from = typeof before.inference_id === 'string' ? before.inference_id : defaultId;
  const to = typeof def.inference_id === 'string' ? def.inference_id : defaultId;
  if (from === to || !semantic) return;
  const conflict = () =>
    new EsError(
      400,
      'illegal_argument_exception',
      `Mapper for [${field}] conflicts with existing mapper:\n\tCannot update parameter [inference_id] from [${String(from)}] to [${String(to)}]`,
    );
  if (!semantic.inferenceIdUpdatable) throw conflict();
  const recorded = recordedModelSettings(before);
  if (!recorded) return;
  const next = to === undefined ? undefined : semantic.modelSettingsOf(to);
  if (!next || canMergeWith(recorded, next) !== true) throw conflict();
}

/** `POST /_aliases` with `add` and `remove` actions (MetadataIndexAliasesService), applied all or nothing. */
export function updateAliases(state: DocumentHost, req: EmuRequest): EmuResponse {
  const body = parseJsonBody(req, true) ?? {};
  const actions = Array.isArray(body.actions) ? body.actions : [];
  if (actions.length === 0)
    throw new EsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: no aliases actions specified;',
    );
  const steps: (() => void)[] = [];
  for (const action of actions) {
    if (!isObject(action)) continue;
    const [verb, args] = Object.entries(action)[0] ?? [];
    if (!isObject(args) || (verb !== 'add' && verb !== 'remove')) {
      throw new EsError(400, 'x_content_parse_exception', `[aliases] unknown field [${String(verb)}]`);
    }
    const indexName = typeof args.index === 'string' ? args.index : '';
    const alias = typeof args.alias === 'string' ? args.alias : '';
    const index = state.indices.get(indexName);
    if (!index) throw indexNotFound(indexName);
    if (verb === 'add') {
      validateAlias(state, alias, indexName);
      const def: JsonObject =
        typeof args.is_write_index === 'boolean' ? { is_write_index: args.is_write_index } : {};
      steps.push(() => {
        index.aliases[alias] = def;
      });
    } else {
      if (!Object.hasOwn(index.aliases, alias))
        throw new EsError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`, {
          extra: { 'resource.type': 'aliases', 'resource.id': alias },
        });
      steps.push(() => {
        delete index.aliases[alias];
      });
    }
  }
  for (const step of steps) step();
  return { status: 200, body: { acknowledged: true } };
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
