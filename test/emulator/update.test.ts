/**
 * `_update` per era: body allow-list, task type rules, secrets required until 9.5, non-secret
 * settings ignored until 9.4 / mutable 9.4 / rejected 9.5, chunking replace 9.5, in-cluster allocations with
 * the 8.17 quirks, default endpoints refused.
 */
import { describe, expect, it } from 'vitest';
import { envelope, es } from './helpers.js';

const openai = {
  service: 'openai',
  service_settings: { api_key: 'sk-1', model_id: 'text-embedding-3-small' },
};

async function withEs(
  version: string,
  fn: (e: Awaited<ReturnType<typeof es>>) => Promise<void>,
): Promise<void> {
  const e = await es(version);
  try {
    await fn(e);
  } finally {
    await e.close();
  }
}

describe('body parsing (all eras)', () => {
  it('empty body, unknown top-level keys (incl. service), chunking before 9.5', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', openai);
      expect((await e.req('PUT', '/_inference/text_embedding/o/_update')).body).toEqual(
        envelope(400, 'status_exception', 'Request body is empty'),
      );
      expect((await e.req('PUT', '/_inference/text_embedding/o/_update', {})).body).toEqual(
        envelope(400, 'status_exception', 'Request body is empty'),
      );
      expect(
        (
          await e.req('PUT', '/_inference/text_embedding/o/_update', {
            service: 'openai',
            service_settings: { api_key: 'x' },
          })
        ).body,
      ).toEqual(
        envelope(
          400,
          'status_exception',
          'Request contained fields which cannot be updated, remove these fields and try again [{service=openai}]',
        ),
      );
      const chunk = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        chunking_settings: { strategy: 'word', max_chunk_size: 100, overlap: 10 },
      });
      expect(chunk.body.error.reason).toBe(
        'Request contained fields which cannot be updated, remove these fields and try again [{chunking_settings={overlap=10, max_chunk_size=100, strategy=word}}]',
      );
    }));

  it('default endpoints fail the id validation until 9.4, "Default endpoint … cannot be updated" in 9.5', async () => {
    await withEs('9.4.0', async (e) => {
      const res = await e.req('PUT', '/_inference/.multilingual-e5-small-elasticsearch/_update', {
        task_type: 'text_embedding',
        service_settings: { num_allocations: 2 },
      });
      expect(res.body).toEqual(
        envelope(
          400,
          'action_request_validation_exception',
          "Validation Failed: 1: Invalid inference_id; '.multilingual-e5-small-elasticsearch' can contain lowercase alphanumeric (a-z and 0-9), hyphens or underscores; must start and end with alphanumeric;",
        ),
      );
    });
    await withEs('9.5.0', async (e) => {
      const res = await e.req(
        'PUT',
        '/_inference/text_embedding/.multilingual-e5-small-elasticsearch/_update',
        { service_settings: { num_allocations: 2 } },
      );
      expect(res.body).toEqual(
        envelope(
          400,
          'status_exception',
          'Default endpoint [.multilingual-e5-small-elasticsearch] cannot be updated',
        ),
      );
    });
  });
});

