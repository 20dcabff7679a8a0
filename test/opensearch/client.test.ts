// The ML Commons client over `raw`: credentials revealed only on the wire and redacted from answers,
// creates sent once, errors with stable codes.
import { describe, expect, it } from 'vitest';
import type { DocumentClient } from '../../src/inventory/cluster.js';
import { InferctlError } from '../../src/errors.js';
import { Secret } from '../../src/manifest/secrets.js';
import { createOpenSearchMlClient } from '../../src/opensearch/client.js';

interface Sent {
  method: string;
  path: string;
  body?: unknown;
  retry?: boolean | 'unapplied';
}

function fake(answer: (req: Sent) => { status: number; body: unknown }): {
  raw: DocumentClient;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  return {
    sent,
    raw: {
      async raw(method, path, options = {}) {
        const req = {
          method,
          path,
          body: options.body,
          ...(options.retry !== undefined ? { retry: options.retry } : {}),
        };
        sent.push(req);
        return answer(req);
      },
    },
  };
}

describe('createOpenSearchMlClient', () => {
  it('reveals credentials on the wire only, and re-sends a create only after attempts not executed (ids are generated)', async () => {
    const { raw, sent } = fake(() => ({ status: 200, body: { connector_id: 'C1' } }));
    const ml = createOpenSearchMlClient(raw);
    const id = await ml.createConnector({ name: 'c', credential: { key: new Secret('sk-canary', 'env K') } });
    expect(id).toBe('C1');
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/_plugins/_ml/connectors/_create',
        body: { name: 'c', credential: { key: 'sk-canary' } },
        retry: 'unapplied',
      },
    ]);
  });

  it('redacts a credential the server echoes in an error, and keeps the reason', async () => {
    const { raw } = fake((req) => ({
      status: 400,
      body: {
        error: {
          type: 'illegal_argument_exception',
          reason: `bad credential ${JSON.stringify(req.body)}`,
        },
        status: 400,
      },
    }));
    const ml = createOpenSearchMlClient(raw);
    const error = await ml
      .createConnector({ credential: { key: new Secret('sk-canary', 'env K') } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferctlError);
    expect((error as InferctlError).code).toBe('opensearch_rejected');
    expect((error as InferctlError).message).toContain('illegal_argument_exception: bad credential');
    expect((error as InferctlError).message).not.toContain('sk-canary');
  });

  it('names a 409 while DEPLOYING model_deploying; a missing model is undefined, not an error', async () => {
    const { raw } = fake((req) =>
      req.method === 'PUT'
        ? {
            status: 409,
            body: {
              error: {
                type: 'status_exception',
                reason: 'Model is deploying. Please wait for the model to complete deployment. model ID M1',
              },
            },
          }
        : { status: 404, body: { error: { type: 'status_exception', reason: 'Failed to find model' } } },
    );
    const ml = createOpenSearchMlClient(raw);
    const error = await ml.updateModel('M1', { description: 'x' }).catch((e: unknown) => e);
    expect((error as InferctlError).code).toBe('model_deploying');
    expect(await ml.getModel('M1')).toBeUndefined();
  });

  it('refuses to read a search that matched more than it returned', async () => {
    const { raw } = fake(() => ({
      status: 200,
      body: {
        hits: { total: { value: 20000, relation: 'eq' }, hits: [{ _id: 'a', _source: { name: 'x' } }] },
      },
    }));
    const error = await createOpenSearchMlClient(raw)
      .searchModels({})
      .catch((e: unknown) => e);
    expect((error as InferctlError).code).toBe('opensearch_too_many');
  });
});
