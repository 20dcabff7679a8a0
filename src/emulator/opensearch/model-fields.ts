/**
 * The nested model fields both register and update parse: `rate_limiter`, `guardrails`,
 * `deploy_setting`, `model_config`, `interface`. Parsed as the version's ml-commons classes do, including what they
 * silently drop [src `MLRateLimiter`, `Guardrails`, `LocalRegexGuardrail`, `ModelGuardrail`, `MLDeploySetting`,
 * `TextEmbeddingModelConfig`, `BaseModelConfig`].
 */
import { TIME_UNITS } from '../../catalog/opensearch-capabilities.js';
import type { JsonObject, JsonValue } from '../types.js';
import { illegalArgument, noEnumConstant, parseException } from './errors.js';
import { bool, integer, isObject, stringList, text } from './parse.js';
import type { OpenSearchState } from './state.js';

function object(value: JsonValue): JsonObject {
  if (!isObject(value)) {
    throw parseException(
      'Failed to parse object: expecting token of type [START_OBJECT] but found [VALUE_STRING]',
    );
  }
  return value;
}

/**
 * `MLRateLimiter.parse`: `limit` as text that must parse as a double ≥ 0 ("Limit field must be a positive number.",
 * `OpenSearchParseException` → 400), `unit` by `TimeUnit.valueOf` (exact upper-case name; else
 * "No enum constant java.util.concurrent.TimeUnit.<x>").
 */
export function parseRateLimiter(value: JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object(value))) {
    if (k === 'limit') {
      const limit = text(v);
      const n = Number(limit.trim());
      // Java's Double.parseDouble accepts surrounding blanks, a sign, exponents, "Infinity" and "NaN".
      const parsed = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?$/.test(limit.trim());
      if (!parsed || n < 0) throw parseException('Limit field must be a positive number.');
      out.limit = limit;
    } else if (k === 'unit') {
      const unit = text(v);
      if (!(TIME_UNITS as readonly string[]).includes(unit))
        throw noEnumConstant('java.util.concurrent.TimeUnit', unit);
      out.unit = unit;
    }
  }
  // toXContent order: limit, unit.
  const ordered: JsonObject = {};
  if (out.limit !== undefined) ordered.limit = out.limit;
  if (out.unit !== undefined) ordered.unit = out.unit;
  return ordered;
}

function parseStopWords(value: JsonValue): JsonObject[] {
  if (!Array.isArray(value))
    throw parseException('Failed to parse object: expecting token of type [START_ARRAY]');
  return value.map((sw) => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(object(sw))) {
      if (k === 'index_name') out.index_name = text(v);
      else if (k === 'source_fields') out.source_fields = stringList(v);
    }
    return out;
  });
}

function parseLocalRegex(value: JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object(value))) {
    if (k === 'stop_words') out.stop_words = parseStopWords(v);
    else if (k === 'regex') out.regex = stringList(v);
  }
  return out;
}

function parseModelGuardrail(value: JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object(value))) {
    if (k === 'model_id' || k === 'response_filter' || k === 'response_validation_regex') out[k] = text(v);
  }
  return out;
}

/**
 * `Guardrails.parse`. From 2.15: `type` (defaulted to `local_regex` from 2.17, required on 2.15/2.16) must be `local_regex` or `model` (else 400
 * "The type of guardrails is required, can not be null."), and picks the guardrail class. 2.13/2.14: `type` stored
 * as given (or absent) and both guardrails parsed as stop-words/regex ones.
 */
export function parseGuardrails(state: OpenSearchState, value: JsonValue): JsonObject {
  let type: string | undefined;
  let input: JsonValue | undefined;
  let output: JsonValue | undefined;
  for (const [k, v] of Object.entries(object(value))) {
    if (k === 'type') type = text(v);
    else if (k === 'input_guardrail') input = v;
    else if (k === 'output_guardrail') output = v;
  }
  if (state.caps.modelGuardrails) {
    // The `local_regex` default arrives in 2.17; 2.15 and 2.16 refuse a guardrails object without `type` [src].
    if (state.caps.guardrailsTypeDefault) type ??= 'local_regex';
    if (type !== 'local_regex' && type !== 'model') {
      throw illegalArgument('The type of guardrails is required, can not be null.');
    }
  }
  const parse = type === 'model' && state.caps.modelGuardrails ? parseModelGuardrail : parseLocalRegex;
  const out: JsonObject = {};
  if (type !== undefined) out.type = type;
  if (input !== undefined) out.input_guardrail = parse(input);
  if (output !== undefined) out.output_guardrail = parse(output);
  return out;
}

