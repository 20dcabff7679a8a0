/**
 * Normalise both sides, then diff (house style 4). A manifest says what a user wants; ML Commons stores
 * something else for the same intent: `version: 1` as `"1"`, parameters as strings, `action_type` in
 * upper case, `client_config` and `model_ttl_minutes` filled with defaults, `interface` schemas as JSON
 * text, guardrails with a default `type`. Those rewrites are declared here as data per kind and field;
 * the diff itself knows no field names.
 *
 * Pure: no I/O, no clock.
 */
import jsonpatch from 'fast-json-patch';
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { deepEqual } from '../util/json.js';
import { FIELDS, NESTED_REFERENCES, type OpenSearchField } from './fields.js';
import { objectKey, type OpenSearchKind } from './kinds.js';

/** One difference between desired and live, before the planner decides how it can be applied. */
export interface OpenSearchDifference {
  readonly op: 'add' | 'remove' | 'replace';
  /** JSON Pointer in `spec` terms: `/parameters/model`, `/actions/0/url`, `/rate_limiter`. */
  readonly path: string;
  /** The top-level field the difference is in. */
  readonly field: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A live value the manifest no longer declares and the update API cannot take away (it merges). */
export interface StuckValue {
  readonly path: string;
  readonly value: unknown;
}

export interface Comparison {
  readonly differences: readonly OpenSearchDifference[];
  readonly stuck: readonly StuckValue[];
}

interface Normaliser {
  /** The declared value as the server would store it. */
  readonly desired?: (value: unknown, caps: OpenSearchCapabilities) => unknown;
  /** The stored value in comparable form. */
  readonly live?: (value: unknown, caps: OpenSearchCapabilities) => unknown;
  /** The key the server stores it under (`access_mode` → `access`). */
  readonly liveKey?: string;
  /** A map merged key by key on update: keys no longer declared cannot be removed (connector parameters). */
  readonly mergedMap?: boolean | ((spec: Readonly<Obj>) => boolean);
  /**
   * The update writes the value with `UpdateRequest.doc`, which merges nested objects recursively
   * (`XContentHelper.update`): a key the manifest no longer declares, at any depth, stays — stuck, as for a merged
   * map; arrays and scalars are replaced.
   */
  readonly deepMerged?: boolean;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `StringUtils.getParameterMap`: every value a string, objects and arrays as JSON. */
function parameterStrings(value: unknown): unknown {
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** `ConnectorAction`: `action_type` stored as the enum name (`PREDICT`). */
function actions(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((a) =>
    isObj(a)
      ? {
          ...a,
          ...(typeof a['action_type'] === 'string' ? { action_type: a['action_type'].toUpperCase() } : {}),
        }
      : a,
  );
}

/** What `ConnectorClientConfig.parse` fills in for an omitted key; the timeouts' default by version. */
export function clientConfigDefaults(caps: OpenSearchCapabilities): Readonly<Obj> {
  return {
    max_connection: 30,
    connection_timeout: caps.clientConfigTimeoutDefault,
    read_timeout: caps.clientConfigTimeoutDefault,
    retry_backoff_millis: 200,
    retry_timeout_seconds: 30,
    max_retry_times: 0,
    retry_backoff_policy: 'constant',
    ...(caps.clientConfigSkipSsl ? { skip_ssl_verification: false } : {}),
  };
}

/** `ConnectorClientConfig.parse`: every key defaulted. */
function clientConfig(value: unknown, caps: OpenSearchCapabilities): unknown {
  if (!isObj(value)) return value;
  return { ...clientConfigDefaults(caps), ...value };
}

/** A JSON schema given as text or object, as an object when the text is JSON. */
function schemaValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** `interface`: members as parsed schemas, null members (cleared) dropped, empty = absent. */
function modelInterface(value: unknown): unknown {
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const key of ['input', 'output']) {
    if (value[key] !== null && value[key] !== undefined) out[key] = schemaValue(value[key]);
  }
  return Object.keys(out).length ? out : undefined;
}

/** guardrails without an input or output guardrail guard nothing: absent. */
function guardrailsLive(value: unknown): unknown {
  if (!isObj(value)) return value;
  return value['input_guardrail'] === undefined && value['output_guardrail'] === undefined
    ? undefined
    : value;
}

/** inferctl sends `type: local_regex` when the manifest omits it (compile), and 2.17+ would fill it in anyway. */
function guardrailsDesired(value: unknown): unknown {
  if (!isObj(value)) return value;
  const filled = value['type'] === undefined ? { type: 'local_regex', ...value } : value;
  return guardrailsLive(filled);
}

/** `normalize_result` is written only when true; `additional_config` only kept from 3.1 (remote). */
function modelConfig(value: unknown, caps: OpenSearchCapabilities): unknown {
  if (!isObj(value)) return value;
  const out: Obj = { ...value };
  if (out['normalize_result'] === false) delete out['normalize_result'];
  if (caps.remoteModelConfig !== 'remote') delete out['additional_config'];
  return out;
}

/** `model_ttl_minutes` is filled with -1 from 2.14. */
function deploySetting(value: unknown, caps: OpenSearchCapabilities): unknown {
  if (!isObj(value)) return value;
  return caps.modelTtl && value['model_ttl_minutes'] === undefined
    ? { ...value, model_ttl_minutes: -1 }
    : value;
}

/** `rate_limiter.limit` is stored as text. */
function rateLimiter(value: unknown): unknown {
  if (!isObj(value)) return value;
  return { ...value, ...(value['limit'] !== undefined ? { limit: String(value['limit']) } : {}) };
}

/** An empty map is no map (MCP `headers: {}` is how they are cleared). */
function emptyIsAbsent(value: unknown): unknown {
  return isObj(value) && Object.keys(value).length === 0 ? undefined : value;
}

const connectorNormalisers: Readonly<Record<string, Normaliser>> = {
  version: { desired: (v) => String(v), live: (v) => String(v) },
  // http/aws_sigv4 merge parameters (putAll); MCP connectors replace them whole (`McpConnector.update`).
  parameters: {
    desired: (v) => emptyIsAbsent(parameterStrings(v)),
    live: emptyIsAbsent,
    mergedMap: true,
  },
  actions: { desired: actions },
  client_config: { desired: clientConfig },
  access_mode: { liveKey: 'access' },
  headers: { desired: emptyIsAbsent, live: emptyIsAbsent },
};

const NORMALISERS: Readonly<Record<OpenSearchKind, Readonly<Record<string, Normaliser>>>> = {
  OpenSearchConnector: connectorNormalisers,
  OpenSearchModelGroup: { access_mode: { liveKey: 'access' } },
  OpenSearchModel: {
    rate_limiter: { desired: rateLimiter, live: rateLimiter },
    guardrails: { desired: guardrailsDesired, live: guardrailsLive },
    interface: { desired: modelInterface, live: modelInterface },
    // the update merges model_config with the existing one.
    model_config: { desired: modelConfig, deepMerged: true },
    // Reference silent on deploy_setting's update; the emulator keeps the partial-document merge [I].
    deploy_setting: { desired: deploySetting, deepMerged: true },
  },
};

/** The comparable value of an inline connector (a model's `connector`), credential left out. */
export function inlineConnectorView(spec: Readonly<Obj>, caps: OpenSearchCapabilities): Obj {
  return views(FIELDS.OpenSearchConnector, connectorNormalisers, spec, {}, caps).desired;
}

function views(
  fields: Readonly<Record<string, OpenSearchField>>,
  normalisers: Readonly<Record<string, Normaliser>>,
  spec: Readonly<Obj>,
  live: Readonly<Obj>,
  caps: OpenSearchCapabilities,
): { desired: Obj; live: Obj; stuck: StuckValue[] } {
  const want: Obj = {};
  const have: Obj = {};
  const stuck: StuckValue[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (field.secret || field.update === 'reference' || field.update === 'client') continue;
    const n = normalisers[name] ?? {};
    const rawLive = live[n.liveKey ?? name];
    const liveValue =
      rawLive === undefined || rawLive === null ? undefined : n.live ? n.live(rawLive, caps) : rawLive;
    const declared = spec[name] !== undefined;
    if (declared) {
      const value = n.desired ? n.desired(spec[name], caps) : spec[name];
      if (value === undefined) {
        if (liveValue !== undefined) have[name] = liveValue;
        continue;
      }
      want[name] = value;
      if (liveValue === undefined) {
        // Servers do not always store a default: an absent live value equals a declared default.
        if (field.default !== undefined && deepEqual(value, field.default)) have[name] = value;
        continue;
      }
      const merged = typeof n.mergedMap === 'function' ? n.mergedMap(spec) : n.mergedMap === true;
      if (merged && isObj(liveValue) && isObj(value)) {
        const kept: Obj = {};
        for (const [k, v] of Object.entries(liveValue)) {
          if (k in value) kept[k] = v;
          else stuck.push({ path: `/${name}/${escape(k)}`, value: v });
        }
        have[name] = kept;
      } else if (n.deepMerged && isObj(liveValue) && isObj(value)) {
        have[name] = restrictToDeclared(liveValue, value, `/${name}`, stuck);
      } else have[name] = liveValue;
      continue;
    }
    if (liveValue === undefined) continue;
    switch (field.removal) {
      case 'keep':
        break;
      case 'default':
        if (!deepEqual(liveValue, field.default)) {
          want[name] = field.default;
          have[name] = liveValue;
        }
        break;
      case 'cannot':
        // A map this kind replaces whole (an MCP connector's parameters) can be emptied.
        if (typeof n.mergedMap === 'function' && !n.mergedMap(spec)) have[name] = liveValue;
        else stuck.push({ path: `/${name}`, value: liveValue });
        break;
      case 'clear':
        have[name] = liveValue;
        break;
    }
  }
  return { desired: want, live: have, stuck };
}

/**
 * The differences between a manifest's spec and the live document of the same kind. References
 * (`model_group`, `connector`) and `deploy` are the planner's; the model's inline connector is compared
 * here, as one field.
 *
 * @example compareSpec('OpenSearchModelGroup', { description: 'x' }, { name: 'g', description: 'y' }, caps)
 *   // { differences: [{ op: 'replace', path: '/description', field: 'description', before: 'y', after: 'x' }], stuck: [] }
 */
export function compareSpec(
  kind: OpenSearchKind,
  spec: Readonly<Obj>,
  live: Readonly<Obj>,
  caps: OpenSearchCapabilities,
): Comparison {
  const v = views(FIELDS[kind], NORMALISERS[kind], spec, live, caps);
  if (kind === 'OpenSearchModel' && isObj(spec['connector']) && isObj(live['connector'])) {
    const inline = views(
      {
        name: { description: '', schema: {}, update: 'in-place', removal: 'keep' },
        ...FIELDS.OpenSearchConnector,
      },
      connectorNormalisers,
      spec['connector'],
      live['connector'],
      caps,
    );
    v.desired['connector'] = inline.desired;
    v.live['connector'] = inline.live;
    v.stuck.push(...inline.stuck.map((s) => ({ ...s, path: `/connector${s.path}` })));
  }
  const differences = jsonpatch
    .compare(v.live, v.desired)
    .map((op): OpenSearchDifference => {
      const segments = op.path.split('/').slice(1).map(unescape);
      const before = valueAt(v.live, segments);
      const after = valueAt(v.desired, segments);
      return {
        op: op.op === 'add' ? 'add' : op.op === 'remove' ? 'remove' : 'replace',
        path: op.path,
        field: segments[0] ?? '',
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { differences, stuck: v.stuck.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/** The manifest names a spec refers to in nested places (`NESTED_REFERENCES`), as keys, with where. */
export function nestedReferences(
  kind: OpenSearchKind,
  spec: Readonly<Obj>,
): { key: string; name: string; path: readonly string[]; what: string }[] {
  const out: { key: string; name: string; path: readonly string[]; what: string }[] = [];
  for (const ref of NESTED_REFERENCES) {
    if (ref.kind !== kind) continue;
    const holder = valueAt(spec, ref.path);
    if (isObj(holder) && typeof holder[ref.key] === 'string') {
      const name = holder[ref.key] as string;
      out.push({ key: objectKey(ref.target, name), name, path: [...ref.path, ref.key], what: ref.what });
    }
  }
  return out;
}

/**
 * The spec with every nested reference resolved: `{ model: guard }` → `{ model_id: <id> }`, as OpenSearch
 * stores it. `resolve` gets the target's key (`OpenSearchModel/guard`).
 *
 * @example withResolvedReferences('OpenSearchModel', spec, (k) => ids[k]!).guardrails
 */
export function withResolvedReferences(
  kind: OpenSearchKind,
  spec: Readonly<Obj>,
  resolve: (key: string) => string,
): Obj {
  let out: Obj = spec as Obj;
  for (const ref of NESTED_REFERENCES) {
    if (ref.kind !== kind) continue;
    const holder = valueAt(out, ref.path);
    if (!isObj(holder) || typeof holder[ref.key] !== 'string') continue;
    const { [ref.key]: name, ...rest } = holder;
    const resolved = { ...rest, [ref.idKey]: resolve(objectKey(ref.target, name as string)) };
    out = setAt(out, ref.path, resolved);
  }
  return out;
}

/** The ids a resolved spec (or a live document) names in nested places: a guard model's `model_id`. */
export function referencedIds(kind: OpenSearchKind, spec: Readonly<Obj>): string[] {
  const out: string[] = [];
  for (const ref of NESTED_REFERENCES) {
    if (ref.kind !== kind) continue;
    const holder = valueAt(spec, ref.path);
    if (isObj(holder) && typeof holder[ref.idKey] === 'string') out.push(holder[ref.idKey] as string);
  }
  return out;
}

function setAt(root: Obj, segments: readonly string[], value: unknown): Obj {
  const [first, ...rest] = segments;
  if (first === undefined) return value as Obj;
  const child = root[first];
  return { ...root, [first]: rest.length ? setAt(isObj(child) ? child : {}, rest, value) : value };
}

/** `live` with only the object keys `want` declares (recursively); the others recorded as stuck. */
function restrictToDeclared(
  live: Readonly<Obj>,
  want: Readonly<Obj>,
  path: string,
  stuck: StuckValue[],
): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(live)) {
    const at = `${path}/${escape(k)}`;
    if (!(k in want)) stuck.push({ path: at, value: v });
    else {
      const w = want[k];
      out[k] = isObj(v) && isObj(w) ? restrictToDeclared(v, w, at, stuck) : v;
    }
  }
  return out;
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Obj)[s];
  }
  return node;
}

export function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
