/**
 * The first half of `plan` and `apply`: manifests validated (nothing is sent to the cluster while any is
 * invalid), cluster read, manifests checked against its version, fingerprints loaded, plan made.
 */
import { planCluster, readCluster, type ClusterSnapshot } from '../core/reconcile.js';
import type { Plan } from '../engine/types.js';
import { InferctlError } from '../errors.js';
import { loadManifests, type EndpointManifest } from '../manifest/load.js';
import { checkForVersion } from '../manifest/version-check.js';
import { formatValidationText } from '../render/diagnostics.js';
import { readClusterState, type ClusterState } from '../state/local.js';
import type { CliIO } from './command.js';
import type { Target } from './target.js';
import { styleFor } from './util.js';

export interface Prepared {
  readonly manifests: readonly EndpointManifest[];
  readonly snapshot: ClusterSnapshot;
  readonly plan: Plan;
  readonly state: ClusterState;
}

export interface PrepareOptions {
  readonly rotateSecrets?: boolean;
  readonly allowLiteralSecrets?: boolean;
}

/** Throws `InferctlError('invalid_manifests')` after printing the diagnostics, when there are any. */
export async function prepare(target: Target, io: CliIO, options: PrepareOptions): Promise<Prepared> {
  const loaded = loadManifests(target.paths, {
    cwd: io.cwd,
    env: io.env,
    allowLiteralSecrets: Boolean(options.allowLiteralSecrets),
  });
  const style = styleFor(io.stderr, io.env);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) {
    io.stderr.write(
      formatValidationText(
        { files: loaded.files.length, manifests: loaded.manifests.length, diagnostics: loaded.diagnostics },
        style,
      ),
    );
    throw new InferctlError(
      'invalid_manifests',
      'the manifests have errors; nothing was sent to the cluster',
      {
        hint: 'fix them (inferctl validate shows the same list) and run again',
      },
    );
  }
  target.log.info({ files: loaded.files.length, manifests: loaded.manifests.length }, 'manifests loaded');
  const snapshot = await readCluster(target.client);
  target.log.info({ version: snapshot.info.version, endpoints: snapshot.live.length }, 'cluster read');
  const versionProblems = checkForVersion(loaded.manifests, snapshot.info.version);
  if (versionProblems.length) {
    io.stderr.write(
      formatValidationText(
        { files: loaded.files.length, manifests: loaded.manifests.length, diagnostics: versionProblems },
        style,
      ),
    );
    throw new InferctlError(
      'invalid_manifests',
      `the manifests ask for what Elasticsearch ${snapshot.info.version} does not have`,
      {
        hint:
          'change the manifests, or validate against this version with inferctl validate --es-version ' +
          snapshot.info.version,
      },
    );
  }
  const state = readClusterState(target.stateFile, snapshot.info.clusterUuid ?? target.connection.url);
  const plan = await planCluster(target.client, snapshot, loaded.manifests, {
    url: target.connection.url,
    salt: state.salt,
    ...(state.recorded ? { recordedSecrets: state.recorded } : {}),
    ...(options.rotateSecrets ? { rotateSecrets: true } : {}),
  });
  return { manifests: loaded.manifests, snapshot, plan, state };
}
