/**
 * Field definitions shared by many services, as small constructors so that each service file reads like
 * the table in the reference. Every call site can still override any property.
 */
import { SIMILARITIES, type ByTaskType, type FieldSpec, type Since, type TaskType } from './types.js';

type Overrides = Partial<FieldSpec>;

/** The common `api_key` secret (`DefaultSecretSettings`): required unless overridden. */
export function apiKey(overrides: Overrides = {}): FieldSpec {
  return {
    type: 'string',
    description: 'API key for the provider. Write-only: Elasticsearch never returns it.',
    required: true,
    secret: true,
    updatable: 'secret',
    ...overrides,
  };
}

/**
 * `rate_limit: { requests_per_minute }`. `updatableSince` is when the service's `updateServiceSettings()`
 * made it mutable ("M26"); `undefined` = never updatable in place.
 */
export function rateLimit(
  perMinute: number | ByTaskType<number>,
  updatableSince: Since | undefined,
  overrides: Overrides = {},
): FieldSpec {
  const byTask = typeof perMinute === 'number' ? undefined : perMinute;
  return {
    type: 'rate_limit',
    description:
      'Requests per minute Elasticsearch sends to the provider. Default ' +
      (typeof perMinute === 'number'
        ? `${perMinute}`
        : Object.entries(perMinute)
            .map(([t, n]) => `${n} (${t})`)
            .join(', ')) +
      '.',
    ...(byTask
      ? { defaultByTaskType: mapValues(byTask, (n) => ({ requests_per_minute: n })) }
      : { default: { requests_per_minute: perMinute } }),
    updatable: updatableSince ? { since: updatableSince } : 'never',
    ...overrides,
  };
}

export function modelId(description: string, overrides: Overrides = {}): FieldSpec {
  return { type: 'string', description, required: true, updatable: 'never', ...overrides };
}

/** Embedding similarity; filled by the server when absent on embedding endpoints (value depends on the model). */
export function similarity(overrides: Overrides = {}): FieldSpec {
  return {
    type: 'string',
    enum: SIMILARITIES,
    caseInsensitive: true,
    description: 'Similarity measure of the embeddings. Filled in by Elasticsearch when omitted.',
    serverFilled: true,
    updatable: 'never',
    ...overrides,
  };
}

/** Output dimensions; learned from the provider's validation call when absent. */
export function dimensions(overrides: Overrides = {}): FieldSpec {
  return {
    type: 'integer',
    minimum: 1,
    description:
      'Number of dimensions of the embeddings. When omitted Elasticsearch learns it from a test call at creation.',
    serverFilled: true,
    updatable: 'never',
    ...overrides,
  };
}

export function maxInputTokens(updatableSince: Since | undefined, overrides: Overrides = {}): FieldSpec {
  return {
    type: 'integer',
    minimum: 1,
    description: 'Maximum number of tokens per input; longer inputs are truncated.',
    updatable: updatableSince ? { since: updatableSince } : 'never',
    ...overrides,
  };
}

export function url(description: string, overrides: Overrides = {}): FieldSpec {
  return { type: 'string', description, updatable: 'never', ...overrides };
}

/** A task-settings field: merged into the stored settings by `_update` from 8.17. */
export function taskField(
  type: FieldSpec['type'],
  description: string,
  taskTypes?: readonly TaskType[],
  overrides: Overrides = {},
): FieldSpec {
  return { type, description, updatable: 'merge', ...(taskTypes ? { taskTypes } : {}), ...overrides };
}

function mapValues<T, U>(object: ByTaskType<T>, fn: (value: T) => U): ByTaskType<U> {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v as T)])) as ByTaskType<U>;
}
