/**
 * The OpenSearch emulator: a local HTTP server that behaves like OpenSearch ML Commons of one version —
 * connectors, model groups, remote models, register/deploy/undeploy tasks — for `inferctl emulator --flavor
 * opensearch` and the tests of inferctl's OpenSearch backend. Behaviour from
 * ml-commons source and the real node of the test tier (docs/fidelity/opensearch.md); see each module's header.
 *
 * Same architecture as the Elasticsearch emulator: the HTTP layer reads the request, applies faults and writes what
 * the pure `handleOpenSearch()` returns.
 */
import type { FaultKind, FaultOptions } from '../options.js';
import { serve } from '../http.js';
import type { EmuResponse } from '../types.js';
import { handleOpenSearch } from './handle.js';
import { seedLocalModels } from './models.js';
import type { OpenSearchEmulatorOptions } from './options.js';
import { OpenSearchState } from './state.js';

export type { DeployOutcome, OpenSearchEmulatorOptions, SeedLocalModel } from './options.js';
export { OpenSearchState } from './state.js';
export { handleOpenSearch } from './handle.js';

export interface RunningOpenSearchEmulator {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The emulated cluster, for tests that look inside or seed it. */
  readonly state: OpenSearchState;
  close(): Promise<void>;
}

/** A fresh cluster state with the configured seeds applied (for tests that call `handleOpenSearch` directly). */
export function createOpenSearchState(options: OpenSearchEmulatorOptions = {}): OpenSearchState {
  const state = new OpenSearchState(options);
  if (options.localModels?.length) seedLocalModels(state, options.localModels);
  return state;
}

/**
 * What an injected fault answers. OpenSearch's rejected-execution type is `rejected_execution_exception`
 * (`OpenSearchRejectedExecutionException`), its no-master one `cluster_manager_not_discovered_exception` from 2.0.
 */
function faultResponse(kind: FaultKind, options: FaultOptions): EmuResponse | undefined {
  const envelope = (status: number, type: string, reason: string | null) => ({
    error: { root_cause: [{ type, reason }], type, reason },
    status,
  });
  switch (kind) {
    case '429':
      return {
        status: 429,
        headers: {
          'retry-after': String(options.retryAfterSeconds ?? 1),
          'content-type': 'application/json; charset=UTF-8',
        },
        body: envelope(429, 'rejected_execution_exception', 'rejected execution (emulated fault)'),
      };
    case '503':
      return {
        status: 503,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: envelope(503, 'cluster_manager_not_discovered_exception', null),
      };
    case '502':
      return {
        status: 502,
        headers: { 'content-type': 'text/plain' },
        text: '502 Bad Gateway (emulated fault)',
      };
    case '504':
      return {
        status: 504,
        headers: { 'content-type': 'text/plain' },
        text: '504 Gateway Timeout (emulated fault)',
      };
    default:
      return undefined;
  }
}

/**
 * Starts an OpenSearch emulator. Port 0 picks a free port; resolves once listening.
 *
 * @example const os = await startOpenSearchEmulator({ version: '2.19.0', deployDelayMs: 500 });
 */
export async function startOpenSearchEmulator(
  options: OpenSearchEmulatorOptions = {},
): Promise<RunningOpenSearchEmulator> {
  const state = createOpenSearchState(options);
  const served = await serve({
    host: options.host,
    port: options.port,
    faults: options.faults,
    respond: (request) => handleOpenSearch(state, request),
    faultAnswer: faultResponse,
    logger: options.logger,
  });
  options.logger?.info(
    { url: served.url, version: state.caps.version, distribution: 'opensearch' },
    'emulator listening',
  );
  return { ...served, state };
}
