/**
 * The local state file: per cluster, the salt and the secret fingerprints recorded at the last apply,
 * so that a later plan notices a rotated secret without reading it back. (A later issue keeps the same
 * record in the cluster itself, for runs that share no disk.) It never holds a secret value.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InferctlError } from '../errors.js';
import type { RecordedSecrets } from '../engine/secrets.js';

export const DEFAULT_STATE_FILE = '.inferctl-state.json';

interface EndpointRecord {
  readonly secrets: Readonly<Record<string, string>>;
  readonly applied_at: string;
  readonly plan_checksum: string;
}

interface ClusterRecord {
  readonly salt: string;
  readonly endpoints: Readonly<Record<string, EndpointRecord>>;
}

interface StateFile {
  readonly format_version: 1;
  readonly clusters: Readonly<Record<string, ClusterRecord>>;
}

export interface ClusterState {
  readonly key: string;
  readonly salt: string;
  /** `undefined` when nothing was ever recorded for this cluster. */
  readonly recorded: RecordedSecrets | undefined;
}

/** Reads the state of one cluster (`key`: its UUID, or its URL when it has none). Missing file = empty. */
export function readClusterState(path: string, key: string): ClusterState {
  const file = readState(path);
  const cluster = file.clusters[key];
  // Until something is recorded the salt must still be the same from run to run — a plan reviewed in a
  // pull request and the apply after the merge compute the same checksum — so it is derived from the key.
  if (!cluster)
    return {
      key,
      salt: createHash('sha256').update(`inferctl-salt:${key}`).digest('hex').slice(0, 32),
      recorded: undefined,
    };
  return {
    key,
    salt: cluster.salt,
    recorded: new Map(Object.entries(cluster.endpoints).map(([id, r]) => [id, r.secrets])),
  };
}

/**
 * Records what an apply did for one cluster: fingerprints of the endpoints written successfully, and
 * removal of deleted ones. Written atomically (temporary file, then rename).
 */
export function recordApply(
  path: string,
  state: ClusterState,
  written: ReadonlyMap<string, Readonly<Record<string, string>>>,
  removed: readonly string[],
  planChecksum: string,
  now: Date,
): void {
  const file = readState(path);
  const previous = file.clusters[state.key]?.endpoints ?? {};
  const endpoints: Record<string, EndpointRecord> = { ...previous };
  for (const id of removed) delete endpoints[id];
  for (const [id, secrets] of written)
    endpoints[id] = { secrets, applied_at: now.toISOString(), plan_checksum: planChecksum };
  const next: StateFile = {
    format_version: 1,
    clusters: { ...file.clusters, [state.key]: { salt: state.salt, endpoints: sortObject(endpoints) } },
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, path);
}

function readState(path: string): StateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format_version: 1, clusters: {} };
    throw new InferctlError(
      'state_unreadable',
      `cannot read the state file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as StateFile;
    if (parsed.format_version !== 1 || typeof parsed.clusters !== 'object') throw new Error('unknown format');
    return parsed;
  } catch (error) {
    throw new InferctlError(
      'state_invalid',
      `the state file ${path} is not valid: ${(error as Error).message}`,
      {
        hint: 'restore it from a backup or delete it (secrets then show as "cannot verify" until the next apply)',
      },
    );
  }
}

function sortObject<T>(object: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}
