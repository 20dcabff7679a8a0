/**
 * `GET|POST /{index}/_search` and `/_search`, the subset inferctl uses: `query` ∈ match_all | term | terms | ids,
 * `size`, `from`, `sort` (keyword, numeric, date, boolean fields, `_score`, `_doc`), `seq_no_primary_term`,
 * `version`, `_source`, `track_total_hits`; the real `hits` envelope [V SearchHit.toXContent field order].
 *
 * Near-real-time: search sees the documents as of the last refresh (`_refresh`, `?refresh=true|wait_for` on a write,
 * or the scheduled refresh every `index.refresh_interval`, 1 s by default, counted from index creation). A shard that
 * has not been searched for 30 s is search-idle: the next search refreshes first (IndexShard.scheduledRefresh /
 * search-idle rules; [I] timing simplified, no waiting).
 *
 * Scores [I]: match_all, terms, ids and term on non-text/keyword/boolean fields are constant (`boost`); term on
 * keyword/text/boolean uses Lucene's BM25 with the statistics of the refreshed live documents (Lucene would count
 * deleted documents until a merge; text length norms are taken as average).
 */
import { fieldMapping } from './doc-mapping.js';
import { boolParam, intParam, resolveIndices, refreshStore, storeOf } from './documents.js';
import { EsError, illegalArgument } from './errors.js';
import { isObject } from './inference/index.js';
import { normalizeSettings } from './indices.js';
import { lineCol, locate, type Located } from './json-location.js';
import type { DocStore, DocumentHost, IndexRecord, StoredDoc } from './state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from './types.js';

const SEARCH_IDLE_MS = 30_000;
/** Long.MAX_VALUE as a double: the missing-value sort key ES prints as 9223372036854775807 [I: JSON here prints 9223372036854776000]. */
const LONG_MAX = 2 ** 63;

/** Keys SearchSourceBuilder knows but the emulator does not implement: a clear error rather than a silent ignore. */
const UNIMPLEMENTED = new Set([
  'aggs',
  'aggregations',
  'highlight',
  'post_filter',
  'fields',
  'docvalue_fields',
  'stored_fields',
  'script_fields',
  'suggest',
  'collapse',
  'rescore',
  'timeout',
  'terminate_after',
  'min_score',
  'track_scores',
  'explain',
  'indices_boost',
  'pit',
  'runtime_mappings',
  'knn',
  'retriever',
  'rank',
  'ext',
  'profile',
  'stats',
  'slice',
]);
const IMPLEMENTED = new Set([
  'query',
  'search_after',
  'size',
  'from',
  'sort',
  'seq_no_primary_term',
  'version',
  '_source',
  'track_total_hits',
]);
const KNOWN_QUERIES = new Set([
  'bool',
  'match',
  'match_phrase',
  'multi_match',
  'range',
  'exists',
  'prefix',
  'wildcard',
  'regexp',
  'fuzzy',
  'query_string',
  'simple_query_string',
  'nested',
  'constant_score',
  'dis_max',
  'function_score',
  'match_none',
  'semantic',
  'sparse_vector',
  'knn',
]);

function tokenName(node: Located): string {
  if (node.kind === 'object') return 'START_OBJECT';
  if (node.kind === 'array') return 'START_ARRAY';
  const v = node.value;
  if (v === null) return 'VALUE_NULL';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  return 'VALUE_BOOLEAN';
}

/** ParsingException: 400 `parsing_exception` with `line` / `col`. */
function parsingError(
  text: string,
  at: number,
  reason: string,
  causedBy?: { type: string; reason: string },
): EsError {
  const { line, col } = lineCol(text, at);
  return new EsError(400, 'parsing_exception', reason, {
    extra: { line, col },
    ...(causedBy ? { causedBy } : {}),
  });
}

function member(node: Located, key: string): Located | undefined {
  return node.kind === 'object' ? node.members.find((m) => m.key === key)?.value : undefined;
}

// ---- field values and matching --------------------------------------------------------------------------------

