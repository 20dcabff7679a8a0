/** Model groups: unique names, update, delete while it has models, search, access control absent. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelope, os, remoteModel, type Os } from './helpers.js';

const REGISTER = '/_plugins/_ml/model_groups/_register';

describe('model groups', () => {
  let o: Os;
  beforeEach(async () => (o = await os('2.19.0')));
  afterEach(() => o.close());

  it('register → {model_group_id, status: CREATED}; GET shows latest_version 0 and access public', async () => {
    const r = await o.req('POST', REGISTER, { name: 'search-models', description: 'for search' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ model_group_id: expect.any(String), status: 'CREATED' });
    const g = await o.req('GET', `/_plugins/_ml/model_groups/${r.body.model_group_id}`);
    expect(g.body).toEqual({
      name: 'search-models',
      latest_version: 0,
      description: 'for search',
      access: 'public',
      created_time: expect.any(Number),
      last_updated_time: expect.any(Number),
    });
  });

  it('names are unique', async () => {
    const first = await o.req('POST', REGISTER, { name: 'search-models' });
    const r = await o.req('POST', REGISTER, { name: 'search-models' });
    expect(r.body).toEqual(
      envelope(
        400,
        'illegal_argument_exception',
        `The name you provided is already being used by a model group with ID: ${first.body.model_group_id}.`,
      ),
    );
  });

  it('a missing name is a NullPointerException (500); an empty body a parse error', async () => {
    const r = await o.req('POST', REGISTER, { description: 'x' });
    expect(r.body).toEqual(envelope(500, 'null_pointer_exception', 'model group name must not be null'));
    const e = await o.req('POST', REGISTER);
    expect(e.body).toEqual(envelope(400, 'parse_exception', 'Model group request has empty body'));
  });

  it('access_mode / backend_roles are refused without the security plugin (register and update)', async () => {
    const message =
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.';
    const r = await o.req('POST', REGISTER, { name: 'g', access_mode: 'private' });
    expect(r.body).toEqual(envelope(400, 'illegal_argument_exception', message));
    const g = await o.req('POST', REGISTER, { name: 'g' });
    const u = await o.req('PUT', `/_plugins/_ml/model_groups/${g.body.model_group_id}`, {
      backend_roles: ['ml'],
    });
    expect(u.body).toEqual(envelope(400, 'illegal_argument_exception', message));
  });

  it('update renames (still unique) and answers {status: Updated}; blank description ignored', async () => {
    const a = await o.req('POST', REGISTER, { name: 'a', description: 'keep' });
    const b = await o.req('POST', REGISTER, { name: 'b' });
    const taken = await o.req('PUT', `/_plugins/_ml/model_groups/${a.body.model_group_id}`, { name: 'b' });
    expect(taken.body.error.reason).toBe(
      `The name you provided is already being used by another model with ID: ${b.body.model_group_id}. Please provide a different name`,
    );
    const ok = await o.req('PUT', `/_plugins/_ml/model_groups/${a.body.model_group_id}`, {
      name: 'a2',
      description: ' ',
    });
    expect(ok.body).toEqual({ status: 'Updated' });
    const g = await o.req('GET', `/_plugins/_ml/model_groups/${a.body.model_group_id}`);
    expect(g.body).toMatchObject({ name: 'a2', description: 'keep' });
    const missing = await o.req('PUT', '/_plugins/_ml/model_groups/nope', { name: 'x' });
    expect(missing.body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model group with the provided model group id: nope'),
    );
  });

  it('delete is refused (409) while the group has models', async () => {
    const { groupId, modelId } = await remoteModel(o);
    const r = await o.req('DELETE', `/_plugins/_ml/model_groups/${groupId}`);
    expect(r.body).toEqual(
      envelope(
        409,
        'status_exception',
        'Cannot delete the model group when it has associated model versions',
      ),
    );
    await o.req('DELETE', `/_plugins/_ml/models/${modelId}`);
    const ok = await o.req('DELETE', `/_plugins/_ml/model_groups/${groupId}`);
    expect(ok.body).toMatchObject({ _index: '.plugins-ml-model-group', _id: groupId, result: 'deleted' });
  });

  it('GET 404s differ before and after the index exists; search by name.keyword', async () => {
    expect((await o.req('GET', '/_plugins/_ml/model_groups/x')).body).toEqual(
      envelope(404, 'status_exception', 'Failed to find model group index'),
    );
    await o.req('POST', REGISTER, { name: 'Search Models' });
    await o.req('POST', REGISTER, { name: 'other' });
    expect((await o.req('GET', '/_plugins/_ml/model_groups/x')).body.error.reason).toBe(
      'Failed to find model group with the provided model group id: x',
    );
    const s = await o.req('POST', '/_plugins/_ml/model_groups/_search', {
      query: { term: { 'name.keyword': 'Search Models' } },
    });
    expect(s.body.hits.hits.map((h: { _source: { name: string } }) => h._source.name)).toEqual([
      'Search Models',
    ]);
    // `name` is text: a term on the analysed field needs the lower-cased token.
    const t = await o.req('POST', '/_plugins/_ml/model_groups/_search', {
      query: { term: { name: 'Search Models' } },
    });
    expect(t.body.hits.total.value).toBe(0);
  });
});