describe('flow', () => {
  it('task type mandatory, must match; missing endpoint 404', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', openai);
      expect((await e.req('PUT', '/_inference/o/_update', { task_settings: { user: 'x' } })).body).toEqual(
        envelope(400, 'status_exception', 'model is missing required setting [task_type]'),
      );
      const byBody = await e.req('PUT', '/_inference/o/_update', {
        task_type: 'text_embedding',
        task_settings: { user: 'x' },
      });
      expect(byBody.status).toBe(200);
      expect(
        (await e.req('PUT', '/_inference/completion/o/_update', { task_settings: { user: 'x' } })).body,
      ).toEqual(
        envelope(400, 'status_exception', 'Task type must match the task type of the existing endpoint'),
      );
      const missing = await e.req('PUT', '/_inference/completion/nope/_update', {
        task_settings: { user: 'x' },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.type).toBe('resource_not_found_exception');
    }));

  it('task_settings merge; secrets required whenever service_settings is sent (≤9.4); other keys ignored', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', { ...openai, task_settings: { user: 'a' } });
      const noKey = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        service_settings: { rate_limit: { requests_per_minute: 5 } },
      });
      expect(noKey.body).toEqual(
        envelope(
          400,
          'validation_exception',
          'Validation Failed: 1: [secret_settings] does not contain the required setting [api_key];',
        ),
      );
      const res = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        service_settings: { api_key: 'sk-2', model_id: 'other', rate_limit: { requests_per_minute: 5 } },
        task_settings: { user: 'b', unknown: 1 },
      });
      expect(res.status).toBe(200);
      expect(res.body.service_settings).toMatchObject({
        model_id: 'text-embedding-3-small',
        rate_limit: { requests_per_minute: 3000 },
      });
      expect(res.body.task_settings).toEqual({ user: 'b' });
      expect(e.state.endpoints.get('o')?.secrets).toEqual({ api_key: 'sk-2' });
    }));

  it('9.4: mutable service settings applied per their PR date, immutable and not-yet-mutable ignored', () =>
    withEs('9.4.0', async (e) => {
      // AI21 (PR #142597, Feb 2026) ⇒ 9.4: rate_limit applied.
      await e.req('PUT', '/_inference/completion/a', {
        service: 'ai21',
        service_settings: { api_key: 'k', model_id: 'jamba-mini' },
      });
      const ai21 = await e.req('PUT', '/_inference/completion/a/_update', {
        service_settings: { api_key: 'k', model_id: 'other', rate_limit: { requests_per_minute: 5 } },
      });
      expect(ai21.body.service_settings).toEqual({
        model_id: 'jamba-mini',
        rate_limit: { requests_per_minute: 5 },
      });
      // OpenAI (PR #147465, Apr 2026) ⇒ 9.5: on 9.4 rate_limit and organization_id are silently ignored.
      await e.req('PUT', '/_inference/completion/oa', {
        service: 'openai',
        service_settings: { api_key: 'k', model_id: 'gpt-4o' },
      });
      const oa = await e.req('PUT', '/_inference/completion/oa/_update', {
        service_settings: { api_key: 'k', rate_limit: { requests_per_minute: 10 }, organization_id: 'org' },
      });
      expect(oa.status).toBe(200);
      expect(oa.body.service_settings).toEqual({
        model_id: 'gpt-4o',
        rate_limit: { requests_per_minute: 500 },
      });
      expect((await e.req('GET', '/_inference/oa')).body.endpoints[0].service_settings).toEqual(
        oa.body.service_settings,
      );
    }));

  it('9.5: secrets optional, immutable/unknown keys rejected, chunking replaced', () =>
    withEs('9.5.0', async (e) => {
      await e.req('PUT', '/_inference/text_embedding/o', openai);
      const rl = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        service_settings: { rate_limit: { requests_per_minute: 7 } },
      });
      expect(rl.body.service_settings.rate_limit).toEqual({ requests_per_minute: 7 });
      const immutable = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        service_settings: { model_id: 'other' },
      });
      expect(immutable.body).toEqual(
        envelope(
          400,
          'status_exception',
          'Configuration contains settings [{model_id=other}] unknown to the [openai] service',
        ),
      );
      const unknownTask = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        task_settings: { nope: true },
      });
      expect(unknownTask.status).toBe(400);
      const chunk = await e.req('PUT', '/_inference/text_embedding/o/_update', {
        chunking_settings: { strategy: 'word', max_chunk_size: 100, overlap: 10 },
      });
      expect(chunk.body.chunking_settings).toEqual({ strategy: 'word', max_chunk_size: 100, overlap: 10 });
    }));
});

