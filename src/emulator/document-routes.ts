/**
 * The index and document APIs inferctl's inventory and lock use, as route specifications both emulators
 * mount: the same in every Elasticsearch version served (8.12–9.5), so not gated by the capabilities table, and in
 * OpenSearch, which forked them from Elasticsearch 7.10 with the same routes, parameters, optimistic concurrency
 * (`if_seq_no`/`if_primary_term`) and response shapes. The reference documents ML Commons only; the few dialect
 * differences that matter to a client are in `DocumentApiDialect` (state.ts). Only parameters the emulator
 * implements are listed: any other is rejected as unrecognized rather than silently ignored.
 */
import {
  deleteDocument,
  documentExists,
  getDocument,
  indexDocument,
  refreshIndices,
  updateDocument,
} from './documents.js';
import {
  createIndex,
  deleteIndex,
  getIndex,
  getMapping,
  headIndex,
  putMapping,
  updateAliases,
} from './indices.js';
import { search } from './search.js';
import type { DocumentHost } from './state.js';
import type { EmuRequest, EmuResponse } from './types.js';

export interface DocumentRouteSpec {
  readonly method: string;
  /** `/{index}/_doc/{id}`: `{name}` segments are parameters. */
  readonly pattern: string;
  /** Query parameters the handler consumes (besides the global ones). */
  readonly query: readonly string[];
  readonly handle: (
    host: DocumentHost,
    req: EmuRequest,
    params: Readonly<Record<string, string>>,
  ) => EmuResponse;
}

function spec(
  method: string,
  pattern: string,
  query: readonly string[],
  handle: DocumentRouteSpec['handle'],
): DocumentRouteSpec {
  return { method, pattern, query, handle };
}

export function documentRouteSpecs(): DocumentRouteSpec[] {
  const routes: DocumentRouteSpec[] = [];
  const createParams = ['wait_for_active_shards', 'master_timeout', 'timeout'];
  routes.push(
    spec('PUT', '/{index}', createParams, (h, req, params) => createIndex(h, req, params['index'] ?? '')),
  );
  routes.push(
    spec(
      'GET',
      '/{index}',
      [
        'master_timeout',
        'local',
        'ignore_unavailable',
        'allow_no_indices',
        'expand_wildcards',
        'flat_settings',
        'include_defaults',
        'features',
      ],
      (h, req, params) => getIndex(h, params['index'] ?? ''),
    ),
  );
  routes.push(
    spec(
      'HEAD',
      '/{index}',
      [
        'local',
        'ignore_unavailable',
        'allow_no_indices',
        'expand_wildcards',
        'flat_settings',
        'include_defaults',
      ],
      (h, req, params) => headIndex(h, params['index'] ?? ''),
    ),
  );
  routes.push(
    spec(
      'DELETE',
      '/{index}',
      ['master_timeout', 'timeout', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards'],
      (h, req, params) => deleteIndex(h, params['index'] ?? ''),
    ),
  );
  for (const method of ['PUT', 'POST']) {
    routes.push(
      spec(method, '/{index}/_mapping', ['master_timeout', 'timeout', 'write_index_only'], (h, req, params) =>
        putMapping(h, req, params['index'] ?? ''),
      ),
    );
  }
  routes.push(spec('GET', '/_mapping', ['master_timeout', 'local'], (h) => getMapping(h, '_all')));
  routes.push(
    spec(
      'GET',
      '/{index}/_mapping',
      ['master_timeout', 'local', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards'],
      (h, req, params) => getMapping(h, params['index'] ?? ''),
    ),
  );
  routes.push(spec('POST', '/_aliases', ['master_timeout', 'timeout'], (h, req) => updateAliases(h, req)));
  const indexParams = ['if_seq_no', 'if_primary_term', 'op_type', 'refresh', 'timeout', 'require_alias'];
  for (const method of ['PUT', 'POST']) {
    routes.push(
      spec(method, '/{index}/_doc/{id}', indexParams, (h, req, params) =>
        indexDocument(h, req, params['index'] ?? '', params['id'] ?? '', false),
      ),
    );
    routes.push(
      spec(method, '/{index}/_create/{id}', indexParams, (h, req, params) =>
        indexDocument(h, req, params['index'] ?? '', params['id'] ?? '', true),
      ),
    );
  }
  routes.push(
    spec('POST', '/{index}/_doc', indexParams, (h, req, params) =>
      indexDocument(h, req, params['index'] ?? '', undefined, false),
    ),
  );
  const getParams = ['realtime', 'refresh', '_source'];
  routes.push(
    spec('GET', '/{index}/_doc/{id}', getParams, (h, req, params) =>
      getDocument(h, req, params['index'] ?? '', params['id'] ?? ''),
    ),
  );
  routes.push(
    spec('HEAD', '/{index}/_doc/{id}', getParams, (h, req, params) =>
      documentExists(h, req, params['index'] ?? '', params['id'] ?? ''),
    ),
  );
  routes.push(
    spec(
      'DELETE',
      '/{index}/_doc/{id}',
      ['if_seq_no', 'if_primary_term', 'refresh', 'timeout'],
      (h, req, params) => deleteDocument(h, req, params['index'] ?? '', params['id'] ?? ''),
    ),
  );
  routes.push(
    spec(
      'POST',
      '/{index}/_update/{id}',
      ['if_seq_no', 'if_primary_term', 'refresh', 'retry_on_conflict', 'timeout', 'require_alias'],
      (h, req, params) => updateDocument(h, req, params['index'] ?? '', params['id'] ?? ''),
    ),
  );
  const searchParams = [
    'size',
    'from',
    'seq_no_primary_term',
    'version',
    'track_total_hits',
    '_source',
    'ignore_unavailable',
  ];
  for (const method of ['GET', 'POST']) {
    routes.push(spec(method, '/_search', searchParams, (h, req) => search(h, req, undefined)));
    routes.push(
      spec(method, '/{index}/_search', searchParams, (h, req, params) =>
        search(h, req, params['index'] ?? ''),
      ),
    );
    routes.push(spec(method, '/_refresh', [], (h) => refreshIndices(h, undefined)));
    routes.push(
      spec(method, '/{index}/_refresh', [], (h, req, params) => refreshIndices(h, params['index'] ?? '')),
    );
  }
  return routes;
}
