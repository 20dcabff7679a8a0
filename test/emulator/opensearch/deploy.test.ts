/** Deploy / undeploy / delete: task states, model states, delays, failures. */
import { afterEach, describe, expect, it } from 'vitest';
import { clock, envelope, os, remoteModel, type Os } from './helpers.js';

describe('deploy and undeploy', () => {
  let o: Os;
  afterEach(() => o.close());

  it('remote deploy answers COMPLETED; the model is DEPLOYING until the nodes report (deployDelayMs)', async () => {
    const t = clock();
    o = await os('2.19.0', { now: t.now, deployDelayMs: 1000, nodes: 2 });
    const { modelId } = await remoteModel(o);
    const d = await o.req('POST', `/_plugins/_ml/models/${modelId}/_deploy`);
    expect(d.body).toEqual({ task_id: expect.any(String), task_type: 'DEPLOY_MODEL', status: 'COMPLETED' });
    let m = await o.req('GET', `/_plugins/_ml/models/${modelId}`);
    expect(m.body).toMatchObject({
      model_state: 'DEPLOYING',
      planning_worker_node_count: 2,
      deploy_to_all_nodes: true,
    });
    let task = await o.req('GET', `/_plugins/_ml/tasks/${d.body.task_id}`);
    expect(task.body).toMatchObject({
      model_id: modelId,
      task_type: 'DEPLOY_MODEL',
      state: 'RUNNING',
      is_async: true,
    });
    expect(task.body.worker_node).toEqual(o.state.nodeIds);

    // While DEPLOYING: update 409, delete 400.
    const u = await o.req('PUT', `/_plugins/_ml/models/${modelId}`, { description: 'x' });
    expect(u.body).toEqual(
      envelope(
        409,
        'status_exception',
        `Model is deploying. Please wait for the model to complete deployment. model ID ${modelId}`,
      ),
    );

    t.advance(1000);
    m = await o.req('GET', `/_plugins/_ml/models/${modelId}`);
    expect(m.body).toMatchObject({
      model_state: 'DEPLOYED',
      current_worker_node_count: 2,
      last_deployed_time: t.now(),
    });
    task = await o.req('GET', `/_plugins/_ml/tasks/${d.body.task_id}`);
    expect(task.body.state).toBe('COMPLETED');

    const del = await o.req('DELETE', `/_plugins/_ml/models/${modelId}`);
    expect(del.body).toEqual(
      envelope(
        400,
        'status_exception',
        'Model cannot be deleted in deploying or deployed state. Try undeploy model first then delete',
      ),
    );

    const un = await o.req('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    expect(un.body).toEqual({
      [o.state.nodeIds[0] as string]: { stats: { [modelId]: 'UNDEPLOYED' } },
      [o.state.nodeIds[1] as string]: { stats: { [modelId]: 'UNDEPLOYED' } },
    });
    m = await o.req('GET', `/_plugins/_ml/models/${modelId}`);
    expect(m.body.model_state).toBe('UNDEPLOYED');
    expect(m.body.current_worker_node_count).toBe(0);
    expect(m.body).not.toHaveProperty('planning_worker_nodes');
    const gone = await o.req('DELETE', `/_plugins/_ml/models/${modelId}`);
    expect(gone.body).toMatchObject({ _index: '.plugins-ml-model', _id: modelId, result: 'deleted' });
    expect((await o.req('GET', `/_plugins/_ml/models/${modelId}`)).status).toBe(404);
  });

  it('?deploy=true deploys right after registering', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o, 'm', {}, '?deploy=true');
    expect((await o.req('GET', `/_plugins/_ml/models/${modelId}`)).body.model_state).toBe('DEPLOYED');
  });

  it('a failing deployment: task FAILED with per-node errors, model DEPLOY_FAILED', async () => {
    o = await os('2.19.0', { deployOutcomes: { broken: { outcome: 'fail', error: 'connection refused' } } });
    const { modelId } = await remoteModel(o, 'broken');
    const d = await o.req('POST', `/_plugins/_ml/models/${modelId}/_deploy`);
    const task = await o.req('GET', `/_plugins/_ml/tasks/${d.body.task_id}`);
    expect(task.body.state).toBe('FAILED');
    expect(JSON.parse(task.body.error)).toEqual({ [o.state.nodeIds[0] as string]: 'connection refused' });
    expect((await o.req('GET', `/_plugins/_ml/models/${modelId}`)).body.model_state).toBe('DEPLOY_FAILED');
    // DEPLOY_FAILED is neither deployed nor deploying: delete is allowed.
    expect((await o.req('DELETE', `/_plugins/_ml/models/${modelId}`)).status).toBe(200);
  });

  it('a partial deployment: COMPLETED_WITH_ERROR and PARTIALLY_DEPLOYED (counts as deployed)', async () => {
    o = await os('2.19.0', { nodes: 3, deployOutcomes: { half: { outcome: 'partial' } } });
    const { modelId, connectorId } = await remoteModel(o, 'half');
    const d = await o.req('POST', `/_plugins/_ml/models/${modelId}/_deploy`);
    expect((await o.req('GET', `/_plugins/_ml/tasks/${d.body.task_id}`)).body.state).toBe(
      'COMPLETED_WITH_ERROR',
    );
    const m = await o.req('GET', `/_plugins/_ml/models/${modelId}`);
    expect(m.body).toMatchObject({
      model_state: 'PARTIALLY_DEPLOYED',
      current_worker_node_count: 2,
      planning_worker_node_count: 3,
    });
    const c = await o.req('PUT', `/_plugins/_ml/connectors/${connectorId}`, { description: 'x' });
    expect(c.status).toBe(400);
    const un = await o.req('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    expect(
      Object.values(un.body).map((n) => (n as { stats: Record<string, string> }).stats[modelId]),
    ).toEqual(['not_found', 'UNDEPLOYED', 'UNDEPLOYED']);
  });

  it('undeploying a model no node has: not_found everywhere, and the index is set to UNDEPLOYED anyway', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o);
    const un = await o.req('POST', `/_plugins/_ml/models/${modelId}/_undeploy`);
    expect(un.body).toEqual({ [o.state.nodeIds[0] as string]: { stats: { [modelId]: 'not_found' } } });
    expect((await o.req('GET', `/_plugins/_ml/models/${modelId}`)).body.model_state).toBe('UNDEPLOYED');
    const many = await o.req('POST', '/_plugins/_ml/models/_undeploy', {});
    expect(many.body).toEqual(
      envelope(400, 'illegal_argument_exception', 'Must set specific model ids to undeploy'),
    );
  });

  it('deploy of an unknown model, custom node plans', async () => {
    o = await os('2.19.0');
    const { modelId } = await remoteModel(o);
    expect((await o.req('POST', '/_plugins/_ml/models/nope/_deploy')).body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model'),
    );
    const plan = await o.req('POST', `/_plugins/_ml/models/${modelId}/_deploy`, { node_ids: ['n1'] });
    expect(plan.body).toEqual(
      envelope(400, 'illegal_argument_exception', "Don't allow custom deployment plan"),
    );
  });

  it('delete and get of unknown models', async () => {
    o = await os('2.19.0');
    expect((await o.req('GET', '/_plugins/_ml/models/x')).body).toEqual(
      envelope(404, 'status_exception', 'Fail to find model'),
    );
    await remoteModel(o);
    expect((await o.req('GET', '/_plugins/_ml/models/x')).body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model with the provided model id: x'),
    );
    expect((await o.req('DELETE', '/_plugins/_ml/models/x')).body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model'),
    );
  });
});
