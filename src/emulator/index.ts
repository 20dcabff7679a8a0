/**
 * The Elasticsearch emulator: a local HTTP server that behaves like Elasticsearch's `_inference` API of one
 * version (behaviour from Elasticsearch's source and tests; see docs/fidelity/elasticsearch.md). Built on node:http;
 * the HTTP layer only reads the request, applies faults and writes what the pure `handle()` returns.
 */
import { faultResponse } from './faults.js';
import { handle } from './handle.js';
import type { EmulatorOptions } from './options.js';
import { EmulatorState } from './state.js';
import { serve } from './http.js';

export type { EmulatorOptions, FaultKind, FaultOptions, ProviderValidationOptions } from './options.js';
export type { EmuRequest, EmuResponse, License } from './types.js';
export { EmulatorState } from './state.js';
export { handle } from './handle.js';

export interface RunningEmulator {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The emulated cluster, for tests that look inside or seed it. */
  readonly state: EmulatorState;
  close(): Promise<void>;
}

export { toEmuRequest } from './http.js';

/**
 * Starts an emulator. Port 0 picks a free port; the promise resolves once it listens. Why in-process: tests and
 * `inferctl emulator` share one implementation, and tests need no child processes.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options);
  const served = await serve({
    host: options.host,
    port: options.port,
    faults: options.faults,
    respond: (request) => handle(state, request),
    // Elasticsearch's header on every answer, injected faults included.
    faultAnswer: (kind, faults) => {
      const injected = faultResponse(kind, faults);
      return injected
        ? {
            ...injected,
            headers: {
              'x-elastic-product': 'Elasticsearch',
              ...(injected.headers ?? {}),
              'content-type': injected.body ? 'application/json' : 'text/plain; charset=UTF-8',
            },
          }
        : undefined;
    },
    errorHeaders: { 'x-elastic-product': 'Elasticsearch' },
    logger: options.logger,
  });
  options.logger?.info({ url: served.url, version: state.caps.version }, 'emulator listening');
  return { ...served, state };
}
