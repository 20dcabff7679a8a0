/**
 * The subset of the OpenSearch query DSL a reconciler uses on the ML indices (the API docs: `bool` with
 * `term` on `name.keyword`, `must_not` `exists` on `chunk_number`, sort by `created_time`), evaluated over the
 * stored documents with the index mapping's distinction that matters here: `name` and `description` are `text`
 * (standard-analysed: lower-cased word tokens), `name.keyword` is the exact `keyword` (`ignore_above: 256`), the
 * ids and states are `keyword` [src `ml_model.json`]. So `term: {name: "My-Model"}` matches nothing, as on a
 * real cluster.
 *
 * Supported: `match_all`, `match_none`, `term`, `terms`, `match`, `exists`, `ids`, `prefix`, `bool`
 * (`must`/`filter`/`should`/`must_not`/`minimum_should_match`); `from`, `size` (default 10), `sort`, `_source`.
 * Another query type is answered 400 `parsing_exception` "unknown query [x]" (the real one also names a line and
 * column and has a `named_object_not_found_exception` cause, not reproduced) [infer].
 *
 * Scores are not BM25: a matching scoring query scores 1.0, a filter-only one 0.0 [infer]; with a sort, `_score`
 * and `max_score` are null as OpenSearch does without `track_scores`.
 */
import type { JsonObject, JsonValue } from '../types.js';
import { OsError, illegalArgument } from './errors.js';
import { isObject } from './parse.js';
import type { StoredDoc, SystemIndex } from './state.js';

const TEXT_FIELDS = new Set(['name', 'description']);

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((t) => t.length > 0);
}

/** Values of a (dotted) field in a document: arrays flatten, `x.keyword` reads `x` (ignore_above 256). */
function fieldValues(doc: StoredDoc, field: string): JsonValue[] {
  if (field === '_id') return [doc.id];
  let path = field;
  let keyword = false;
  if (path.endsWith('.keyword')) {
    path = path.slice(0, -'.keyword'.length);
    keyword = true;
  }
  let current: JsonValue[] = [doc.source];
  for (const part of path.split('.')) {
    const next: JsonValue[] = [];
    for (const c of current) {
      if (!isObject(c)) continue;
      const v = c[part];
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) next.push(...v.filter((x) => x !== null));
      else next.push(v);
    }
    current = next;
  }
  if (keyword) return current.filter((v) => typeof v !== 'string' || v.length <= 256);
  return current;
}

function equalsTerm(value: JsonValue, term: JsonValue, textField: boolean): boolean {
  if (textField && typeof value === 'string') return tokens(value).includes(String(term));
  if (typeof value === 'number') return Number(term) === value;
  if (typeof value === 'boolean') return String(term) === String(value);
  if (typeof value === 'string') return String(term) === value;
  return false;
}

function isTextField(field: string): boolean {
  return TEXT_FIELDS.has(field);
}

/** `{field: value}` or `{field: {value|query: …}}` → [field, value]. */
function fieldAndValue(kind: string, spec: JsonValue, key: 'value' | 'query'): [string, JsonValue] {
  if (!isObject(spec))
    throw new OsError(
      400,
      'parsing_exception',
      `[${kind}] query malformed, no start_object after query name`,
    );
  const entries = Object.entries(spec).filter(([k]) => k !== 'boost' && k !== '_name');
  const first = entries[0];
  if (!first)
    throw new OsError(
      400,
      'parsing_exception',
      `[${kind}] query doesn't support multiple fields, found [] and []`,
    );
  const [field, raw] = first;
  if (isObject(raw)) {
    const v = raw[key];
    if (v === undefined)
      throw new OsError(400, 'parsing_exception', `[${kind}] query does not support [${field}]`);
    return [field, v];
  }
  return [field, raw];
}

interface Evaluated {
  readonly match: boolean;
  /** Whether the clause contributes to the score. */
  readonly scoring: boolean;
}

