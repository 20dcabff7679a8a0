// The real node for a test file: started once per file on its own port, stopped after.
// @ts-expect-error -- plain ESM script without types (scripts/opensearch-real.mjs)
import { startRealOpenSearch } from '../../scripts/opensearch-real.mjs';

export interface RealNode {
  url: string;
  version: string;
  startMs: number;
  stop(): Promise<void>;
}

export const REAL_VERSION = process.env['INFERCTL_REAL_OPENSEARCH_VERSION'] ?? '2.19.1';

export function startReal(port: number): Promise<RealNode> {
  return startRealOpenSearch({ version: REAL_VERSION, port }) as Promise<RealNode>;
}
