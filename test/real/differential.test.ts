// The same request sequences against a real OpenSearch node with ML Commons and against
// `inferctl emulator --flavor opensearch` of the same version: status, error type and reason, and
// the shape of the answer (ids and timestamps masked) must agree. Where they differed, the emulator
// was corrected to the real node (docs/fidelity/opensearch.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../src/emulator/opensearch/index.js';
import { openAiConnector } from '../emulator/opensearch/helpers.js';
import { startReal, type RealNode, REAL_VERSION } from './node.js';

type Step = readonly [method: string, path: string, body?: unknown];
interface Answer {
  status: number;
  type?: string;
  reason?: string;
  shape: unknown;
}

const connector = (name: string) => openAiConnector({ name, description: 'differential' });

/** Sequences; `$1` in a later path or body is the id the first step returned. */
const SEQUENCES: Record<string, Step[]> = {
  'a missing connector': [['GET', '/_plugins/_ml/connectors/no-such-connector']],
  'a missing model': [['GET', '/_plugins/_ml/models/no-such-model']],
  'a missing model group': [['GET', '/_plugins/_ml/model_groups/no-such-group']],
  'a connector create and read': [
    ['POST', '/_plugins/_ml/connectors/_create', connector('diff-connector')],
    ['GET', '/_plugins/_ml/connectors/$1'],
  ],
  'a connector without protocol': [
    ['POST', '/_plugins/_ml/connectors/_create', { ...connector('no-protocol'), protocol: undefined }],
  ],
  'a model group registered twice under one name': [
    ['POST', '/_plugins/_ml/model_groups/_register', { name: 'diff-group', description: 'd' }],
    ['POST', '/_plugins/_ml/model_groups/_register', { name: 'diff-group', description: 'd' }],
  ],
  // 3.x wants `space_type` in additional_config at register time for remote text-embedding models.
  'a remote text-embedding model registered without space_type': [
    ['POST', '/_plugins/_ml/connectors/_create', connector('diff-model-connector')],
    [
      'POST',
      '/_plugins/_ml/models/_register',
      {
        name: 'diff-model',
        function_name: 'remote',
        connector_id: '$1',
        model_config: {
          model_type: 'text_embedding',
          embedding_dimension: 1536,
          framework_type: 'SENTENCE_TRANSFORMERS',
        },
      },
    ],
  ],
  'a model group update and read': [
    ['POST', '/_plugins/_ml/model_groups/_register', { name: 'diff-group-2' }],
    ['PUT', '/_plugins/_ml/model_groups/$1', { description: 'changed' }],
    ['GET', '/_plugins/_ml/model_groups/$1'],
  ],
};

const MASKED = /^(?:[\w-]{20}|\d{13})$/;
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !/_time$|^took$/.test(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  if (typeof value === 'string' && MASKED.test(value)) return '(id)';
  if (typeof value === 'number' && value > 1e12) return '(time)';
  return value;
}

async function run(url: string, steps: Step[]): Promise<Answer[]> {
  const out: Answer[] = [];
  let first: string | undefined;
  for (const [method, rawPath, stepBody] of steps) {
    const path = first ? rawPath.replace('$1', first) : rawPath;
    const body =
      first && stepBody !== undefined
        ? (JSON.parse(JSON.stringify(stepBody).replaceAll('"$1"', JSON.stringify(first))) as unknown)
        : stepBody;
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies read by path
    const json = (text ? JSON.parse(text) : {}) as any;
    first ??= json.connector_id ?? json.model_group_id ?? json.model_id;
    const error = json.error;
    out.push({
      status: res.status,
      ...(error?.type ? { type: String(error.type) } : {}),
      ...(error?.reason ? { reason: String(error.reason).replace(/[\w-]{20}/g, '(id)') } : {}),
      shape: error ? undefined : shape(json),
    });
  }
  return out;
}

describe(`the emulator agrees with a real OpenSearch ${REAL_VERSION}`, () => {
  let node: RealNode;
  let emulator: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
  beforeAll(async () => {
    node = await startReal(9270);
    emulator = await startOpenSearchEmulator({ version: REAL_VERSION, port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
    await node?.stop();
  });

  it.each(Object.keys(SEQUENCES))('%s', async (name) => {
    const steps = SEQUENCES[name]!;
    const real = await run(node.url, steps);
    const emulated = await run(emulator.url, steps);
    expect(emulated).toEqual(real);
  });
});
