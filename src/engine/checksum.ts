/**
 * The plan checksum: what a reviewer approved, in one string. `apply --plan` and the Action's
 * `expected-checksum` refuse a fresh plan whose checksum differs.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';

/**
 * SHA-256 over the plan's canonical JSON without presentation-only parts (where a manifest lives), plus
 * the fingerprints of the secrets the manifests would send — so a secret changed after review changes
 * the checksum although the plan never shows secret values.
 */
export function planChecksum(
  body: { changes: readonly unknown[] } & Record<string, unknown>,
  fingerprints: unknown,
): string {
  const changes = body.changes.map((c) => {
    const { source: _source, ...rest } = c as Record<string, unknown>;
    return rest;
  });
  const content = { ...body, changes, secrets: fingerprints };
  return 'sha256:' + createHash('sha256').update(canonicalJson(content)).digest('hex');
}