function asList(v: JsonValue | undefined): JsonValue[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function evaluate(query: JsonValue, doc: StoredDoc): Evaluated {
  if (!isObject(query))
    throw new OsError(400, 'parsing_exception', 'query malformed, must start with start_object');
  const entries = Object.entries(query);
  if (entries.length !== 1) {
    throw new OsError(400, 'parsing_exception', `[_na] query malformed, no start_object after query name`);
  }
  const [kind, spec] = entries[0] as [string, JsonValue];
  switch (kind) {
    case 'match_all':
      return { match: true, scoring: true };
    case 'match_none':
      return { match: false, scoring: true };
    case 'term': {
      const [field, value] = fieldAndValue('term', spec, 'value');
      const text = isTextField(field);
      return { match: fieldValues(doc, field).some((v) => equalsTerm(v, value, text)), scoring: true };
    }
    case 'terms': {
      if (!isObject(spec)) throw new OsError(400, 'parsing_exception', '[terms] query malformed');
      const entry = Object.entries(spec).find(([k]) => k !== 'boost' && k !== '_name');
      if (!entry || !Array.isArray(entry[1])) {
        throw new OsError(
          400,
          'parsing_exception',
          '[terms] query does not support [' + (entry?.[0] ?? '') + ']',
        );
      }
      const [field, values] = entry as [string, JsonValue[]];
      const text = isTextField(field);
      return {
        match: fieldValues(doc, field).some((v) => values.some((t) => equalsTerm(v, t, text))),
        scoring: true,
      };
    }
    case 'match': {
      const [field, value] = fieldAndValue('match', spec, 'query');
      const values = fieldValues(doc, field);
      if (isTextField(field)) {
        const wanted = tokens(String(value));
        return {
          match: values.some((v) => typeof v === 'string' && tokens(v).some((t) => wanted.includes(t))),
          scoring: true,
        };
      }
      return { match: values.some((v) => equalsTerm(v, value, false)), scoring: true };
    }
    case 'prefix': {
      const [field, value] = fieldAndValue('prefix', spec, 'value');
      const text = isTextField(field);
      return {
        match: fieldValues(doc, field).some((v) =>
          typeof v !== 'string'
            ? false
            : text
              ? tokens(v).some((t) => t.startsWith(String(value)))
              : v.startsWith(String(value)),
        ),
        scoring: true,
      };
    }
    case 'exists': {
      const field = isObject(spec) ? spec.field : undefined;
      if (typeof field !== 'string')
        throw new OsError(400, 'parsing_exception', '[exists] must be provided with a [field]');
      return { match: fieldValues(doc, field).length > 0, scoring: true };
    }
    case 'ids': {
      const values = isObject(spec) ? asList(spec.values) : [];
      return { match: values.some((v) => String(v) === doc.id), scoring: true };
    }
    case 'bool': {
      if (!isObject(spec)) throw new OsError(400, 'parsing_exception', '[bool] query malformed');
      const must = asList(spec.must).map((q) => evaluate(q, doc));
      const filter = asList(spec.filter).map((q) => evaluate(q, doc));
      const should = asList(spec.should).map((q) => evaluate(q, doc));
      const mustNot = asList(spec.must_not).map((q) => evaluate(q, doc));
      let minimumShould = Number(
        spec.minimum_should_match ?? (must.length === 0 && filter.length === 0 ? 1 : 0),
      );
      if (should.length === 0) minimumShould = 0;
      const match =
        must.every((e) => e.match) &&
        filter.every((e) => e.match) &&
        mustNot.every((e) => !e.match) &&
        should.filter((e) => e.match).length >= minimumShould;
      return { match, scoring: must.length > 0 || should.length > 0 };
    }
    default:
      throw new OsError(400, 'parsing_exception', `unknown query [${kind}]`);
  }
}

function sortSpecs(sort: JsonValue | undefined): { field: string; desc: boolean }[] {
  return asList(sort).map((s) => {
    if (typeof s === 'string') return { field: s, desc: s === '_score' };
    if (isObject(s)) {
      const [field, spec] = Object.entries(s)[0] ?? ['_score', 'desc'];
      const order = isObject(spec) ? spec.order : spec;
      return { field, desc: String(order ?? (field === '_score' ? 'desc' : 'asc')).toLowerCase() === 'desc' };
    }
    throw new OsError(400, 'parsing_exception', 'malformed sort format');
  });
}

function compare(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1; // missing values sort last
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function filterSource(
  source: JsonObject,
  spec: JsonValue | undefined,
  excludes: readonly string[],
): JsonObject | undefined {
  let includes: string[] = [];
  let excl = [...excludes];
  if (spec === false) return undefined;
  if (typeof spec === 'string') includes = [spec];
  else if (Array.isArray(spec)) includes = spec.map(String);
  else if (isObject(spec)) {
    includes = asList(spec.includes ?? spec.include).map(String);
    excl = [...excl, ...asList(spec.excludes ?? spec.exclude).map(String)];
  }
  const matches = (path: string, patterns: string[]) =>
    patterns.some((p) => {
      const re = new RegExp('^' + p.split('*').map(escapeRe).join('.*') + '$');
      return re.test(path) || path.startsWith(p + '.');
    });
  const walk = (obj: JsonObject, prefix: string): JsonObject => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (matches(path, excl)) continue;
      const included = includes.length === 0 || matches(path, includes);
      if (isObject(v)) {
        const inner = walk(v, path);
        if (included || Object.keys(inner).length > 0) out[k] = inner;
      } else if (included) out[k] = v;
    }
    return out;
  };
  return walk(source, '');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SearchOptions {
  /** `_source` paths always excluded (credentials). */
  readonly excludes?: readonly string[];
  /** Extra filter the handler adds (hidden models). */
  readonly filter?: (doc: StoredDoc) => boolean;
}

/** The empty response ml-commons returns when the index does not exist yet (`wrapListenerToHandleSearchIndexNotFound`). */
export function emptySearchResponse(): JsonObject {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: 0.0, hits: [] },
  };
}

