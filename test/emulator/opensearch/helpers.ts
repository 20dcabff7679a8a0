/** Shared helpers for the OpenSearch emulator tests: start on port 0, plain fetch calls, JSON bodies. */
import {
  startOpenSearchEmulator,
  type OpenSearchEmulatorOptions,
} from '../../../src/emulator/opensearch/index.js';
import { requester, type Reply } from '../helpers.js';

export type { Reply };

export interface Os {
  url: string;
  state: Awaited<ReturnType<typeof startOpenSearchEmulator>>['state'];
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** Starts an OpenSearch emulator for a version on a random port. */
export async function os(version: string, options: OpenSearchEmulatorOptions = {}): Promise<Os> {
  const running = await startOpenSearchEmulator({ port: 0, version, ...options });
  return {
    url: running.url,
    state: running.state,
    close: () => running.close(),
    req: requester(running.url),
  };
}

/** The OpenSearch error envelope with one root cause. */
export function envelope(status: number, type: string, reason: string | null): unknown {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

/** A manual clock for tests of deferred state changes. */
export function clock(start = 1_760_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** The OpenAI embedding connector blueprint (ml-commons docs). */
export function openAiConnector(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'OpenAI embedding connector',
    description: 'Connector for the OpenAI embedding API',
    version: 1,
    protocol: 'http',
    parameters: { model: 'text-embedding-3-small', dimensions: 1536 },
    credential: { openAI_key: 'sk-secret' },
    actions: [
      {
        action_type: 'predict',
        method: 'POST',
        url: 'https://api.openai.com/v1/embeddings',
        headers: { Authorization: 'Bearer ${credential.openAI_key}' },
        request_body: '{ "input": ${parameters.input}, "model": "${parameters.model}" }',
        pre_process_function: 'connector.pre_process.openai.embedding',
        post_process_function: 'connector.post_process.openai.embedding',
      },
    ],
    ...overrides,
  };
}

/** The Bedrock Titan embedding connector blueprint (aws_sigv4). */
export function bedrockConnector(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Amazon Bedrock Titan embedding',
    description: 'Bedrock Titan text embeddings v2',
    version: '1',
    protocol: 'aws_sigv4',
    parameters: { region: 'us-east-1', service_name: 'bedrock', model: 'amazon.titan-embed-text-v2:0' },
    credential: { access_key: 'AKIA…', secret_key: 'secret', session_token: 'token' },
    actions: [
      {
        action_type: 'predict',
        method: 'POST',
        url: 'https://bedrock-runtime.${parameters.region}.amazonaws.com/model/${parameters.model}/invoke',
        headers: { 'content-type': 'application/json' },
        request_body: '{ "inputText": "${parameters.inputText}" }',
      },
    ],
    ...overrides,
  };
}

/** Registers a remote model on a new connector; returns ids. */
export async function remoteModel(
  o: Os,
  name = 'openai-embeddings',
  extra: Record<string, unknown> = {},
  query = '',
): Promise<{ connectorId: string; modelId: string; taskId: string; groupId: string }> {
  const c = await o.req('POST', '/_plugins/_ml/connectors/_create', openAiConnector());
  const r = await o.req('POST', `/_plugins/_ml/models/_register${query}`, {
    name,
    function_name: 'remote',
    connector_id: c.body.connector_id,
    ...extra,
  });
  if (r.status !== 200) throw new Error(`register failed: ${r.text}`);
  const m = await o.req('GET', `/_plugins/_ml/models/${r.body.model_id}`);
  return {
    connectorId: c.body.connector_id,
    modelId: r.body.model_id,
    taskId: r.body.task_id,
    groupId: m.body.model_group_id,
  };
}