describe('in-cluster allocations', () => {
  const elser = {
    service: 'elasticsearch',
    service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
  };

  it('8.17.0: the one-segment route always fails', () =>
    withEs('8.17.0', async (e) => {
      expect(
        (
          await e.req('PUT', '/_inference/x/_update', {
            task_type: 'sparse_embedding',
            service_settings: { num_allocations: 2 },
          })
        ).body,
      ).toEqual(envelope(400, 'status_exception', 'Inference ID must be provided in the path'));
    }));

  it('8.17: num_allocations required even for task_settings-only updates', () =>
    withEs('8.17.10', async (e) => {
      await e.req('PUT', '/_inference/rerank/rr', {
        service: 'elasticsearch',
        service_settings: { model_id: '.rerank-v1', num_threads: 1, num_allocations: 1 },
      });
      const body = '{"task_settings":{"return_documents":false}}';
      const res = await e.req('PUT', '/_inference/rerank/rr/_update', body);
      expect(res.body).toEqual(
        envelope(400, 'status_exception', `Failed to parse [num_allocations] of update request [${body}]`),
      );
      const ok = await e.req('PUT', '/_inference/rerank/rr/_update', {
        service_settings: { num_allocations: 3 },
        task_settings: { return_documents: false },
      });
      expect(ok.body).toMatchObject({
        service_settings: { num_allocations: 3 },
        task_settings: { return_documents: false },
      });
    }));

  it('8.17 example of response re-rendered like a GET item (chunking hit by bug #139574)', () =>
    withEs('8.17.10', async (e) => {
      await e.req('PUT', '/_inference/sparse_embedding/elser_endpoint1', elser);
      const res = await e.req('PUT', '/_inference/sparse_embedding/elser_endpoint1/_update', {
        service_settings: { num_allocations: 2 },
      });
      // The reference's example comes from the pre-release PR #114457 and shows the sentence default; the
      // 8.17 code stores the merged config without chunking settings, read back as word/250/100.
      expect(res.body).toEqual({
        inference_id: 'elser_endpoint1',
        task_type: 'sparse_embedding',
        service: 'elasticsearch',
        service_settings: { num_allocations: 2, num_threads: 1, model_id: '.elser_model_2' },
        chunking_settings: { strategy: 'word', max_chunk_size: 250, overlap: 100 },
      });
      const stats = await e.req('GET', '/_ml/trained_models/elser_endpoint1/_stats');
      expect(stats.body.trained_model_stats[0].deployment_stats.number_of_allocations).toBe(2);
    }));

  it('9.1: adaptive_allocations updatable', () =>
    withEs('9.1.0', async (e) => {
      await e.req('PUT', '/_inference/sparse_embedding/x', elser);
      const res = await e.req('PUT', '/_inference/sparse_embedding/x/_update', {
        service_settings: {
          adaptive_allocations: { enabled: true, min_number_of_allocations: 1, max_number_of_allocations: 3 },
        },
      });
      expect(res.body.service_settings).toEqual({
        num_allocations: 1,
        num_threads: 1,
        model_id: '.elser_model_2',
        adaptive_allocations: { enabled: true, min_number_of_allocations: 1, max_number_of_allocations: 3 },
      });
    }));

  it('9.5: exactly one of num_allocations/adaptive_allocations; num_threads not updatable', () =>
    withEs('9.5.0', async (e) => {
      await e.req('PUT', '/_inference/sparse_embedding/x', elser);
      expect(
        (
          await e.req('PUT', '/_inference/sparse_embedding/x/_update', {
            service_settings: { num_threads: 2 },
          })
        ).body.error.reason,
      ).toBe('Validation Failed: 1: [num_threads] cannot be updated;');
      expect(
        (
          await e.req('PUT', '/_inference/sparse_embedding/x/_update', {
            service_settings: { num_allocations: 2, adaptive_allocations: { enabled: true } },
          })
        ).body.error.reason,
      ).toBe('Validation Failed: 1: [num_allocations] cannot be set if [adaptive_allocations] is set;');
    }));
});