/**
 * Runs a search body over one index. The ML search handlers turn on `version` and `seq_no_primary_term`, so
 * hits carry `_version`, `_seq_no` and `_primary_term`.
 */
export function search(index: SystemIndex, body: JsonObject, options: SearchOptions = {}): JsonObject {
  if (!index.exists) return emptySearchResponse();
  const query = body.query ?? { match_all: {} };
  const size = body.size === undefined ? 10 : Number(body.size);
  const from = body.from === undefined ? 0 : Number(body.from);
  const sorts = sortSpecs(body.sort);
  for (const s of sorts) {
    if (isTextField(s.field)) {
      throw illegalArgument(
        `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
  }
  const matched: { doc: StoredDoc; score: number }[] = [];
  for (const doc of index.docs.values()) {
    if (options.filter && !options.filter(doc)) continue;
    const e = evaluate(query, doc);
    if (e.match) matched.push({ doc, score: e.scoring ? 1.0 : 0.0 });
  }
  if (sorts.length > 0) {
    matched.sort((a, b) => {
      for (const s of sorts) {
        const va = s.field === '_score' ? a.score : fieldValues(a.doc, s.field)[0];
        const vb = s.field === '_score' ? b.score : fieldValues(b.doc, s.field)[0];
        const c = compare(va, vb);
        if (c !== 0) return s.desc ? (va === undefined || vb === undefined ? c : -c) : c;
      }
      return 0;
    });
  }
  const page = matched.slice(from, from + size);
  const sorted = sorts.length > 0;
  const hits = page.map(({ doc, score }) => {
    const hit: JsonObject = {
      _index: index.name,
      _id: doc.id,
      _version: doc.version,
      _seq_no: doc.seqNo,
      _primary_term: 1,
      _score: sorted ? null : score,
    };
    const source = filterSource(doc.source, body._source, options.excludes ?? []);
    if (source !== undefined) hit._source = source;
    if (sorted) {
      hit.sort = sorts.map((s) => (s.field === '_score' ? score : (fieldValues(doc, s.field)[0] ?? null)));
    }
    return hit;
  });
  // No hits, or a sort without track_scores: max_score is null.
  const maxScore = sorted || matched.length === 0 ? null : Math.max(...matched.map((x) => x.score));
  return {
    took: 1,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: matched.length, relation: 'eq' },
      max_score: maxScore,
      hits,
    },
  };
}

/** Models of an index matching `field == value` (a `match` on a keyword field), capped at the default size 10. */
export function findBy(index: SystemIndex, field: string, value: string, limit = 10): StoredDoc[] {
  const out: StoredDoc[] = [];
  for (const doc of index.docs.values()) {
    if (fieldValues(doc, field).some((v) => v === value)) out.push(doc);
    if (out.length >= limit) break;
  }
  return out;
}