/** Values at a dotted path of a source (arrays flattened, dotted keys accepted). */
function valuesAt(source: JsonValue | undefined, parts: readonly string[]): JsonValue[] {
  if (source === undefined) return [];
  if (Array.isArray(source)) return source.flatMap((s) => valuesAt(s, parts));
  if (parts.length === 0) return source === null ? [] : [source];
  if (!isObject(source)) return [];
  const out: JsonValue[] = [];
  for (let n = 1; n <= parts.length; n++) {
    const key = parts.slice(0, n).join('.');
    if (key in source) out.push(...valuesAt(source[key], parts.slice(n)));
  }
  return out;
}

interface Field {
  readonly type: string;
  readonly mapping: JsonObject;
  /** Where the values are in `_source` (a multi-field reads its parent's values). */
  readonly sourcePath: string[];
}

function resolveField(index: IndexRecord, path: string): Field | undefined {
  if (path === '_id') return { type: '_id', mapping: {}, sourcePath: [] };
  const mapping = fieldMapping(index.mappings, path);
  if (!mapping) return undefined;
  const parts = path.split('.');
  // A multi-field (`name.keyword`) is listed under its parent's `fields`.
  const parent = parts.length > 1 ? fieldMapping(index.mappings, parts.slice(0, -1).join('.')) : undefined;
  const isMulti = isObject(parent?.fields) && isObject(parent.fields[parts[parts.length - 1] as string]);
  return {
    type: typeof mapping.type === 'string' ? mapping.type : 'object',
    mapping,
    sourcePath: isMulti ? parts.slice(0, -1) : parts,
  };
}

const NUMERIC = new Set([
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'unsigned_long',
]);

/** The standard analyzer, approximately: lowercased letter/digit runs [I]. */
function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['_.][\p{L}\p{N}]+)*/gu) ?? [];
}

function dateMillis(v: JsonValue): number {
  return typeof v === 'number' ? v : Date.parse(String(v));
}

/** The indexed terms of a document for a field, comparable with `queryTerm`. */
function indexedTerms(field: Field, doc: StoredDoc): string[] {
  if (field.type === '_id') return [doc.id];
  const values = valuesAt(doc.source, field.sourcePath).filter((v) => !isObject(v));
  if (field.type === 'keyword' || field.type === 'constant_keyword' || field.type === 'wildcard') {
    const ignoreAbove =
      typeof field.mapping.ignore_above === 'number' ? field.mapping.ignore_above : Infinity;
    return values.map((v) => String(v)).filter((v) => v.length <= ignoreAbove);
  }
  if (field.type === 'text' || field.type === 'match_only_text')
    return values.flatMap((v) => tokens(String(v)));
  if (NUMERIC.has(field.type)) return values.map((v) => String(Number(v)));
  if (field.type === 'boolean') return values.map((v) => String(v === true || v === 'true'));
  if (field.type === 'date' || field.type === 'date_nanos') return values.map((v) => String(dateMillis(v)));
  return values.map((v) => String(v));
}

function queryTerm(field: Field, q: JsonValue): string {
  if (NUMERIC.has(field.type)) return String(Number(q));
  if (field.type === 'boolean') return String(q === true || q === 'true');
  if (field.type === 'date' || field.type === 'date_nanos') return String(dateMillis(q));
  return String(q);
}

const BM25 = new Set(['keyword', 'text', 'boolean', 'constant_keyword', 'wildcard']);

// ---- queries ---------------------------------------------------------------------------------------------------

type Scorer = (index: IndexRecord, docs: readonly StoredDoc[]) => Map<StoredDoc, number>;

function boostOf(text: string, node: Located | undefined): number {
  if (!node) return 1;
  if (node.kind !== 'scalar' || typeof node.value !== 'number')
    throw parsingError(text, node.at, '[boost] must be a number');
  return node.value;
}

