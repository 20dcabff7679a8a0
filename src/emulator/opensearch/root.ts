/** `GET /`: what every client and inferctl's detection read first — `version.distribution: "opensearch"`. */
import type { EmuResponse } from '../types.js';
import type { OpenSearchState } from './state.js';

/** Lucene per OpenSearch minor (release notes; display only) [infer]. */
const LUCENE: Record<string, string> = {
  '2.12': '9.9.2',
  '2.13': '9.10.0',
  '2.14': '9.10.0',
  '2.15': '9.10.0',
  '2.16': '9.11.1',
  '2.17': '9.11.1',
  '2.18': '9.12.0',
  '2.19': '9.12.1',
  '3.0': '10.1.0',
  '3.1': '10.2.1',
  '3.2': '10.2.2',
  '3.3': '10.3.1',
};

export function rootInfo(state: OpenSearchState): EmuResponse {
  const [major, minor, patch] = state.caps.tuple;
  return {
    status: 200,
    body: {
      name: state.options.nodeName ?? 'inferctl-opensearch-emulator',
      cluster_name: state.options.clusterName ?? 'inferctl-opensearch-emulator',
      cluster_uuid: state.clusterUuid,
      version: {
        distribution: 'opensearch',
        number: `${major}.${minor}.${patch}`,
        build_type: 'tar',
        build_hash: '0000000000000000000000000000000000000000',
        build_date: '2026-01-01T00:00:00.000000Z',
        build_snapshot: false,
        lucene_version: LUCENE[state.caps.minor] ?? '10.3.1',
        minimum_wire_compatibility_version: major >= 3 ? '2.19.0' : '7.10.0',
        minimum_index_compatibility_version: major >= 3 ? '2.0.0' : '7.0.0',
      },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    },
  };
}
