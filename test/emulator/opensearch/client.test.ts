/**
 * Protocol compatibility with a client no one here wrote: the official `@opensearch-project/opensearch` client
 * (its `ml` namespace and `transport.request`), against several profiles.
 */
import { Client, errors } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSearchEmulator } from '../../../src/emulator/opensearch/index.js';
import { openAiConnector } from './helpers.js';

for (const version of ['2.12.0', '2.19.0', '3.1.0']) {
  describe(`official OpenSearch client against ${version}`, () => {
    let running: Awaited<ReturnType<typeof startOpenSearchEmulator>>;
    let client: Client;
    beforeAll(async () => {
      running = await startOpenSearchEmulator({ port: 0, version, deployDelayMs: 50 });
      client = new Client({ node: running.url });
    });
    afterAll(async () => {
      await client.close();
      await running.close();
    });

    it('info() reports the distribution and version', async () => {
      const info = await client.info();
      expect(info.body.version.distribution).toBe('opensearch');
      expect(info.body.version.number).toBe(version);
    });

    it('connector → group → register → deploy → poll → update → undeploy → delete', async () => {
      const connector = await client.ml.createConnector({ body: openAiConnector() as never });
      const connectorId = (connector.body as { connector_id: string }).connector_id;
      const group = await client.ml.registerModelGroup({ body: { name: `group-${version}` } as never });
      const groupId = (group.body as { model_group_id: string }).model_group_id;
      const reg = await client.ml.registerModel({
        body: {
          name: 'emb',
          function_name: 'remote',
          model_group_id: groupId,
          connector_id: connectorId,
        } as never,
      });
      const { model_id: modelId, task_id: taskId } = reg.body as { model_id: string; task_id: string };
      const task = await client.ml.getTask({ task_id: taskId });
      expect((task.body as { state: string }).state).toBe('COMPLETED');

      const deploy = await client.ml.deployModel({ model_id: modelId });
      expect(deploy.body).toMatchObject({ task_type: 'DEPLOY_MODEL', status: 'COMPLETED' });
      let state = '';
      for (let i = 0; i < 50 && state !== 'DEPLOYED'; i++) {
        state = ((await client.ml.getModel({ model_id: modelId })).body as { model_state: string })
          .model_state;
        if (state !== 'DEPLOYED') await new Promise((r) => setTimeout(r, 10));
      }
      expect(state).toBe('DEPLOYED');

      const upd = await client.ml.updateModel({
        model_id: modelId,
        body: { description: 'updated' } as never,
      });
      expect((upd.body as { result: string }).result).toBe('updated');

      const found = await client.ml.searchModels({
        body: { query: { bool: { filter: [{ term: { 'name.keyword': 'emb' } }] } } } as never,
      });
      expect((found.body as { hits: { hits: { _id: string }[] } }).hits.hits.map((h) => h._id)).toContain(
        modelId,
      );

      await client.ml.undeployModel({ model_id: modelId });
      await client.ml.deleteModel({ model_id: modelId });
      await client.ml.deleteModelGroup({ model_group_id: groupId });
      await client.ml.deleteConnector({ connector_id: connectorId });
    });

    it('errors parse into ResponseError with status and the OpenSearch envelope', async () => {
      try {
        await client.ml.getTask({ task_id: 'missing' });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(errors.ResponseError);
        const e = error as InstanceType<typeof errors.ResponseError>;
        expect(e.statusCode).toBe(404);
        expect(e.body).toEqual({
          error: {
            root_cause: [{ type: 'status_exception', reason: 'Failed to find task' }],
            type: 'status_exception',
            reason: 'Failed to find task',
          },
          status: 404,
        });
      }
    });

    it('transport.request works for routes the typed API spells differently', async () => {
      const r = await client.transport.request({
        method: 'POST',
        path: '/_plugins/_ml/connectors/_search',
        body: { query: { match_all: {} } },
      });
      expect(r.statusCode).toBe(200);
    });
  });
}
