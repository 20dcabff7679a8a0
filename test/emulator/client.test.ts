/**
 * Protocol compatibility with a client no one here wrote: the official `@elastic/elasticsearch` 8.19 client
 * (compatible-with=8 headers, product header check, error parsing into ResponseError).
 */
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';

for (const version of ['8.19.3', '9.1.0']) {
  describe(`official client against ${version}`, () => {
    let running: Awaited<ReturnType<typeof startEmulator>>;
    let client: Client;
    beforeAll(async () => {
      running = await startEmulator({ port: 0, esVersion: version, apiKey: 'a2V5OnNlY3JldA==' });
      client = new Client({ node: running.url, auth: { apiKey: 'a2V5OnNlY3JldA==' } });
    });
    afterAll(async () => {
      await client.close();
      await running.close();
    });

    it('info()', async () => {
      const info = await client.info();
      expect(info.version.number).toBe(version);
    });

    it('inference.put / get / update / delete', async () => {
      const put = await client.inference.put({
        task_type: 'text_embedding',
        inference_id: 'my-openai',
        inference_config: {
          service: 'openai',
          service_settings: { api_key: 'sk-1', model_id: 'text-embedding-3-small' },
        },
      });
      expect(put).toMatchObject({
        inference_id: 'my-openai',
        task_type: 'text_embedding',
        service: 'openai',
      });
      const get = await client.inference.get({ inference_id: 'my-openai' });
      expect(get.endpoints[0]?.service_settings).not.toHaveProperty('api_key');
      const upd = await client.inference.update({
        task_type: 'text_embedding',
        inference_id: 'my-openai',
        inference_config: { service_settings: { api_key: 'sk-2' }, task_settings: { user: 'me' } } as never,
      });
      expect(upd.task_settings).toEqual({ user: 'me' });
      const del = await client.inference.delete({ inference_id: 'my-openai' });
      expect(del).toEqual({ acknowledged: true, pipelines: [], indexes: [] });
    });

    it('errors parse into ResponseError with status and body', async () => {
      try {
        await client.inference.get({ inference_id: 'missing' });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(errors.ResponseError);
        const e = error as InstanceType<typeof errors.ResponseError>;
        expect(e.statusCode).toBe(404);
        expect(e.body).toMatchObject({
          error: { type: 'resource_not_found_exception', reason: 'Inference endpoint not found [missing]' },
          status: 404,
        });
        expect(e.message).toContain('resource_not_found_exception');
      }
    });

    it('ml.getTrainedModelsStats with an ELSER endpoint', async () => {
      await client.inference.put({
        task_type: 'sparse_embedding',
        inference_id: 'elser',
        inference_config: {
          service: 'elasticsearch',
          service_settings: { model_id: '.elser_model_2', num_threads: 1, num_allocations: 1 },
        },
      });
      const stats = await client.ml.getTrainedModelsStats({ model_id: 'elser' });
      expect(stats.count).toBe(1);
      expect(stats.trained_model_stats[0]?.deployment_stats?.allocation_status?.state).toBe(
        'fully_allocated',
      );
    });
  });
}