function compileQuery(text: string, node: Located): Scorer {
  if (node.kind !== 'object' || node.members.length !== 1) {
    throw parsingError(
      text,
      node.at,
      node.kind === 'object' && node.members.length === 0
        ? 'query malformed, empty clause found'
        : '[_na] query malformed, must start with start_object',
    );
  }
  const { key: name, value: body } = node.members[0] as { key: string; value: Located };
  if (body.kind !== 'object')
    throw parsingError(text, body.at, `[${name}] query malformed, no start_object after query name`);
  if (name === 'match_all') {
    const boost = boostOf(text, member(body, 'boost'));
    return (_i, docs) => new Map(docs.map((d) => [d, boost]));
  }
  if (name === 'ids') {
    const values = member(body, 'values');
    if (!values || values.kind !== 'array')
      throw parsingError(text, body.at, '[ids] query malformed, no values');
    const ids = new Set(values.items.map((i) => (i.kind === 'scalar' ? String(i.value) : '')));
    const boost = boostOf(text, member(body, 'boost'));
    return (_i, docs) => new Map(docs.filter((d) => ids.has(d.id)).map((d) => [d, boost]));
  }
  if (name === 'term' || name === 'terms') {
    const fields = body.members.filter((m) => m.key !== 'boost' && m.key !== '_name');
    if (fields.length !== 1)
      throw parsingError(
        text,
        body.at,
        `[${name}] query doesn't support multiple fields, found [${fields.map((f) => f.key).join('] and [')}]`,
      );
    const { key: path, value } = fields[0] as { key: string; value: Located };
    let boost = boostOf(text, member(body, 'boost'));
    let caseInsensitive = false;
    let wanted: JsonValue[];
    if (name === 'terms') {
      if (value.kind !== 'array')
        throw parsingError(text, value.at, `[terms] query does not support [${path}]`);
      wanted = value.items.map((i) => (i.kind === 'scalar' ? i.value : null));
    } else if (value.kind === 'object') {
      const v = member(value, 'value');
      if (!v || v.kind !== 'scalar')
        throw parsingError(text, value.at, '[term] query does not support [value]');
      wanted = [v.value];
      boost = boostOf(text, member(value, 'boost'));
      const ci = member(value, 'case_insensitive');
      caseInsensitive = ci?.kind === 'scalar' && ci.value === true;
    } else if (value.kind === 'scalar') {
      wanted = [value.value];
    } else {
      throw parsingError(text, value.at, `[term] query does not support array of values`);
    }
    return (index, docs) => {
      const field = resolveField(index, path);
      const out = new Map<StoredDoc, number>();
      if (!field) return out;
      const norm = (t: string) => (caseInsensitive ? t.toLowerCase() : t);
      const want = new Set(wanted.filter((w) => w !== null).map((w) => norm(queryTerm(field, w))));
      const matching = docs.filter((d) => indexedTerms(field, d).some((t) => want.has(norm(t))));
      let score = boost;
      if (name === 'term' && BM25.has(field.type)) {
        const docCount = docs.filter((d) => indexedTerms(field, d).length > 0).length;
        const docFreq = matching.length;
        const idf = Math.fround(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
        const weight = Math.fround(boost * idf);
        score = Math.fround(weight - weight / (1 + 1 / 1.2));
      }
      for (const d of matching) out.set(d, score);
      return out;
    };
  }
  if (KNOWN_QUERIES.has(name))
    throw illegalArgument(`[emulator] query [${name}] is not emulated (match_all, term, terms, ids are)`);
  const { line, col } = lineCol(text, body.at);
  throw parsingError(text, body.at, `unknown query [${name}]`, {
    type: 'named_object_not_found_exception',
    reason: `[${line}:${col}] unknown field [${name}]`,
  });
}

// ---- sort ------------------------------------------------------------------------------------------------------

interface SortSpec {
  readonly field: string;
  readonly desc: boolean;
  readonly unmappedType: string | undefined;
}

function parseSort(text: string, node: Located): SortSpec[] {
  const items = node.kind === 'array' ? node.items : [node];
  return items.map((item) => {
    if (item.kind === 'scalar' && typeof item.value === 'string')
      return { field: item.value, desc: item.value === '_score', unmappedType: undefined };
    if (item.kind === 'object' && item.members.length === 1) {
      const { key, value } = item.members[0] as { key: string; value: Located };
      let order: JsonValue = key === '_score' ? 'desc' : 'asc';
      let unmappedType: string | undefined;
      if (value.kind === 'scalar') order = value.value;
      else if (value.kind === 'object') {
        const o = member(value, 'order');
        if (o?.kind === 'scalar') order = o.value;
        const u = member(value, 'unmapped_type');
        if (u?.kind === 'scalar' && typeof u.value === 'string') unmappedType = u.value;
      }
      if (order !== 'asc' && order !== 'desc') throw illegalArgument(`Unknown SortOrder [${String(order)}]`);
      return { field: key, desc: order === 'desc', unmappedType };
    }
    throw parsingError(text, item.at, `[sort] unsupported sort element`);
  });
}

/** search_phase_execution_exception "all shards failed" around one shard failure per index. */
function shardFailure(
  state: DocumentHost,
  indices: readonly IndexRecord[],
  cause: JsonObject,
  status: number,
): EsError {
  return new EsError(status, 'search_phase_execution_exception', 'all shards failed', {
    extra: {
      phase: 'query',
      grouped: true,
      failed_shards: indices.map((i) => ({ shard: 0, index: i.name, node: state.nodeId, reason: cause })),
    },
    rootCauses: [cause],
  });
}

function sortValue(index: IndexRecord, spec: SortSpec, doc: StoredDoc, score: number): JsonValue {
  if (spec.field === '_score') return score;
  if (spec.field === '_doc') return doc.docOrder;
  const field = resolveField(index, spec.field);
  const values = field ? indexedTerms(field, doc) : [];
  const isNumeric = field
    ? field.type !== 'keyword' && field.type !== 'constant_keyword' && field.type !== '_id'
    : spec.unmappedType !== 'keyword';
  if (values.length === 0) return isNumeric ? (spec.desc ? -LONG_MAX : LONG_MAX) : null;
  if (isNumeric) {
    const nums = values.map((v) => (field?.type === 'boolean' ? (v === 'true' ? 1 : 0) : Number(v)));
    return spec.desc ? Math.max(...nums) : Math.min(...nums);
  }
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return (spec.desc ? sorted[sorted.length - 1] : sorted[0]) as string;
}

function compareValues(a: JsonValue, b: JsonValue, desc: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1; // missing: _last in both orders
  if (b === null) return -1;
  const c = a < b ? -1 : 1;
  return desc ? -c : c;
}

// ---- source filtering ------------------------------------------------------------------------------------------

function globToRegex(p: string): RegExp {
  return new RegExp(
    '^' +
      p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
}

function filterSource(source: JsonObject, includes: string[], excludes: string[]): JsonObject {
  const inc = includes.map(globToRegex);
  const exc = excludes.map(globToRegex);
  const walk = (obj: JsonObject, prefix: string): JsonObject => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix + k;
      if (exc.some((r) => r.test(path))) continue;
      const included = inc.length === 0 || inc.some((r) => r.test(path));
      if (included) out[k] = v;
      else if (isObject(v) && includes.some((i) => i.startsWith(path + '.') || i.startsWith('*'))) {
        const sub = walk(v, path + '.');
        if (Object.keys(sub).length > 0) out[k] = sub;
      }
    }
    return out;
  };
  return walk(source, '');
}

