/**
 * What the inventory records about a change just made: shared by apply and drift --fix.
 */
import { createHash } from 'node:crypto';
import { getService, secretFields } from '../catalog/index.js';
import { compileChange } from '../engine/compile.js';
import { secretFingerprints } from '../engine/secrets.js';
import type { Change } from '../engine/types.js';
import { whoAmI } from '../inventory/cluster.js';
import type { InventoryRecord } from '../inventory/types.js';
import type { EndpointManifest } from '../manifest/load.js';
import { canonicalJson } from '../util/json.js';

/**
 * The inventory record of a manifest just applied; secrets fingerprinted only when they were sent. `createdOn` is
 * the cluster's version when this apply created the endpoint (a create or a replacement); otherwise the previous
 * record's is kept.
 */
export function inventoryRecord(
  manifest: EndpointManifest,
  saltIfSent: string | undefined,
  previous: InventoryRecord | undefined,
  planChecksum: string,
  env: NodeJS.ProcessEnv,
  createdOn?: string,
): InventoryRecord {
  const service = getService(manifest.spec.service)!;
  const secrets =
    saltIfSent !== undefined ? secretFingerprints(manifest, service, saltIfSent) : (previous?.secrets ?? {});
  const commit = env['GITHUB_SHA'] ?? env['CI_COMMIT_SHA'] ?? env['INFERCTL_GIT_COMMIT'];
  return {
    id: manifest.id,
    kind: 'InferenceEndpoint',
    secrets,
    protect: manifest.protect,
    source: `${manifest.source.file}:${manifest.source.line}`,
    spec_checksum:
      'sha256:' +
      createHash('sha256')
        .update(canonicalJson({ spec: manifest.spec, secrets }))
        .digest('hex'),
    applied_at: new Date().toISOString(),
    applied_by: whoAmI('inferctl apply').owner,
    ...(commit ? { git_commit: commit } : {}),
    plan_checksum: planChecksum,
    ...((createdOn ?? previous?.created_on) ? { created_on: createdOn ?? previous?.created_on } : {}),
  };
}

/** The version to record as `created_on` for a change just written, if it created the endpoint. */
export function createdOnFor(change: Change, version: string): string | undefined {
  return change.action === 'create' || change.action === 'replace' ? version : undefined;
}

/** Did the change send the endpoint's secrets (so that their fingerprints now describe the cluster)? */
export function sentSecrets(
  change: Change,
  manifest: EndpointManifest,
  snapshot: { capabilities: Parameters<typeof compileChange>[2] },
): boolean {
  const names = secretFields(getService(manifest.spec.service)!);
  if (names.length === 0) return false;
  return compileChange(change, manifest, snapshot.capabilities).some((step) => {
    if (step.kind === 'delete') return false;
    const settings = (step.body['service_settings'] ?? {}) as Record<string, unknown>;
    return names.some((n) => n in settings);
  });
}
