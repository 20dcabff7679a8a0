/**
 * The I/O around the pure planner, shared by the CLI and (later) the Action: probe the cluster, read
 * its live state in one request, check who uses the endpoints a plan would replace, and plan.
 */
import { capabilitiesFor, type Capabilities } from '../catalog/capabilities.js';
import {
  openSearchCapabilitiesFor,
  type OpenSearchCapabilities,
} from '../catalog/opensearch-capabilities.js';
import { OLDEST_SUPPORTED_VERSION } from '../catalog/index.js';
import { atLeast, parseVersion } from '../catalog/version.js';
import type { ClusterInfo, InferenceApi, LiveEndpoint } from '../backends/elasticsearch/api.js';
import { InferctlError } from '../errors.js';
import type { EndpointManifest } from '../manifest/load.js';
import { plan, type PlanOptions, type References } from '../engine/plan.js';
import type { Plan } from '../engine/types.js';

export interface ClusterSnapshot {
  readonly info: ClusterInfo;
  readonly capabilities: Capabilities;
  readonly live: readonly LiveEndpoint[];
}

/**
 * Probes the cluster (`GET /`) and reads every endpoint (`GET _inference/_all`): two requests, however
 * many endpoints there are. Elasticsearch only: an OpenSearch cluster is refused with a message naming
 * the commands that manage it.
 */
export async function readCluster(api: InferenceApi): Promise<ClusterSnapshot> {
  const probed = elasticsearchOnly(await probeCluster(api));
  return { ...probed, live: await api.listEndpoints() };
}

/** What `GET /` says the cluster is: the flavor decides which side of inferctl manages it. */
export type ProbedCluster =
  | {
      readonly flavor: 'elasticsearch';
      readonly info: ClusterInfo;
      readonly capabilities: Capabilities;
    }
  | {
      readonly flavor: 'opensearch';
      readonly info: ClusterInfo;
      readonly capabilities: OpenSearchCapabilities;
    };

/**
 * `GET /`: the flavor (`version.distribution: opensearch` for OpenSearch), the version, and the
 * capabilities that follow from it; refuses what inferctl cannot manage.
 */
export async function probeCluster(api: InferenceApi): Promise<ProbedCluster> {
  const info = await api.info();
  try {
    parseVersion(info.version);
  } catch {
    throw new InferctlError(
      'unsupported_cluster',
      `cannot read the cluster's version (${JSON.stringify(info.version)})`,
    );
  }
  if (info.distribution === 'opensearch') {
    return { flavor: 'opensearch', info, capabilities: openSearchCapabilitiesFor(info.version) };
  }
  // Elastic Cloud Serverless: `version.number` is no feature gate (8.11.0, later the next target release;
  // elasticsearch-specification PR #6177), `build_flavor` says what the cluster is. The newest modelled
  // release's behaviour applies, with allocations always adaptive.
  if (info.buildFlavor === 'serverless') {
    return { flavor: 'elasticsearch', info, capabilities: capabilitiesFor(info.version, 'serverless') };
  }
  if (!atLeast(info.version, '8.12')) {
    throw new InferctlError(
      'unsupported_cluster',
      `Elasticsearch ${info.version} is too old: the inference API inferctl reads arrived in 8.12`,
      {
        hint: `upgrade to ${OLDEST_SUPPORTED_VERSION} or later`,
      },
    );
  }
  return { flavor: 'elasticsearch', info, capabilities: capabilitiesFor(info.version) };
}

/** The probe of an Elasticsearch cluster; an OpenSearch one is refused (commands that manage only endpoints). */
export function elasticsearchOnly(probed: ProbedCluster): Omit<ClusterSnapshot, 'live'> {
  if (probed.flavor === 'opensearch') {
    throw new InferctlError(
      'unsupported_cluster',
      `the cluster is OpenSearch ${probed.info.version}; this command manages Elasticsearch inference endpoints`,
      {
        hint: 'inferctl validate and plan handle OpenSearch ML Commons connectors, model groups and models',
      },
    );
  }
  return { info: probed.info, capabilities: probed.capabilities };
}

export interface PlanClusterOptions extends Omit<PlanOptions, 'references'> {
  readonly url: string;
}

/**
 * Plans the manifests against the cluster. Replacements are checked with `DELETE …?dry_run=true` (8.15+)
 * so that a plan never proposes to delete an endpoint indices or pipelines use without saying so.
 */
export async function planCluster(
  api: InferenceApi,
  snapshot: ClusterSnapshot,
  manifests: readonly EndpointManifest[],
  options: PlanClusterOptions,
): Promise<Plan> {
  const input = {
    desired: manifests,
    live: snapshot.live,
    capabilities: snapshot.capabilities,
    target: { url: options.url },
  };
  // A licence that refuses writes blocks them in the plan (one GET _license, only when it can matter).
  const caps = snapshot.capabilities;
  const mayNeedLicence =
    (caps.enterpriseLicense && caps.buildFlavor !== 'serverless') || caps.mlLicenseForDeployments;
  const license = mayNeedLicence && manifests.length > 0 ? await api.license?.() : undefined;
  if (license) options = { ...options, license };
  const first = plan({ ...input, options });
  const risky = first.changes.filter((c) => c.action === 'replace' || c.action === 'delete');
  if (risky.length === 0 || !snapshot.capabilities.deleteDryRunForce) return first;
  const references = new Map<string, References>();
  // 8.15's dry_run reports pipelines only: the semantic_text users come from the mappings (one GET _mapping).
  const fromMappings =
    !snapshot.capabilities.deleteChecksSemanticText && api.indicesUsing
      ? await api.indicesUsing(risky.map((c) => c.id))
      : undefined;
  for (const change of risky) {
    const taskType = change.action === 'replace' ? change.liveTaskType : change.taskType;
    const result = await api.deleteEndpoint(taskType, change.id, { dryRun: true });
    const indexes = [...new Set([...result.indexes, ...(fromMappings?.get(change.id) ?? [])])].sort();
    // Where Elasticsearch refuses to re-create an id that semantic_text fields use (PR #137055), the plan must
    // know, before any delete, whether those indices hold documents and what their fields recorded.
    const guarded = change.action === 'replace' && snapshot.capabilities.createGuard !== 'none';
    const uses = guarded
      ? await Promise.all(
          indexes.map((index) =>
            api
              .indexUse(index, change.id)
              .catch((error: unknown) => ({ index, unreadable: (error as Error).message })),
          ),
        )
      : undefined;
    references.set(change.id, {
      pipelines: [...result.pipelines].sort(),
      indexes,
      ...(uses ? { uses } : {}),
    });
  }
  return plan({ ...input, options: { ...options, references } });
}

/** Refuses to write to a cluster older than the oldest supported version (reads are best effort). */
export function assertWritable(capabilities: Capabilities): void {
  if (!atLeast(capabilities.version, OLDEST_SUPPORTED_VERSION)) {
    throw new InferctlError(
      'unsupported_cluster',
      `inferctl applies changes to Elasticsearch ${OLDEST_SUPPORTED_VERSION} and later; this cluster is ${capabilities.version}`,
      { hint: 'plan works read-only on 8.12–8.14; upgrade the cluster to apply' },
    );
  }
}
