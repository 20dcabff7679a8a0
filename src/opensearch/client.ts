/**
 * The port between inferctl and ML Commons (`/_plugins/_ml/...`): only the calls inferctl makes, built on
 * the Elasticsearch client's `raw(method, path, { body, accept, retry })` — the same undici agent,
 * timeouts, retries and credential redaction (house style 10).
 *
 * - Reads and idempotent writes (updates, deletes, deploy, undeploy) are retried by `raw` on
 *   429/502/503/504 and connection errors; creates are re-sent only after attempts certainly not executed
 *   (`retry: 'unapplied'`: 429, a 503 naming an unavailable shard, no connection): ids are generated, so a
 *   blind re-send would create a second object. After an uncertain failure the apply looks the object up
 *   by name instead.
 * - Credentials leave their `Secret` only here, while the body is serialised, and every revealed value is
 *   redacted from the server's answers before they reach an error.
 * - ML Commons answers errors in OpenSearch's envelope; they become `InferctlError`s with stable codes:
 *   `opensearch_not_found`, `model_deploying` (409 while DEPLOYING), `opensearch_conflict`,
 *   `opensearch_rejected` (other 4xx), `opensearch_error` (5xx).
 */
import type { DocumentClient } from '../inventory/cluster.js';
import { InferctlError } from '../errors.js';
import { Secret } from '../manifest/secrets.js';
import type { LiveObject } from './live.js';

/** Statuses ML Commons answers with a body worth reading: handled here rather than thrown by `raw`. */
const ANSWERS = [400, 401, 403, 404, 405, 406, 409, 500] as const;

export interface RegisterResult {
  readonly taskId: string;
  /** Known at once for remote models. */
  readonly modelId?: string;
}

export interface MlTask {
  readonly state: string;
  readonly modelId?: string;
  readonly error?: string;
}

export interface OpenSearchMlApi {
  searchConnectors(query: Readonly<Record<string, unknown>>): Promise<LiveObject[]>;
  searchModelGroups(query: Readonly<Record<string, unknown>>): Promise<LiveObject[]>;
  searchModels(query: Readonly<Record<string, unknown>>): Promise<LiveObject[]>;
  getConnector(id: string): Promise<LiveObject | undefined>;
  getModelGroup(id: string): Promise<LiveObject | undefined>;
  getModel(id: string): Promise<LiveObject | undefined>;
  createConnector(body: Readonly<Record<string, unknown>>): Promise<string>;
  updateConnector(id: string, body: Readonly<Record<string, unknown>>): Promise<void>;
  deleteConnector(id: string): Promise<void>;
  registerModelGroup(body: Readonly<Record<string, unknown>>): Promise<string>;
  updateModelGroup(id: string, body: Readonly<Record<string, unknown>>): Promise<void>;
  deleteModelGroup(id: string): Promise<void>;
  registerModel(body: Readonly<Record<string, unknown>>): Promise<RegisterResult>;
  updateModel(id: string, body: Readonly<Record<string, unknown>>): Promise<void>;
  deleteModel(id: string): Promise<void>;
  /** `_deploy`; returns the task id. */
  deployModel(id: string): Promise<string | undefined>;
  undeployModel(id: string): Promise<void>;
  getTask(id: string): Promise<MlTask | undefined>;
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reveals `Secret`s for sending; collects the revealed values for redaction. */
function reveal(value: unknown, secrets: string[]): unknown {
  if (value instanceof Secret) {
    const text = value.reveal();
    secrets.push(text);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => reveal(v, secrets));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = reveal(v, secrets);
    return out;
  }
  return value;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('(secret)');
  return out;
}

/** The `reason` of OpenSearch's envelope (or the flat `{"error": "..."}` of routing errors). */
export function reasonOf(body: unknown): { type?: string; reason: string } {
  if (isRecord(body)) {
    const error = body['error'];
    if (typeof error === 'string') return { reason: error };
    if (isRecord(error)) {
      const reason = typeof error['reason'] === 'string' ? error['reason'] : JSON.stringify(error);
      return { ...(typeof error['type'] === 'string' ? { type: error['type'] } : {}), reason };
    }
  }
  return { reason: body === undefined ? 'no body' : JSON.stringify(body) };
}

/**
 * Creates the ML Commons client over a raw JSON client (the Elasticsearch client's `raw`).
 *
 * @example const ml = createOpenSearchMlClient(createElasticsearchClient(connection));
 */
