/**
 * Just enough of the index APIs to make `semantic_text` references real (reference §6, issue 3):
 * `PUT /{index}` records `semantic_text` fields' `inference_id` / `search_inference_id`, `GET /{index}`,
 * `HEAD /{index}`, `DELETE /{index}`. Documents are out of scope.
 */
import { randomBytes } from 'node:crypto';
import { EsError } from './errors.js';
import { isObject, parseJsonBody } from './inference/index.js';
import type { EmulatorState, SemanticField } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject } from './types.js';

function indexNotFound(name: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${name}]`, {
    extra: { 'resource.type': 'index_or_alias', 'resource.id': name, index_uuid: '_na_', index: name },
  });
}

/** MetadataCreateIndexService.validateIndexOrAliasName (subset). */
function validateIndexName(name: string): void {
  const invalid = (reason: string) =>
    new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${reason}`, {
      extra: { index_uuid: '_na_', index: name },
    });
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  if (/^[_\-+]/.test(name)) throw invalid("must not start with '_', '-', or '+'");
  if (/[\\/*?"<>| ,#:]/.test(name))
    throw invalid('must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]');
}

/** semantic_text fields anywhere in the mapping (nested `properties` / multi-`fields` too). */
function semanticFields(state: EmulatorState, properties: unknown, prefix = ''): SemanticField[] {
  if (!isObject(properties)) return [];
  const out: SemanticField[] = [];
  for (const [name, def] of Object.entries(properties)) {
    if (!isObject(def)) continue;
    const path = prefix + name;
    if (def.type === 'semantic_text') {
      const inferenceId =
        typeof def.inference_id === 'string' ? def.inference_id : state.caps.semanticTextDefaultInferenceId;
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

export function createIndex(state: EmulatorState, req: EmuRequest, name: string): EmuResponse {
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
  state.indices.set(name, {
    name,
    uuid: randomBytes(16).toString('base64url').slice(0, 22),
    mappings,
    settings,
    semanticFields: semanticFields(state, mappings.properties),
    creationDate: state.now(),
  });
  return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
}

export function getIndex(state: EmulatorState, name: string): EmuResponse {
  const names = name === '_all' || name === '*' ? [...state.indices.keys()].sort() : name.split(',');
  const body: JsonObject = {};
  for (const n of names) {
    const index = state.indices.get(n);
    if (!index) throw indexNotFound(n);
    body[n] = {
      aliases: {},
      mappings: index.mappings,
      settings: {
        index: {
          ...index.settings,
          creation_date: String(index.creationDate),
          number_of_shards: '1',
          number_of_replicas: '1',
          uuid: index.uuid,
          provided_name: n,
          version: { created: state.caps.version },
        },
      },
    };
  }
  return { status: 200, body };
}

export function headIndex(state: EmulatorState, name: string): EmuResponse {
  return { status: state.indices.has(name) ? 200 : 404 };
}

export function deleteIndex(state: EmulatorState, name: string): EmuResponse {
  for (const n of name.split(',')) if (!state.indices.has(n)) throw indexNotFound(n);
  for (const n of name.split(',')) state.indices.delete(n);
  return { status: 200, body: { acknowledged: true } };
}
