/**
 * In-cluster endpoints and trained-model deployments (stats): starting → started /
 * fully_allocated after the configured delay, the 408 in which the endpoint nevertheless exists, stats by model
 * or deployment id, and CreateFromDeploymentIT's attach/409 rules.
 */
import { describe, expect, it } from 'vitest';
import { envelope, es } from './helpers.js';

const elser = {
  service: 'elasticsearch',
  service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 2 },
};

describe('deployments', () => {
  it('408 when the deployment is slower than the timeout; the endpoint exists and becomes ready', async () => {
    const e = await es('9.1.0', { deploymentStartDelayMs: 300 });
    try {
      const res = await e.req('PUT', '/_inference/sparse_embedding/slow?timeout=50ms', elser);
      expect(res.body).toEqual(
        envelope(
          408,
          'status_exception',
          'Timed out after [50ms] waiting for model deployment to start. Use the trained model stats API to track the state of the deployment.',
        ),
      );
      expect((await e.req('GET', '/_inference/slow')).status).toBe(200);
      const starting = (await e.req('GET', '/_ml/trained_models/slow/_stats')).body;
      expect(starting.count).toBe(1);
      expect(starting.trained_model_stats[0].deployment_stats).toMatchObject({
        deployment_id: 'slow',
        model_id: '.elser_model_2',
        state: 'starting',
        allocation_status: { allocation_count: 0, target_allocation_count: 2, state: 'starting' },
      });
      await new Promise((r) => setTimeout(r, 300));
      const started = (await e.req('GET', '/_ml/trained_models/.elser_model_2/_stats')).body;
      expect(started.trained_model_stats[0].deployment_stats).toMatchObject({
        state: 'started',
        allocation_status: { allocation_count: 2, target_allocation_count: 2, state: 'fully_allocated' },
      });
    } finally {
      await e.close();
    }
  });

  it('8.17 has no timeout param; the default wait can be lowered with an option', async () => {
    const e = await es('8.17.10', { deploymentStartDelayMs: 200, deploymentWaitMs: 20 });
    try {
      expect((await e.req('PUT', '/_inference/sparse_embedding/x?timeout=1s', elser)).body.error.reason).toBe(
        'request [/_inference/sparse_embedding/x] contains unrecognized parameter: [timeout]',
      );
      expect((await e.req('PUT', '/_inference/sparse_embedding/x', elser)).status).toBe(408);
    } finally {
      await e.close();
    }
  });

  it('_stats lists lang_ident_model_1 plus deployments; unknown explicit id → 404', async () => {
    const e = await es('9.1.0');
    try {
      await e.req('PUT', '/_inference/sparse_embedding/a', elser);
      const all = (await e.req('GET', '/_ml/trained_models/_stats')).body;
      expect(all.trained_model_stats.map((s: { model_id: string }) => s.model_id)).toEqual([
        '.elser_model_2',
        'lang_ident_model_1',
      ]);
      expect((await e.req('GET', '/_ml/trained_models/nope/_stats')).status).toBe(404);
      expect((await e.req('GET', '/_ml/trained_models/nope*/_stats')).body).toEqual({
        count: 0,
        trained_model_stats: [],
      });
    } finally {
      await e.close();
    }
  });

  it('CreateFromDeploymentIT: attach to a deployment; 409 on update; ids must differ from deployments', async () => {
    const e = await es('9.1.0');
    try {
      expect(
        (
          await e.req(
            'POST',
            '/_ml/trained_models/.elser_model_2/deployment/_start?deployment_id=dep&number_of_allocations=1',
          )
        ).status,
      ).toBe(200);
      const clash = await e.req('PUT', '/_inference/sparse_embedding/dep', elser);
      expect(clash.body.error.reason).toBe(
        'Inference endpoint IDs must be unique. Requested inference endpoint ID [dep] matches existing trained model ID(s) but must not.',
      );
      const attached = await e.req('PUT', '/_inference/sparse_embedding/att', {
        service: 'elasticsearch',
        service_settings: { deployment_id: 'dep' },
      });
      expect(attached.status).toBe(200);
      expect(attached.body.service_settings).toMatchObject({
        deployment_id: 'dep',
        model_id: '.elser_model_2',
        num_threads: 1,
        num_allocations: 1,
      });
      const upd = await e.req('PUT', '/_inference/sparse_embedding/att/_update', {
        service_settings: { num_allocations: 2 },
      });
      expect(upd.body).toEqual(
        envelope(
          409,
          'status_exception',
          'Cannot update inference endpoint [att] using model deployment [dep]. The model deployment must be updated through the trained models API.',
        ),
      );
      await e.req('PUT', '/_inference/sparse_embedding/owner', elser);
      await e.req('PUT', '/_inference/sparse_embedding/second', {
        service: 'elasticsearch',
        service_settings: { deployment_id: 'owner' },
      });
      const upd2 = await e.req('PUT', '/_inference/sparse_embedding/second/_update', {
        service_settings: { num_allocations: 3 },
      });
      expect(upd2.body.error.reason).toBe(
        'Cannot update inference endpoint [second] for model deployment [owner] as it was created by another inference endpoint. The model can only be updated using inference endpoint id [owner].',
      );
      expect(
        (
          await e.req('PUT', '/_inference/sparse_embedding/x', {
            service: 'elasticsearch',
            service_settings: { deployment_id: 'nope' },
          })
        ).body,
      ).toEqual(envelope(404, 'resource_not_found_exception', 'Cannot find deployment [nope]'));
      // deleting the attached endpoint leaves the deployment running
      await e.req('DELETE', '/_inference/att');
      expect(e.state.deployments.has('dep')).toBe(true);
    } finally {
      await e.close();
    }
  });
});
