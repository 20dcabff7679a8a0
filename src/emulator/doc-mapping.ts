/**
 * A document against its index's mapping, as DocumentParser walks it: fields in document order; an unmapped field
 * under `dynamic: strict` fails with StrictDynamicMappingException at the value token's location
 * (`[line:col] mapping set to strict, dynamic introduction of [f] within [parent] is not allowed`, parent = the
 * object's full path, `_doc` at the root — text from ES `StrictDynamicMappingException`, an `ElasticsearchException`
 * with status 400 through DocumentParsingException); `dynamic: true` (the default, and every auto-created index) adds
 * mappings the way the default dynamic rules do (string → `date` when date detection matches, else `text` with a
 * `keyword` sub-field; integer → `long`; decimal → `float`; boolean; object); `false` / `runtime` leave unmapped
 * fields in `_source` only. Values of mapped fields are not type-checked here [not modelled].
 */
import { EsError } from './errors.js';
import { isObject } from './inference/index.js';
import { locationText, type Located, type LocatedMember } from './json-location.js';
import type { JsonObject } from './types.js';

type Dynamic = 'true' | 'false' | 'strict' | 'runtime';

function dynamicOf(mapping: JsonObject, inherited: Dynamic): Dynamic {
  const d = mapping.dynamic;
  if (d === undefined || d === null) return inherited;
  const text = String(d);
  return text === 'strict' || text === 'false' || text === 'runtime' ? text : 'true';
}

/** An object mapper: no `type`, or `object` / `nested`. */
export function isObjectMapper(mapping: JsonObject): boolean {
  return mapping.type === undefined || mapping.type === 'object' || mapping.type === 'nested';
}

/** `strict_date_optional_time` (the first dynamic date format) and `yyyy/MM/dd[ HH:mm:ss]` [I: format subset]. */
const DATE =
  /^(\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?|\d{4}\/\d{2}\/\d{2}( \d{2}:\d{2}:\d{2})?)$/;

export function documentParsingError(
  text: string,
  at: number,
  message: string,
  type?: string,
  located = true,
): EsError {
  // Elasticsearch 7.10 / OpenSearch: MapperParsingException, no location (see DocumentApiDialect).
  if (!located) return new EsError(400, type ?? 'mapper_parsing_exception', message);
  return new EsError(400, type ?? 'document_parsing_exception', `[${locationText(text, at)}] ${message}`);
}

/**
 * Checks `doc` (its located tree over `text`) against `mappings` and applies the dynamic mapping updates to it.
 * Throws before changing anything when the document is rejected.
 */
export function applyMapping(mappings: JsonObject, text: string, doc: Located, located = true): void {
  const fail = (at: number, message: string, type?: string) =>
    documentParsingError(text, at, message, type, located);
  if (doc.kind !== 'object') throw fail(doc.at, 'Malformed content, must start with an object');
  const work = structuredClone(mappings);
  const dateDetection = work.date_detection !== false && work.date_detection !== 'false';
  const rootDynamic = dynamicOf(work, 'true');

  const leafFor = (value: Located): JsonObject | undefined => {
    if (value.kind === 'array') {
      const first = value.items.find((x) => !(x.kind === 'scalar' && x.value === null));
      return first ? leafFor(first) : undefined;
    }
    if (value.kind === 'object') return { properties: {} };
    const v = value.value;
    if (typeof v === 'boolean') return { type: 'boolean' };
    if (typeof v === 'number') {
      const raw = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(value.at, value.at + 400))?.[0] ?? '';
      return /[.eE]/.test(raw) ? { type: 'float' } : { type: 'long' };
    }
    if (typeof v === 'string') {
      if (dateDetection && DATE.test(v)) return { type: 'date' };
      return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    }
    return undefined;
  };

  const walkObject = (mapper: JsonObject, members: readonly LocatedMember[], path: string, dyn: Dynamic) => {
    for (const m of members) field(mapper, m.key.split('.'), m.value, path, dyn);
  };

  const field = (parent: JsonObject, parts: string[], value: Located, path: string, dyn: Dynamic): void => {
    const name = parts[0] as string;
    const props = isObject(parent.properties) ? parent.properties : undefined;
    let mapper = props?.[name];
    const fullPath = path === '_doc' ? name : `${path}.${name}`;
    if (!isObject(mapper)) {
      if (dyn === 'strict') {
        throw fail(
          value.at,
          `mapping set to strict, dynamic introduction of [${name}] within [${path}] is not allowed`,
          'strict_dynamic_mapping_exception',
        );
      }
      if (dyn !== 'true') return;
      const created = parts.length > 1 ? { properties: {} } : leafFor(value);
      if (!created) return;
      parent.properties = { ...(props ?? {}), [name]: created };
      mapper = created;
    }
    if (parts.length > 1) {
      if (isObjectMapper(mapper)) field(mapper, parts.slice(1), value, fullPath, dynamicOf(mapper, dyn));
      return;
    }
    if (!isObjectMapper(mapper) || mapper.enabled === false) return;
    const childDyn = dynamicOf(mapper, dyn);
    const visit = (v: Located) => {
      if (v.kind === 'object') walkObject(mapper, v.members, fullPath, childDyn);
      else if (v.kind === 'array') v.items.forEach(visit);
      else if (v.value !== null) {
        throw fail(
          v.at,
          `object mapping for [${fullPath}] tried to parse field [${name}] as object, but found a concrete value`,
        );
      }
    };
    visit(value);
  };

  walkObject(work, doc.members, '_doc', rootDynamic);
  for (const key of Object.keys(mappings)) delete mappings[key];
  Object.assign(mappings, work);
}

/** The mapping of a field path (`a.b`, multi-fields `a.keyword`), or undefined when unmapped. */
export function fieldMapping(mappings: JsonObject, path: string): JsonObject | undefined {
  let node: JsonObject = mappings;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const props = isObject(node.properties) ? node.properties : undefined;
    const fields = isObject(node.fields) ? node.fields : undefined;
    const next = props?.[part] ?? (i > 0 ? fields?.[part] : undefined);
    if (!isObject(next)) return undefined;
    node = next;
  }
  return node;
}