// ---- refresh model ---------------------------------------------------------------------------------------------

function timeMs(text: string): number {
  const m = /^(-?\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return 1000;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 'ms'] ?? 1;
  return n < 0 ? -1 : n * unit;
}

function beforeSearch(state: DocumentHost, index: IndexRecord, store: DocStore): void {
  const explicit = normalizeSettings(index.settings)['index.refresh_interval'];
  const interval = timeMs(explicit ?? '1s');
  const now = state.now();
  if (store.pending) {
    const idle = explicit === undefined && now - (store.lastSearchAt ?? index.creationDate) >= SEARCH_IDLE_MS;
    const tick = (t: number) => Math.floor((t - index.creationDate) / interval);
    const ticked = interval > 0 && tick(now) > tick(store.pendingSince);
    if (idle || ticked) refreshStore(state, store);
  }
  store.lastSearchAt = now;
}

// ---- the handler -----------------------------------------------------------------------------------------------

export function search(state: DocumentHost, req: EmuRequest, expression: string | undefined): EmuResponse {
  const text = req.body !== undefined && req.body.trim() !== '' ? req.body : '{}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EsError(400, 'x_content_parse_exception', `[1:1] ${(error as Error).message}`);
  }
  if (!isObject(parsed))
    throw parsingError(
      text,
      0,
      'Expected [START_OBJECT] but found [' + (Array.isArray(parsed) ? 'START_ARRAY' : 'VALUE') + ']',
    );
  const root = locate(text);
  if (root.kind !== 'object') throw parsingError(text, 0, 'Expected [START_OBJECT]');
  for (const m of root.members) {
    if (IMPLEMENTED.has(m.key)) continue;
    if (UNIMPLEMENTED.has(m.key))
      throw illegalArgument(`[emulator] search option [${m.key}] is not emulated`);
    throw parsingError(text, m.value.at, `Unknown key for a ${tokenName(m.value)} in [${m.key}].`);
  }
  const scalar = (key: string): JsonValue | undefined => {
    const n = member(root, key);
    return n?.kind === 'scalar' ? n.value : undefined;
  };
  const size =
    intParam(req, 'size') ?? (typeof scalar('size') === 'number' ? (scalar('size') as number) : 10);
  const from = intParam(req, 'from') ?? (typeof scalar('from') === 'number' ? (scalar('from') as number) : 0);
  const seqNoPrimaryTerm =
    req.query.seq_no_primary_term !== undefined
      ? boolParam(req, 'seq_no_primary_term', false)
      : scalar('seq_no_primary_term') === true;
  const withVersion =
    req.query.version !== undefined ? boolParam(req, 'version', false) : scalar('version') === true;
  const trackRaw = req.query.track_total_hits ?? scalar('track_total_hits');
  const track =
    trackRaw === undefined
      ? 10_000
      : trackRaw === true || trackRaw === 'true'
        ? Infinity
        : trackRaw === false || trackRaw === 'false'
          ? 0
          : Number(trackRaw);
  const sourceNode = member(root, '_source');
  let includeSource = true;
  let includes: string[] = [];
  let excludes: string[] = [];
  const sourceParam = req.query._source;
  if (sourceParam !== undefined) {
    if (sourceParam === 'false') includeSource = false;
    else if (sourceParam !== 'true' && sourceParam !== '') includes = sourceParam.split(',');
  } else if (sourceNode?.kind === 'scalar') {
    if (sourceNode.value === false) includeSource = false;
    else if (typeof sourceNode.value === 'string') includes = [sourceNode.value];
  } else if (sourceNode?.kind === 'array') {
    includes = sourceNode.items.map((i) => (i.kind === 'scalar' ? String(i.value) : ''));
  } else if (sourceNode?.kind === 'object') {
    const list = (n: Located | undefined) =>
      n?.kind === 'array'
        ? n.items.map((i) => (i.kind === 'scalar' ? String(i.value) : ''))
        : n?.kind === 'scalar'
          ? [String(n.value)]
          : [];
    includes = list(member(sourceNode, 'includes'));
    excludes = list(member(sourceNode, 'excludes'));
  }
  if (size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${size}]`);
  if (from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${from}]`);

  const queryNode = member(root, 'query');
  const scorer = queryNode
    ? compileQuery(text, queryNode)
    : compileQuery('{"match_all":{}}', locate('{"match_all":{}}'));
  const sortNode = member(root, 'sort');
  const sort = sortNode ? parseSort(text, sortNode) : [];

  let indices: IndexRecord[];
  if (boolParam(req, 'ignore_unavailable', false)) {
    indices = (expression ?? '_all').split(',').flatMap((n) => {
      try {
        return resolveIndices(state, n);
      } catch {
        return [];
      }
    });
  } else {
    indices = resolveIndices(state, expression);
  }

  for (const spec of sort) {
    if (spec.field === '_score' || spec.field === '_doc') continue;
    for (const index of indices) {
      const field = resolveField(index, spec.field);
      if (!field && spec.unmappedType === undefined) {
        throw shardFailure(
          state,
          indices,
          {
            type: 'query_shard_exception',
            reason: `No mapping found for [${spec.field}] in order to sort on`,
            index_uuid: index.uuid,
            index: index.name,
          },
          400,
        );
      }
      if (
        field &&
        (field.type === 'text' || field.type === 'match_only_text') &&
        field.mapping.fielddata !== true
      ) {
        throw shardFailure(
          state,
          indices,
          {
            type: 'illegal_argument_exception',
            reason: `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${spec.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
          },
          400,
        );
      }
    }
  }

  interface Hit {
    index: IndexRecord;
    doc: StoredDoc;
    score: number;
    order: number;
    sortValues: JsonValue[];
  }
  const hits: Hit[] = [];
  indices.forEach((index, n) => {
    const store = storeOf(state, index);
    beforeSearch(state, index, store);
    const docs = [...store.searcher.values()].sort((a, b) => a.docOrder - b.docOrder);
    for (const [doc, score] of scorer(index, docs)) {
      hits.push({
        index,
        doc,
        score,
        order: n * 1e12 + doc.docOrder,
        sortValues: sort.map((s) => sortValue(index, s, doc, score)),
      });
    }
  });
  if (sort.length > 0) {
    hits.sort((a, b) => {
      for (let k = 0; k < sort.length; k++) {
        const c = compareValues(
          a.sortValues[k] as JsonValue,
          b.sortValues[k] as JsonValue,
          (sort[k] as SortSpec).desc,
        );
        if (c !== 0) return c;
      }
      return a.order - b.order;
    });
  } else {
    hits.sort((a, b) => b.score - a.score || a.order - b.order);
  }
  // search_after: the hits that sort strictly after the given values (SearchAfterBuilder). The texts of
  // its errors are from memory [I].
  const afterNode = member(root, 'search_after');
  let visible = hits;
  if (afterNode) {
    const after = (parsed as JsonObject)['search_after'] as JsonValue[];
    if (!Array.isArray(after)) throw parsingError(text, afterNode.at, '[search_after] must be an array');
    if (sort.length === 0) throw illegalArgument('Sort must contain at least one field.');
    if (after.length !== sort.length)
      throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${sort.length}.`);
    if (from > 0) throw illegalArgument('`from` parameter must be set to 0 when `search_after` is used.');
    visible = hits.filter((h) => {
      for (let k = 0; k < sort.length; k++) {
        const c = compareValues(
          h.sortValues[k] as JsonValue,
          after[k] as JsonValue,
          (sort[k] as SortSpec).desc,
        );
        if (c !== 0) return c > 0;
      }
      return false;
    });
  }
  const scored = sort.length === 0 || sort.some((s) => s.field === '_score');
  const page = visible.slice(from, from + size);
  const total = hits.length;
  const hitsBody: JsonObject = {};
  if (track > 0)
    hitsBody.total = total > track ? { value: track, relation: 'gte' } : { value: total, relation: 'eq' };
  hitsBody.max_score = scored && hits.length > 0 ? Math.max(...hits.map((h) => h.score)) : null;
  hitsBody.hits = page.map((h) => {
    const out: JsonObject = { _index: h.index.name, _id: h.doc.id };
    if (withVersion) out._version = h.doc.version;
    if (seqNoPrimaryTerm) {
      out._seq_no = h.doc.seqNo;
      out._primary_term = h.doc.primaryTerm;
    }
    out._score = scored ? h.score : null;
    if (includeSource)
      out._source =
        includes.length + excludes.length > 0 ? filterSource(h.doc.source, includes, excludes) : h.doc.source;
    if (sort.length > 0) out.sort = h.sortValues;
    return out;
  });
  return {
    status: 200,
    body: {
      took: 1,
      timed_out: false,
      _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 },
      hits: hitsBody,
    },
  };
}