/** `MLDeploySetting.parse`: `model_ttl_minutes` from 2.14, defaulted to -1 when absent (so an update resets it). */
export function parseDeploySetting(state: OpenSearchState, value: JsonValue): JsonObject {
  const out: JsonObject = {};
  let ttl: number | undefined;
  for (const [k, v] of Object.entries(object(value))) {
    if (k === 'is_auto_deploy_enabled') out.is_auto_deploy_enabled = bool(v, k);
    else if (k === 'model_ttl_minutes' && state.caps.modelTtl) ttl = integer(v);
  }
  if (state.caps.modelTtl) out.model_ttl_minutes = ttl ?? -1;
  return out;
}

const FRAMEWORK_TYPES = [
  'HUGGINGFACE_TRANSFORMERS',
  'SENTENCE_TRANSFORMERS',
  'HUGGINGFACE_TRANSFORMERS_NEURON',
];
const POOLING_MODES = ['MEAN', 'MEAN_SQRT_LEN', 'MAX', 'WEIGHTED_MEAN', 'CLS', 'LAST_TOKEN'];

/**
 * `model_config`. `TextEmbeddingModelConfig` (≤3.0 for remote models, always for local text embedding): requires
 * `model_type` ("model type is null"), `embedding_dimension` ("embedding dimension is null"), `framework_type`
 * ("framework type is null"), drops unknown keys. 3.1+ remote (`RemoteModelConfig`): `model_type` required,
 * `additional_config` kept, the rest optional. Stored in `toXContent` order with `framework_type`/`pooling_mode`
 * as enum names.
 */
export function parseModelConfig(state: OpenSearchState, value: JsonValue, remote: boolean): JsonObject {
  const fields: JsonObject = {};
  for (const [k, v] of Object.entries(object(value))) {
    switch (k) {
      case 'model_type':
      case 'all_config':
      case 'query_prefix':
      case 'passage_prefix':
        fields[k] = text(v);
        break;
      case 'embedding_dimension':
      case 'model_max_length':
        fields[k] = integer(v);
        break;
      case 'framework_type': {
        const f = text(v).toUpperCase();
        if (!FRAMEWORK_TYPES.includes(f)) throw illegalArgument('Wrong framework type');
        fields[k] = f;
        break;
      }
      case 'pooling_mode': {
        const p = text(v).toUpperCase();
        if (!POOLING_MODES.includes(p)) throw illegalArgument('Wrong pooling method');
        fields[k] = p;
        break;
      }
      case 'normalize_result':
        fields[k] = bool(v, k);
        break;
      case 'additional_config':
        if (remote && state.caps.remoteModelConfig === 'remote') fields[k] = object(v);
        break;
      default:
        break;
    }
  }
  const textEmbedding = !remote || state.caps.remoteModelConfig === 'text_embedding';
  if (fields.model_type === undefined) throw illegalArgument('model type is null');
  if (textEmbedding) {
    if (fields.embedding_dimension === undefined) throw illegalArgument('embedding dimension is null');
    if (fields.framework_type === undefined) throw illegalArgument('framework type is null');
  }
  const order = [
    'model_type',
    'embedding_dimension',
    'framework_type',
    'all_config',
    'model_max_length',
    'pooling_mode',
    'normalize_result',
    'query_prefix',
    'passage_prefix',
    'additional_config',
  ];
  const out: JsonObject = {};
  for (const k of order) {
    if (fields[k] === undefined) continue;
    if (k === 'normalize_result' && fields[k] === false) continue; // written only when true
    out[k] = fields[k] as JsonValue;
  }
  return out;
}

/**
 * `interface`: only `input`/`output` kept, values stored as strings (objects JSON-serialised). A `null` value is
 * kept as null, which clears the schema on update (the docs' rule) [infer: `filteredParameterMap` not read].
 */
export function parseInterface(value: JsonValue): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(object(value))) {
    if (k !== 'input' && k !== 'output') continue;
    out[k] = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** `XContentHelper.update` as an `UpdateRequest.doc` applies it: nested objects merge, everything else replaces. */
export function deepMerge(target: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [k, v] of Object.entries(changes)) {
    const existing = out[k];
    out[k] = isObject(existing) && isObject(v) ? deepMerge(existing, v) : v;
  }
  return out;
}
