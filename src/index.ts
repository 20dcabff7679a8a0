/**
 * inferctl as a library: the same pieces the CLI and the GitHub Action are built from. The core is pure —
 * load and validate manifests, plan against live state, render — and the I/O is a client you create for a
 * connection. Nothing here reads `process.*` or prints.
 *
 * @example
 * import { validate, plan, capabilitiesFor } from 'inferctl';
 * const { manifests, diagnostics } = validate(['manifests/'], { cwd: process.cwd(), env: process.env });
 * if (diagnostics.some((d) => d.severity === 'error')) throw new Error('invalid manifests');
 * const p = plan({ desired: manifests, live: [], capabilities: capabilitiesFor('9.1.0'), target: { url: 'http://es:9200' } });
 * p.changes.map((c) => `${c.action} ${c.id}`); // ['create my-endpoint', …]
 */
import { loadManifests, type LoadOptions, type LoadResult } from './manifest/load.js';
import { checkForVersion } from './manifest/version-check.js';

// ---- manifests -------------------------------------------------------------------------------------
export { loadManifests, type LoadOptions, type LoadResult } from './manifest/load.js';
export type { EndpointManifest, Manifest } from './manifest/load.js';
export type { Diagnostic, DiagnosticCode } from './manifest/diagnostics.js';
export { DIAGNOSTIC_CODES } from './manifest/diagnostics.js';

/**
 * Validates manifests without a cluster: YAML, schema, ids, cross-field rules, secret references; with
 * `version`, also what that Elasticsearch release has. The result is the loaded manifests and every
 * diagnostic (file, line, column, path, message), as `inferctl validate` reports them.
 */
export function validate(paths: readonly string[], options: LoadOptions): LoadResult {
  const loaded = loadManifests(paths, options);
  if (options.version === undefined) return loaded;
  const extra = checkForVersion(loaded.manifests, options.version).filter(
    (d) => !loaded.diagnostics.some((e) => e.file === d.file && e.line === d.line && e.path === d.path),
  );
  return extra.length ? { ...loaded, diagnostics: [...loaded.diagnostics, ...extra] } : loaded;
}

// ---- what a release can do -------------------------------------------------------------------------
export {
  capabilitiesFor,
  SERVERLESS_CURRENT_VERSION,
  type BuildFlavor,
  type Capabilities,
} from './catalog/capabilities.js';
export { openSearchCapabilitiesFor, type OpenSearchCapabilities } from './catalog/opensearch-capabilities.js';
export { SERVICES, getService, OLDEST_SUPPORTED_VERSION } from './catalog/index.js';

// ---- plan, apply, drift (Elasticsearch) -----------------------------------------------------------
export { plan, type PlanInput, type PlanOptions } from './engine/plan.js';
export type { Plan, Change, DiffEntry, Reason, Action } from './engine/types.js';
export { apply, type ApplyOptions, type ApplyResult, type ApplyEvent } from './engine/apply.js';
export { driftReport, type DriftReport } from './engine/drift.js';
export { probeCluster, readCluster, planCluster, type ProbedCluster } from './core/reconcile.js';

// ---- OpenSearch ML Commons ------------------------------------------------------------------------
export { planOpenSearch } from './opensearch/index.js';

// ---- the cluster client ---------------------------------------------------------------------------
export {
  createElasticsearchClient,
  type ElasticsearchClient,
  type ElasticsearchClientOptions,
} from './backends/elasticsearch/client.js';
export { resolveConnection, type Connection } from './backends/elasticsearch/connection.js';
export type { InferenceApi, LiveEndpoint } from './backends/elasticsearch/api.js';

// ---- errors ---------------------------------------------------------------------------------------
export { InferctlError } from './errors.js';
