/**
 * `GET /` (cluster info: version, `build_flavor`, tagline) and `GET /_license`, the first calls every
 * client makes.
 */
import type { EmulatorState } from './state.js';
import type { EmuResponse } from './types.js';

/** [I] Lucene versions per Elasticsearch minor (release notes; used only for display). */
const LUCENE: Record<string, string> = {
  '8.12': '9.9.2',
  '8.13': '9.10.0',
  '8.14': '9.10.0',
  '8.15': '9.11.1',
  '8.16': '9.12.0',
  '8.17': '9.12.0',
  '8.18': '9.12.1',
  '8.19': '9.12.2',
  '9.0': '10.1.0',
  '9.1': '10.2.2',
  '9.2': '10.3.1',
  '9.3': '10.3.2',
  '9.4': '10.4.0',
  '9.5': '10.4.0',
};

export function rootInfo(state: EmulatorState): EmuResponse {
  const [major, minor, patch] = state.caps.tuple;
  // Serverless reports a version that is no feature gate (8.11.0 for years; docs issue #1960).
  const serverless = state.caps.buildFlavor === 'serverless';
  return {
    status: 200,
    body: {
      name: state.options.nodeName ?? 'inferctl-emulator',
      cluster_name: state.options.clusterName ?? 'inferctl-emulator',
      cluster_uuid: state.clusterUuid,
      version: {
        number: serverless ? '8.11.0' : `${major}.${minor}.${patch}`,
        build_flavor: state.caps.buildFlavor,
        build_type: 'docker',
        build_hash: '0000000000000000000000000000000000000000',
        build_date: '2026-01-01T00:00:00.000Z',
        build_snapshot: false,
        lucene_version: LUCENE[state.caps.minor] ?? '10.0.0',
        minimum_wire_compatibility_version: major >= 9 ? '8.18.0' : '7.17.0',
        minimum_index_compatibility_version: major >= 9 ? '8.0.0' : '7.0.0',
      },
      tagline: 'You Know, for Search',
    },
  };
}

export function licenseInfo(state: EmulatorState): EmuResponse {
  return {
    status: 200,
    body: {
      license: {
        status: 'active',
        uid: '00000000-0000-0000-0000-000000000000',
        type: state.license,
        issue_date: '2026-01-01T00:00:00.000Z',
        issue_date_in_millis: 1767225600000,
        max_nodes: 1000,
        max_resource_units: null,
        issued_to: state.options.clusterName ?? 'inferctl-emulator',
        issuer: 'elasticsearch',
        start_date_in_millis: -1,
      },
    },
  };
}