export function createOpenSearchMlClient(raw: DocumentClient): OpenSearchMlApi {
  async function call(
    method: Method,
    path: string,
    options: { body?: unknown; retry?: boolean | 'unapplied'; missingOk?: boolean } = {},
  ): Promise<{ status: number; body: unknown }> {
    const secrets: string[] = [];
    const body = options.body === undefined ? undefined : reveal(options.body, secrets);
    const answer = await raw.raw(method, path, {
      ...(body !== undefined ? { body } : {}),
      accept: ANSWERS,
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
    });
    if (answer.status < 300 || (options.missingOk && answer.status === 404)) return answer;
    const { type, reason } = reasonOf(answer.body);
    const text = redact(reason, secrets);
    const message = `${method} ${path}: ${answer.status}${type ? ` ${type}` : ''}: ${text}`;
    const context = { status: answer.status, ...(type ? { type } : {}), reason: text };
    if (answer.status === 404) throw new InferctlError('opensearch_not_found', message, { context });
    if (answer.status === 409 && /Model is deploying/.test(text)) {
      throw new InferctlError('model_deploying', message, {
        hint: 'the model is being deployed; wait until it is DEPLOYED and apply again',
        context,
      });
    }
    if (answer.status === 409) throw new InferctlError('opensearch_conflict', message, { context });
    if (answer.status === 401 || answer.status === 403) {
      throw new InferctlError(answer.status === 401 ? 'unauthorized' : 'forbidden', message, {
        hint: 'inferctl needs the ML Commons cluster permissions (cluster:admin/opensearch/ml/*) and, with access control, access to the model groups and connectors',
        context,
      });
    }
    if (answer.status >= 500) throw new InferctlError('opensearch_error', message, { context });
    throw new InferctlError('opensearch_rejected', message, { context });
  }

  const hits = (body: unknown): LiveObject[] => {
    const list = isRecord(body) && isRecord(body['hits']) ? body['hits']['hits'] : undefined;
    if (!Array.isArray(list))
      throw new InferctlError('opensearch_invalid_response', 'a _search answer without hits.hits');
    const total =
      isRecord(body) && isRecord(body['hits']) && isRecord(body['hits']['total'])
        ? body['hits']['total']['value']
        : undefined;
    if (typeof total === 'number' && total > list.length) {
      throw new InferctlError(
        'opensearch_too_many',
        `a search matched ${total} objects, more than the ${list.length} inferctl reads at once`,
        {
          hint: 'report this: inferctl reads at most 10000 objects of a kind',
        },
      );
    }
    return list
      .filter(isRecord)
      .map((h) => ({ id: String(h['_id']), source: isRecord(h['_source']) ? h['_source'] : {} }));
  };
  const search = async (what: string, query: Readonly<Record<string, unknown>>) =>
    hits((await call('POST', `/_plugins/_ml/${what}/_search`, { body: query })).body);
  const get = async (what: string, id: string): Promise<LiveObject | undefined> => {
    const answer = await call('GET', `/_plugins/_ml/${what}/${encodeURIComponent(id)}`, { missingOk: true });
    if (answer.status === 404) return undefined;
    return { id, source: isRecord(answer.body) ? answer.body : {} };
  };
  const field = (body: unknown, name: string): string => {
    const value = isRecord(body) ? body[name] : undefined;
    if (typeof value !== 'string')
      throw new InferctlError('opensearch_invalid_response', `the answer has no ${name}`);
    return value;
  };
  const enc = encodeURIComponent;

  return {
    searchConnectors: (q) => search('connectors', q),
    searchModelGroups: (q) => search('model_groups', q),
    searchModels: (q) => search('models', q),
    getConnector: (id) => get('connectors', id),
    getModelGroup: (id) => get('model_groups', id),
    getModel: (id) => get('models', id),
    async createConnector(body) {
      return field(
        (await call('POST', '/_plugins/_ml/connectors/_create', { body, retry: 'unapplied' })).body,
        'connector_id',
      );
    },
    async updateConnector(id, body) {
      await call('PUT', `/_plugins/_ml/connectors/${enc(id)}`, { body });
    },
    async deleteConnector(id) {
      await call('DELETE', `/_plugins/_ml/connectors/${enc(id)}`);
    },
    async registerModelGroup(body) {
      return field(
        (await call('POST', '/_plugins/_ml/model_groups/_register', { body, retry: 'unapplied' })).body,
        'model_group_id',
      );
    },
    async updateModelGroup(id, body) {
      await call('PUT', `/_plugins/_ml/model_groups/${enc(id)}`, { body });
    },
    async deleteModelGroup(id) {
      await call('DELETE', `/_plugins/_ml/model_groups/${enc(id)}`);
    },
    async registerModel(body) {
      const answer = (await call('POST', '/_plugins/_ml/models/_register', { body, retry: 'unapplied' }))
        .body;
      const modelId =
        isRecord(answer) && typeof answer['model_id'] === 'string' ? answer['model_id'] : undefined;
      return { taskId: field(answer, 'task_id'), ...(modelId !== undefined ? { modelId } : {}) };
    },
    async updateModel(id, body) {
      await call('PUT', `/_plugins/_ml/models/${enc(id)}`, { body });
    },
    async deleteModel(id) {
      await call('DELETE', `/_plugins/_ml/models/${enc(id)}`);
    },
    async deployModel(id) {
      const answer = (await call('POST', `/_plugins/_ml/models/${enc(id)}/_deploy`)).body;
      return isRecord(answer) && typeof answer['task_id'] === 'string' ? answer['task_id'] : undefined;
    },
    async undeployModel(id) {
      await call('POST', `/_plugins/_ml/models/${enc(id)}/_undeploy`);
    },
    async getTask(id) {
      const answer = await call('GET', `/_plugins/_ml/tasks/${enc(id)}`, { missingOk: true });
      if (answer.status === 404 || !isRecord(answer.body)) return undefined;
      const b = answer.body;
      return {
        state: String(b['state']),
        ...(typeof b['model_id'] === 'string' ? { modelId: b['model_id'] } : {}),
        ...(typeof b['error'] === 'string' ? { error: b['error'] } : {}),
      };
    },
  };
}
