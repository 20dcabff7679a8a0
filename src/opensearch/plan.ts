/**
 * The pure OpenSearch planner: `(desired, live, capabilities, options) → OpenSearchPlan`, byte for byte
 * the same for the same inputs. It imports nothing that does I/O.
 *
 * What it decides:
 * - dependency order: connector → model group → model → deploy; deletions in reverse, undeploy first;
 * - model changes the Update Model API (2.12+) makes in place are one update; a switch between an inline
 *   and a stand-alone connector, a non-remote model, or a cluster without the API means re-registering
 *   (replace: the model gets a new id, so it needs --allow-disruption);
 * - a stand-alone connector change while deployed models use it is `undeploy → update connector →
 *   redeploy` of every such model, marked as downtime, blocked unless released with --allow-disruption,
 *   with the zero-downtime alternative as a hint;
 * - a guard model named by manifest (`guardrails.*.model`) resolves to its id, is registered and deployed
 *   before the models that call it, and is not pruned while a model still calls it;
 * - a stand-alone connector value its update cannot remove (merged parameters, omitted fields) means a
 *   replacement without downtime: the connector is created anew, its models switched to it in place
 *   (Update Model API connector_id), then the old one deleted — one `replace` carrying every change;
 * - `rate_limiter` (and other merged model fields) cannot be removed: the plan says so instead of pretending;
 * - secrets are compared by fingerprint (rotation), never read back.
 */
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { planChecksum } from '../engine/checksum.js';
import { SECRET_PLACEHOLDER, type DiffEntry } from '../engine/types.js';
import { Secret } from '../manifest/secrets.js';
import { canonicalJson } from '../util/json.js';
import {
  compareSpec,
  escape,
  nestedReferences,
  referencedIds,
  withResolvedReferences,
  type OpenSearchDifference,
} from './compare.js';
import { resolveIdentities } from './identity.js';
import {
  holdsConnector,
  isDeployed,
  isDeploying,
  modelState,
  stringField,
  type LiveObject,
  type OpenSearchLive,
} from './live.js';
import {
  byKind,
  compareStrings,
  objectKey,
  parseKey,
  type OpenSearchKind,
  type OpenSearchManifest,
  type OpenSearchModelManifest,
  undeclaredModelKey,
} from './kinds.js';
import type {
  OpenSearchAction,
  OpenSearchChange,
  OpenSearchConflict,
  OpenSearchPlan,
  OpenSearchPlanSummary,
  OpenSearchReason,
} from './types.js';

/** What inferctl owns on the cluster (its inventory), by key. */
export interface OwnedObject {
  readonly id: string;
  readonly protect: boolean;
}

export interface OpenSearchPlanOptions {
  /** Resend every credential (`--rotate-secrets`). */
  readonly rotateSecrets?: boolean;
  /** Fingerprints recorded at the last apply, by key; absent = no inventory yet. */
  readonly recordedSecrets?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly salt?: string;
  /** The inventory's records: key → id (and protect). */
  readonly owned?: ReadonlyMap<string, OwnedObject>;
  /** Where the inventory lives, for the plan's header. */
  readonly inventory?: string;
  /** Delete owned objects no longer declared (`--prune`). */
  readonly prune?: boolean;
  /** Most deletions a plan may contain (default 1 when pruning). */
  readonly maxDeletes?: number;
  readonly allowDeleteAll?: boolean;
  /**
   * Names (or `kind/name` keys) whose disruptive change may go ahead: a connector update that undeploys
   * the models using it, a model re-registration (new id).
   */
  readonly allowDisruption?: ReadonlySet<string>;
  /** What the cluster's version does differently with a declared value (version-check warnings), as plan notes. */
  readonly versionNotes?: readonly string[];
}

export interface OpenSearchPlanInput {
  readonly desired: readonly OpenSearchManifest[];
  readonly live: OpenSearchLive;
  readonly capabilities: OpenSearchCapabilities;
  readonly target: { readonly url: string };
  readonly options?: OpenSearchPlanOptions;
}

/** The place a change runs in when nothing else orders it (lower first). */
function rank(change: Pick<OpenSearchChange, 'kind' | 'action'>): number {
  if (change.action === 'undeploy') return 0;
  if (change.action === 'delete')
    return change.kind === 'OpenSearchModel' ? 5 : change.kind === 'OpenSearchModelGroup' ? 6 : 7;
  if (change.action === 'deploy') return 4;
  return change.kind === 'OpenSearchConnector' ? 1 : change.kind === 'OpenSearchModelGroup' ? 2 : 3;
}

/** A change under construction: dependencies are collected as keys, then ordered. */
type Draft = { -readonly [K in keyof OpenSearchChange]: OpenSearchChange[K] } & {
  dependsOn: string[];
  reasons: OpenSearchReason[];
  diff: DiffEntry[];
  warnings: string[];
  hints: string[];
};

/** Fingerprints of a credential map, by `credential.<key>` (the map is replaced as a whole on update). */
export function credentialFingerprints(
  credential: Readonly<Record<string, Secret>> | undefined,
  salt: string,
  prefix = 'credential',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(credential ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
    if (v instanceof Secret) out[`${prefix}.${k}`] = v.fingerprint(salt);
  }
  return out;
}

/** The fingerprints a manifest's secrets have (stand-alone or inline connector credential). */
export function manifestFingerprints(manifest: OpenSearchManifest, salt: string): Record<string, string> {
  if (manifest.kind === 'OpenSearchConnector') return credentialFingerprints(manifest.spec.credential, salt);
  if (manifest.kind === 'OpenSearchModel' && typeof manifest.spec.connector === 'object') {
    return credentialFingerprints(manifest.spec.connector.credential, salt, 'connector.credential');
  }
  return {};
}

/**
 * Computes the plan.
 *
 * @example
 * const p = buildOpenSearchPlan({ desired, live, capabilities: openSearchCapabilitiesFor('2.19.0'), target: { url } });
 * p.summary // { create: 3, deploy: 1, … }
 */
export function buildOpenSearchPlan(input: OpenSearchPlanInput): OpenSearchPlan {
  const { desired, live, capabilities: caps } = input;
  const options = input.options ?? {};
  const salt = options.salt ?? '';
  const owned = options.owned ?? new Map<string, OwnedObject>();
  const ownedIds = new Map([...owned].map(([k, o]) => [k, o.id]));
  const { matched, conflicts: nameConflicts } = resolveIdentities(desired, live, ownedIds);
  const conflicts: OpenSearchConflict[] = [...nameConflicts];
  const conflicted = new Set(conflicts.map((c) => c.key));
  const { connectors, groups, models } = byKind(desired);
  const drafts = new Map<string, Draft>();
  const unchanged: string[] = [];
  const unverifiable: string[] = [];
  const notes: string[] = [...(options.versionNotes ?? [])];
  const fingerprintsForChecksum: Record<string, Record<string, string>> = {};
  const allowed = (kind: OpenSearchKind, name: string) =>
    options.allowDisruption?.has(name) === true ||
    options.allowDisruption?.has(objectKey(kind, name)) === true;

  const draft = (
    kind: OpenSearchKind,
    name: string,
    action: OpenSearchAction,
    base: Partial<Draft> & { key?: string } = {},
  ): Draft => {
    const key =
      base.key ??
      `${objectKey(kind, name)}${action === 'deploy' || action === 'undeploy' ? `#${action}` : ''}`;
    const existing = drafts.get(key);
    if (existing) return existing;
    const d: Draft = {
      key,
      kind,
      action,
      name,
      reasons: [],
      diff: [],
      dependsOn: [],
      warnings: [],
      hints: [],
      ...base,
    };
    drafts.set(key, d);
    return d;
  };
  /** The undeploy of a deployed model its manifest declares `deploy: false` (`when` adds to the reason). */
  const undeployDeclared = (m: OpenSearchManifest, l: LiveObject, when = ''): Draft => {
    const undeploy = draft('OpenSearchModel', m.name, 'undeploy', {
      id: l.id,
      diff: [stateEntry(l, 'UNDEPLOYED')],
      source: sourceOf(m),
    });
    undeploy.reasons.push({
      code: 'undeploy',
      message: `deploy: false — undeployed (the model stays registered)${when}`,
    });
    return undeploy;
  };
  const sourceOf = (m: OpenSearchManifest) => ({
    get file() {
      return m.source.file;
    },
    get line() {
      return m.source.line;
    },
  });

  // Which live connector/group id a reference resolves to after the plan: the live id, or a placeholder
  // for an object this plan creates.
  const pendingId = (key: string) => `(id of ${key}, created by this plan)`;
  // A replaced object (a connector created anew, a model re-registered) gets a new id.
  const resolvedId = (key: string): string =>
    drafts.get(key)?.action === 'replace' ? pendingId(key) : (matched.get(key)?.id ?? pendingId(key));
  /** Connectors this plan replaces: the delete of the old one, which waits for every user to move. */
  const replacedConnectors: { key: string; name: string; oldId: string; remove: Draft }[] = [];

  // ---- connectors ----------------------------------------------------------------------------------
  /** Models (live) that each connector id serves, and where each declared model's connector will point. */
  const desiredConnectorOf = new Map<string, string | undefined>();
  for (const m of models) {
    desiredConnectorOf.set(
      objectKey('OpenSearchModel', m.name),
      typeof m.spec.connector === 'string'
        ? resolvedId(objectKey('OpenSearchConnector', m.spec.connector))
        : undefined,
    );
  }
  const declaredModelByLiveId = new Map<string, OpenSearchModelManifest>();
  for (const m of models) {
    const l = matched.get(objectKey('OpenSearchModel', m.name));
    if (l) declaredModelByLiveId.set(l.id, m);
  }

  for (const c of connectors) {
    const key = objectKey('OpenSearchConnector', c.name);
    if (conflicted.has(key)) continue;
    const fingerprints = credentialFingerprints(c.spec.credential, salt);
    if (Object.keys(fingerprints).length) fingerprintsForChecksum[key] = fingerprints;
    const l = matched.get(key);
    if (!l) {
      draft('OpenSearchConnector', c.name, 'create', {
        reasons: [{ code: 'new', message: 'not on the cluster' }],
        diff: creationDiff(c.spec as unknown as Record<string, unknown>, new Set(['credential'])),
        source: sourceOf(c),
      });
      continue;
    }
    const comparison = compareSpec(
      'OpenSearchConnector',
      c.spec as unknown as Record<string, unknown>,
      l.source,
      caps,
    );
    // A value the manifest no longer declares and the Update Connector API cannot remove (it merges
    // parameters, keeps an omitted description, actions or client_config,): the connector is
    // replaced without downtime — created anew with the declared content, every model that uses it
    // switched to the new one in place (Update Model API connector_id, 2.12+, no undeploy), then the
    // old one deleted. The replacement carries every other change too.
    if (comparison.stuck.length && caps.updateConnectorApi && caps.updateModelApi) {
      const stuckFields = comparison.stuck.map((s) => s.path);
      const users = live.models
        .filter((m) => stringField(m.source, 'connector_id') === l.id)
        .sort((a, b) => compareStrings(modelLabel(a), modelLabel(b)));
      const replace = draft('OpenSearchConnector', c.name, 'replace', {
        id: l.id,
        source: sourceOf(c),
        diff: [
          ...comparison.stuck.map((s): DiffEntry => ({
            op: 'remove',
            path: s.path,
            before: s.value,
            mode: 'replace',
            why: 'no longer declared, and PUT /_plugins/_ml/connectors/<id> cannot remove it',
          })),
          ...comparison.differences.map((d) => entry(d, 'replace', 'part of the new connector')),
          ...creationDiff({ credential: c.spec.credential }, new Set(['credential'])).map((e) => ({
            ...e,
            mode: 'replace' as const,
            why: 'the new connector is created with the declared credential',
          })),
        ].sort((a, b) => compareStrings(a.path, b.path)),
        reasons: [
          {
            code: 'cannot_remove',
            message: `${stuckFields.map((f) => f.slice(1).replace(/\//g, '.')).join(', ')} ${stuckFields.length > 1 ? 'are' : 'is'} no longer declared and the Update Connector API cannot remove ${stuckFields.length > 1 ? 'them' : 'it'} (it merges parameters and keeps omitted fields): replaced without downtime — a new connector is created with the declared content, ${users.length ? `the models that use it (${users.map(modelLabel).join(', ')}) are switched to it in place with the Update Model API (no undeploy)` : 'no model uses it'}, then the old one (${l.id}) is deleted`,
            fields: stuckFields,
          },
        ],
        warnings: [
          `the connector gets a new id: anything outside these manifests that names ${l.id} (an agent, a script) must be updated`,
        ],
      });
      if (c.protect) {
        replace.blocked = {
          reason: `${c.name} is protected (metadata.protect: true) and this change replaces it (a new id)`,
          hint: 'declare the removed values again, or remove protect: true deliberately',
        };
      }
      const remove = draft('OpenSearchConnector', c.name, 'delete', {
        key: `${key}#old`,
        id: l.id,
        reasons: [
          {
            code: 'cannot_remove',
            message: `the old connector, deleted once every model has moved to the new ${c.name}`,
          },
        ],
        diff: [{ op: 'remove', path: '/name', before: c.name, mode: 'replace' }],
        dependsOn: [key],
        source: sourceOf(c),
      });
      if (replace.blocked) remove.blocked = replace.blocked;
      replacedConnectors.push({ key, name: c.name, oldId: l.id, remove });
      // Models no manifest declares are switched too: the old connector cannot go while they use it.
      for (const user of users.filter((m) => !declaredModelByLiveId.has(m.id))) {
        const switchKey = undeclaredModelKey(user.id);
        draft('OpenSearchModel', modelLabel(user), 'update', {
          key: switchKey,
          id: user.id,
          diff: [
            {
              op: 'replace',
              path: '/connector_id',
              before: l.id,
              after: pendingId(key),
              mode: 'in-place',
              why: `switched to the new connector ${c.name} in place (no undeploy)`,
            },
          ],
          reasons: [
            {
              code: 'reference_changed',
              message: `connector ${c.name} is replaced: switched to the new one with the Update Model API (no undeploy)`,
              fields: ['/connector_id'],
            },
          ],
          warnings: [
            'not declared in the manifests: only switched to the new connector, otherwise left alone',
          ],
          dependsOn: [key],
        });
        remove.dependsOn.push(switchKey);
      }
      continue;
    }
    const secrets = secretChanges(key, fingerprints, options, 'credential');
    if (secrets.unverifiable) unverifiable.push(key);
    const warnings = [
      ...stuckWarnings('connector', comparison.stuck, 'PUT /_plugins/_ml/connectors merges parameters'),
      ...(secrets.warning ? [secrets.warning] : []),
    ];
    if (comparison.differences.length === 0 && secrets.entries.length === 0) {
      unchanged.push(key);
      if (warnings.length) notes.push(...warnings.map((w) => `${key}: ${w}`));
      continue;
    }
    const diff: DiffEntry[] = [
      ...comparison.differences.map((d) =>
        entry(d, 'in-place', 'changed in place with PUT /_plugins/_ml/connectors/<id>'),
      ),
      ...secrets.entries,
    ];
    const d = draft('OpenSearchConnector', c.name, 'update', {
      id: l.id,
      diff,
      source: sourceOf(c),
      warnings,
    });
    const fields = comparison.differences.map((x) => `/${x.field}`).filter(unique);
    if (fields.length)
      d.reasons.push({
        code: 'in_place',
        message: 'can be changed in place with the Update Connector API',
        fields,
      });
    if (secrets.reason) d.reasons.push(secrets.reason);
    if (!caps.updateConnectorApi) {
      d.blocked = {
        reason: `OpenSearch ${caps.version} has no Update Connector API (it arrived in 2.12)`,
        hint: `declare a new connector under another name and re-register the models on it, or upgrade to 2.12`,
      };
      continue;
    }
    // refused while a deployed model uses the connector. Models this plan points elsewhere first
    // (their connector_id switches in place) are not users any more.
    const users = live.models
      .filter((m) => stringField(m.source, 'connector_id') === l.id && holdsConnector(m))
      .filter((m) => {
        const declared = declaredModelByLiveId.get(m.id);
        if (!declared) return true;
        const next = desiredConnectorOf.get(objectKey('OpenSearchModel', declared.name));
        return next === l.id;
      })
      .sort((a, b) => compareStrings(modelLabel(a), modelLabel(b)));
    const switching = live.models.filter((m) => {
      const declared = declaredModelByLiveId.get(m.id);
      if (!declared || stringField(m.source, 'connector_id') !== l.id) return false;
      return desiredConnectorOf.get(objectKey('OpenSearchModel', declared.name)) !== l.id;
    });
    for (const m of switching) {
      const declared = declaredModelByLiveId.get(m.id)!;
      d.dependsOn.push(objectKey('OpenSearchModel', declared.name));
    }
    // A declared model with `deploy: false` is undeployed by this plan anyway: before the connector update, with
    // no redeploy, no downtime and no consent needed (nothing it serves is lost that the manifest keeps).
    const leaving = users.filter((m) => declaredModelByLiveId.get(m.id)?.spec.deploy === false);
    for (const user of leaving) {
      const declared = declaredModelByLiveId.get(user.id)!;
      d.dependsOn.push(undeployDeclared(declared, user, `, before connector ${c.name} is updated`).key);
    }
    const serving = users.filter((m) => !leaving.includes(m));
    if (serving.length === 0) continue;
    const names = serving.map(modelLabel);
    d.downtime = true;
    d.reasons.push({
      code: 'connector_in_use',
      message: `deployed models use it (${names.join(', ')}): OpenSearch refuses to update a connector while they are deployed, so they are undeployed first and redeployed after — downtime`,
    });
    d.hints.push(
      `zero downtime instead: declare a new connector (e.g. ${c.name}-2) with this change and point ${serving.length > 1 ? 'the models' : 'the model'} at it (spec.connector): the Update Model API switches connector_id in place while deployed; then remove ${c.name}`,
    );
    const blocked = allowed('OpenSearchConnector', c.name)
      ? undefined
      : {
          reason: `updating connector ${c.name} undeploys ${names.join(', ')} until the update is done`,
          hint: `pass --allow-disruption ${c.name} to accept the downtime, or see the zero-downtime alternative`,
        };
    if (blocked) d.blocked = blocked;
    for (const user of serving) {
      const declared = declaredModelByLiveId.get(user.id);
      const name = declared?.name ?? modelLabel(user);
      const baseKey = declared
        ? objectKey('OpenSearchModel', declared.name)
        : objectKey('OpenSearchModel', `id:${user.id}`);
      const undeploy = draft('OpenSearchModel', name, 'undeploy', {
        key: `${baseKey}#undeploy`,
        id: user.id,
        downtime: true,
        diff: [stateEntry(user, 'UNDEPLOYED')],
        ...(declared ? { source: sourceOf(declared) } : {}),
      });
      undeploy.downtime = true;
      undeploy.reasons.push({
        code: 'connector_in_use',
        message: `connector ${c.name} changes, which OpenSearch allows only while no deployed model uses it`,
      });
      if (!declared)
        undeploy.warnings.push(
          'not declared in the manifests: undeployed and redeployed for the connector update, otherwise left alone',
        );
      if (blocked) undeploy.blocked = blocked;
      d.dependsOn.push(undeploy.key);
      const redeploy = draft('OpenSearchModel', name, 'deploy', {
        key: `${baseKey}#deploy`,
        id: user.id,
        diff: [
          { op: 'replace', path: '/model_state', before: 'UNDEPLOYED', after: 'DEPLOYED', mode: 'in-place' },
        ],
        ...(declared ? { source: sourceOf(declared) } : {}),
      });
      redeploy.reasons.push({ code: 'redeploy', message: `redeployed after connector ${c.name} is updated` });
      redeploy.dependsOn.push(d.key, undeploy.key);
      if (blocked) redeploy.blocked = blocked;
    }
  }

  // ---- model groups --------------------------------------------------------------------------------
  for (const g of groups) {
    const key = objectKey('OpenSearchModelGroup', g.name);
    const l = matched.get(key);
    if (!l) {
      draft('OpenSearchModelGroup', g.name, 'create', {
        reasons: [{ code: 'new', message: 'not on the cluster' }],
        diff: creationDiff(g.spec as unknown as Record<string, unknown>, new Set()),
        source: sourceOf(g),
      });
      continue;
    }
    const comparison = compareSpec(
      'OpenSearchModelGroup',
      g.spec as unknown as Record<string, unknown>,
      l.source,
      caps,
    );
    const warnings = stuckWarnings(
      'model group',
      comparison.stuck,
      'a blank description is ignored on update',
    );
    if (comparison.differences.length === 0) {
      unchanged.push(key);
      if (warnings.length) notes.push(...warnings.map((w) => `${key}: ${w}`));
      continue;
    }
    draft('OpenSearchModelGroup', g.name, 'update', {
      id: l.id,
      reasons: [
        {
          code: 'in_place',
          message: 'can be changed in place with the Update Model Group API',
          fields: comparison.differences.map((x) => `/${x.field}`).filter(unique),
        },
      ],
      diff: comparison.differences.map((x) =>
        entry(x, 'in-place', 'changed in place with PUT /_plugins/_ml/model_groups/<id>'),
      ),
      source: sourceOf(g),
      warnings,
    });
  }

  // ---- models --------------------------------------------------------------------------------------
  // A model another one names (a guard model) is planned first: whether it is created or re-registered
  // here decides the id the other one is given.
  const modelRefs = new Map(
    models.map((m) => [
      m.name,
      nestedReferences('OpenSearchModel', m.spec as unknown as Record<string, unknown>),
    ]),
  );
  const resolvedModelId = (key: string): string => {
    const d = drafts.get(key);
    return d && (d.action === 'create' || d.action === 'replace') ? pendingId(key) : resolvedId(key);
  };
  const desiredSpecs = new Map<string, Record<string, unknown>>();
  for (const m of referencesFirst(models, modelRefs)) {
    const key = objectKey('OpenSearchModel', m.name);
    const refs = modelRefs.get(m.name) ?? [];
    const resolvedSpec = withResolvedReferences(
      'OpenSearchModel',
      m.spec as unknown as Record<string, unknown>,
      resolvedModelId,
    );
    desiredSpecs.set(key, resolvedSpec);
    const groupKey = objectKey('OpenSearchModelGroup', m.spec.model_group);
    const connectorKey =
      typeof m.spec.connector === 'string' ? objectKey('OpenSearchConnector', m.spec.connector) : undefined;
    const upstream = [groupKey, ...(connectorKey ? [connectorKey] : [])].filter((k) => conflicted.has(k));
    if (conflicted.has(key) || upstream.length) {
      if (!conflicted.has(key)) {
        conflicts.push({
          key,
          ids: [],
          message: `cannot be planned: ${upstream.join(' and ')} ${upstream.length > 1 ? 'are' : 'is'} ambiguous`,
        });
      }
      continue;
    }
    const fingerprints = manifestFingerprints(m, salt);
    if (Object.keys(fingerprints).length) fingerprintsForChecksum[key] = fingerprints;
    const wantDeployed = m.spec.deploy !== false;
    const needsUpstream = [groupKey, ...(connectorKey ? [connectorKey] : [])].filter((k) => {
      const c = drafts.get(k);
      return c !== undefined && (c.action === 'create' || c.action === 'replace');
    });
    // A guard model is registered (or re-registered) and deployed before the model that calls it.
    for (const ref of refs) {
      const c = drafts.get(ref.key);
      if (c && (c.action === 'create' || c.action === 'replace')) needsUpstream.push(ref.key);
      if (drafts.has(`${ref.key}#deploy`)) needsUpstream.push(`${ref.key}#deploy`);
    }
    const l = matched.get(key);
    if (!l) {
      const create = draft('OpenSearchModel', m.name, 'create', {
        reasons: [{ code: 'new', message: `not in model group ${m.spec.model_group} on the cluster` }],
        diff: modelCreationDiff(
          { ...m, spec: resolvedSpec as unknown as OpenSearchModelManifest['spec'] },
          resolvedId(groupKey),
          connectorKey ? resolvedId(connectorKey) : undefined,
        ),
        source: sourceOf(m),
        dependsOn: [...needsUpstream],
      });
      if (wantDeployed) {
        draft('OpenSearchModel', m.name, 'deploy', {
          diff: [
            {
              op: 'replace',
              path: '/model_state',
              before: 'REGISTERED',
              after: 'DEPLOYED',
              mode: 'in-place',
            },
          ],
          reasons: [{ code: 'deploy', message: 'deployed and waited for until DEPLOYED' }],
          source: sourceOf(m),
          dependsOn: [create.key],
        });
      }
      continue;
    }
    const comparison = compareSpec('OpenSearchModel', resolvedSpec, l.source, caps);
    const diff: DiffEntry[] = [];
    const replaceReasons: OpenSearchReason[] = [];
    const inPlaceFields: string[] = [];
    const warnings = stuckWarnings('model', comparison.stuck, 'the Update Model API merges it');
    // References: the group and the stand-alone connector, by id.
    const liveGroup = stringField(l.source, 'model_group_id');
    const wantGroup = resolvedId(groupKey);
    if (liveGroup !== wantGroup) {
      diff.push({
        op: 'replace',
        path: '/model_group_id',
        before: liveGroup,
        after: wantGroup,
        mode: 'in-place',
        why: `moved to model group ${m.spec.model_group} (as a new version of it)`,
      });
      inPlaceFields.push('/model_group_id');
    }
    const algorithm = stringField(l.source, 'algorithm');
    const remote = algorithm === undefined || algorithm === 'REMOTE';
    if (!remote) {
      diff.push({
        op: 'replace',
        path: '/function_name',
        before: algorithm,
        after: 'REMOTE',
        mode: 'replace',
        why: 'the function of a model is fixed at registration',
      });
      replaceReasons.push({
        code: 'register_only',
        message: `the live model is a ${algorithm} model, not a remote one`,
        fields: ['/function_name'],
      });
    }
    const liveConnectorId = stringField(l.source, 'connector_id');
    const liveInline = typeof l.source['connector'] === 'object' && l.source['connector'] !== null;
    if (!remote) {
      // A local model has no connector to compare: it is re-registered as a remote one anyway.
    } else if (connectorKey) {
      const wantConnector = resolvedId(connectorKey);
      if (liveInline || liveConnectorId === undefined) {
        diff.push({
          op: 'replace',
          path: '/connector_id',
          before: liveConnectorId ?? '(inline connector)',
          after: wantConnector,
          mode: 'replace',
          why: 'an inline connector cannot become a stand-alone one in place',
        });
        replaceReasons.push({
          code: 'register_only',
          message:
            'the model was registered with an inline connector: switching to a stand-alone connector re-registers it',
          fields: ['/connector'],
        });
      } else if (liveConnectorId !== wantConnector) {
        const replaced = drafts.get(connectorKey)?.action === 'replace';
        diff.push({
          op: 'replace',
          path: '/connector_id',
          before: liveConnectorId,
          after: wantConnector,
          mode: 'in-place',
          why: replaced
            ? `connector ${String(m.spec.connector)} is replaced: switched to the new one in place (no undeploy)`
            : `switched to connector ${String(m.spec.connector)} in place (no undeploy)`,
        });
        inPlaceFields.push('/connector_id');
      }
    } else if (!liveInline) {
      diff.push({
        op: 'replace',
        path: '/connector',
        before: liveConnectorId,
        after: '(inline connector)',
        mode: 'replace',
        why: 'a stand-alone connector cannot become an inline one in place',
      });
      replaceReasons.push({
        code: 'register_only',
        message:
          'the model was registered with a stand-alone connector: switching to an inline connector re-registers it',
        fields: ['/connector'],
      });
    }
    for (const difference of comparison.differences) {
      const inlineSwitch =
        difference.field === 'connector' && replaceReasons.some((r) => r.fields?.includes('/connector'));
      if (inlineSwitch) continue;
      if (caps.updateModelApi) {
        diff.push(entry(difference, 'in-place', 'changed in place with the Update Model API'));
        inPlaceFields.push(`/${difference.field}`);
      } else {
        diff.push(entry(difference, 'replace', `OpenSearch ${caps.version} has no Update Model API (2.12+)`));
        replaceReasons.push({
          code: 'no_update_api',
          message: `OpenSearch ${caps.version} has no Update Model API (it arrived in 2.12)`,
          fields: [`/${difference.field}`],
        });
      }
    }
    const secrets =
      liveInline && !connectorKey
        ? secretChanges(key, fingerprints, options, 'connector/credential')
        : { entries: [] as DiffEntry[] };
    if ('unverifiable' in secrets && secrets.unverifiable) unverifiable.push(key);
    if ('warning' in secrets && secrets.warning) warnings.push(secrets.warning);
    diff.push(...secrets.entries.map((e) => (caps.updateModelApi ? e : { ...e, mode: 'replace' as const })));
    const deployed = isDeployed(l);
    const deploying = isDeploying(l);
    const state = modelState(l) ?? 'unknown';
    const replace = replaceReasons.length > 0;
    let main: Draft | undefined;
    if (replace) {
      main = draft('OpenSearchModel', m.name, 'replace', {
        id: l.id,
        diff,
        reasons: mergeReasons(replaceReasons),
        source: sourceOf(m),
        warnings: [
          ...warnings,
          `re-registering gives the model a new id: ingest and search pipelines and queries that name ${l.id} must be updated`,
        ],
        dependsOn: [...needsUpstream],
      });
      if (m.protect) {
        main.blocked = {
          reason: `${m.name} is protected (metadata.protect: true) and this change re-registers it`,
          hint: 'change only what can be updated in place, or remove protect: true deliberately',
        };
      } else if (!allowed('OpenSearchModel', m.name)) {
        main.blocked = {
          reason: `re-registering ${m.name} deletes model ${l.id} and registers a new one (a new id; unavailable in between)`,
          hint: `pass --allow-disruption ${m.name} to accept it`,
        };
      }
      if (deployed || deploying) {
        const undeploy = draft('OpenSearchModel', m.name, 'undeploy', {
          id: l.id,
          diff: [stateEntry(l, 'UNDEPLOYED')],
          source: sourceOf(m),
          downtime: true,
        });
        undeploy.downtime = true;
        undeploy.reasons.push({
          code: 'undeploy',
          message: 'a deployed model cannot be deleted: undeployed before it is re-registered',
        });
        if (main.blocked) undeploy.blocked = main.blocked;
        main.dependsOn.push(undeploy.key);
      }
    } else if (diff.length) {
      main = draft('OpenSearchModel', m.name, 'update', {
        id: l.id,
        diff,
        source: sourceOf(m),
        warnings,
        dependsOn: [...needsUpstream],
      });
      const fields = inPlaceFields.filter(unique);
      if (fields.length)
        main.reasons.push({
          code: 'in_place',
          message: 'can be changed in place with the Update Model API (no undeploy)',
          fields,
        });
      if ('reason' in secrets && secrets.reason) main.reasons.push(secrets.reason);
      if (deploying)
        main.warnings.push(
          'the model is DEPLOYING: the update waits until the deployment ends (OpenSearch answers 409 until then)',
        );
    } else {
      if (warnings.length) notes.push(...warnings.map((w) => `${key}: ${w}`));
    }
    // Deployment.
    const redeploy = drafts.get(`${key}#deploy`);
    if (wantDeployed) {
      const needDeploy = replace || (!deployed && !deploying) || state === 'PARTIALLY_DEPLOYED';
      if (needDeploy) {
        const d = redeploy ?? draft('OpenSearchModel', m.name, 'deploy', { id: l.id, source: sourceOf(m) });
        if (!redeploy) {
          d.diff.push({
            op: 'replace',
            path: '/model_state',
            before: state,
            after: 'DEPLOYED',
            mode: 'in-place',
          });
        }
        d.reasons.push({
          code: 'deploy',
          message: replace
            ? 'the new registration is deployed and waited for until DEPLOYED'
            : state === 'PARTIALLY_DEPLOYED'
              ? 'PARTIALLY_DEPLOYED: deployed again to reach every node'
              : `${state}: deployed and waited for until DEPLOYED`,
        });
        if (main) d.dependsOn.push(main.key);
        if (main?.blocked && replace) d.blocked = main.blocked;
      } else if (redeploy && main) redeploy.dependsOn.push(main.key);
      if (deploying && !main && !redeploy) notes.push(`${key}: DEPLOYING; the next apply waits for it`);
    } else if ((deployed || deploying) && !drafts.has(`${key}#undeploy`)) {
      const undeploy = undeployDeclared(m, l);
      if (main) undeploy.dependsOn.push(main.key);
    }
    // The connector's own change was planned before the models: a model that moves away from a connector
    // being updated must switch first.
    if (!main && !drafts.has(`${key}#deploy`) && !drafts.has(`${key}#undeploy`)) unchanged.push(key);
  }

  // ---- replaced connectors: the old one is deleted after every model using it has moved or gone --------
  for (const { name, oldId, remove } of replacedConnectors) {
    const stuck: string[] = [];
    for (const model of live.models) {
      if (stringField(model.source, 'connector_id') !== oldId) continue;
      const moves = [...drafts.values()].filter(
        (o) =>
          o.kind === 'OpenSearchModel' &&
          o.id === model.id &&
          (o.action === 'update' || o.action === 'replace' || o.action === 'delete') &&
          o.diff.some((e) => e.path === '/connector_id' || e.path === '/connector' || o.action !== 'update'),
      );
      if (moves.length) remove.dependsOn.push(...moves.map((o) => o.key));
      else stuck.push(modelLabel(model));
    }
    if (stuck.length && !remove.blocked) {
      remove.blocked = {
        reason: `the old ${name} (${oldId}) is still used by ${stuck.join(', ')}, which this plan does not move: OpenSearch refuses to delete a connector a model uses`,
        hint: `move ${stuck.length > 1 ? 'those models' : 'that model'} to another connector, then delete ${oldId} (DELETE /_plugins/_ml/connectors/${oldId}): inferctl records the new connector, not the old one`,
      };
    }
  }

  // ---- owned objects no longer declared: orphaned, or deleted with --prune ---------------------------
  const declaredKeys = new Set(desired.map((d) => objectKey(d.kind, d.name)));
  const orphaned: string[] = [];
  const deletes: Draft[] = [];
  const liveById = new Map<string, LiveObject>();
  for (const o of [...live.connectors, ...live.groups, ...live.models]) liveById.set(o.id, o);
  for (const [key, record] of [...owned].sort(([a], [b]) => compareStrings(a, b))) {
    if (declaredKeys.has(key)) continue;
    const l = liveById.get(record.id);
    if (!l) continue; // gone already; the inventory forgets it at the next apply
    if (key.endsWith('#old') && parseKey(key).kind === 'OpenSearchConnector') {
      // The old connector of a replacement an earlier apply did not finish (interrupted, or its delete
      // failed): deleting it is the rest of that reviewed change, with or without --prune.
      const { name } = parseKey(key);
      const d = draft('OpenSearchConnector', name, 'delete', {
        id: l.id,
        reasons: [
          {
            code: 'cannot_remove',
            message: `the old connector of an unfinished replacement of ${name.slice(0, -'#old'.length)}: deleted once no model uses it`,
          },
        ],
        diff: [
          { op: 'remove', path: '/name', before: stringField(l.source, 'name') ?? name, mode: 'in-place' },
        ],
      });
      const stuckUsers = live.models.filter(
        (m) =>
          stringField(m.source, 'connector_id') === l.id &&
          ![...drafts.values()].some(
            (o) =>
              o.kind === 'OpenSearchModel' &&
              o.id === m.id &&
              (o.action === 'update' || o.action === 'replace' || o.action === 'delete'),
          ),
      );
      if (stuckUsers.length) {
        d.blocked = {
          reason: `models still use the old connector ${l.id} and this plan does not move them: ${stuckUsers.map(modelLabel).join(', ')}`,
          hint: `point them at ${name.slice(0, -'#old'.length)} (spec.connector), or delete them, then apply again`,
        };
      }
      deletes.push(d);
      continue;
    }
    if (!options.prune) {
      orphaned.push(key);
      continue;
    }
    const { kind, name } = parseKey(key);
    const d = draft(kind, name, 'delete', {
      id: l.id,
      reasons: [{ code: 'not_declared', message: 'owned by inferctl and no longer declared (--prune)' }],
      diff: [{ op: 'remove', path: '/name', before: name, mode: 'replace' }],
    });
    if (record.protect) {
      d.blocked = {
        reason: `${key} was protected (metadata.protect: true) when last applied`,
        hint: `declare it again, or release it from the inventory without deleting`,
      };
    }
    // A model this plan deletes is not redeployed after its connector's update: the undeploy that update
    // needs is the one the delete needs too (else: undeployed, redeployed, then refused deletion).
    const forConnector = [...drafts.values()].filter(
      (o) =>
        o.kind === 'OpenSearchModel' && o.id === l.id && (o.action === 'undeploy' || o.action === 'deploy'),
    );
    const sharedUndeploy = forConnector.find((o) => o.action === 'undeploy');
    for (const o of forConnector) {
      if (o.action !== 'deploy') continue;
      drafts.delete(o.key);
      for (const other of drafts.values()) other.dependsOn = other.dependsOn.filter((k) => k !== o.key);
    }
    if (kind === 'OpenSearchModel' && sharedUndeploy) {
      sharedUndeploy.warnings = [];
      sharedUndeploy.reasons.push({
        code: 'undeploy',
        message: 'a deployed model cannot be deleted: undeployed first (and not redeployed)',
      });
      d.dependsOn.push(sharedUndeploy.key);
    } else if (kind === 'OpenSearchModel' && holdsConnector(l)) {
      const undeploy = draft(kind, name, 'undeploy', { id: l.id, diff: [stateEntry(l, 'UNDEPLOYED')] });
      undeploy.reasons.push({
        code: 'undeploy',
        message: 'a deployed model cannot be deleted: undeployed first',
      });
      undeploy.downtime = true;
      if (d.blocked) undeploy.blocked = d.blocked;
      d.dependsOn.push(undeploy.key);
    }
    deletes.push(d);
  }
  guardDeletes(deletes, owned, liveById, options);
  // A guard model is deleted only after every model that calls it stops doing so (or is deleted too).
  for (const d of deletes) {
    if (d.kind !== 'OpenSearchModel' || d.id === undefined) continue;
    const users: string[] = [];
    // The guard stays deployed until its users have moved off it (or are gone).
    const after = (k: string) => {
      d.dependsOn.push(k);
      drafts.get(`${d.key}#undeploy`)?.dependsOn.push(k);
    };
    for (const model of live.models) {
      if (model.id === d.id || !referencedIds('OpenSearchModel', model.source).includes(d.id)) continue;
      const goes = [...drafts.values()].find((o) => o.action === 'delete' && o.id === model.id);
      const declared = declaredModelByLiveId.get(model.id);
      const key = declared && objectKey('OpenSearchModel', declared.name);
      const main = key && [...drafts.values()].find((o) => o.key === key && o.action !== 'create');
      const stops = key && !referencedIds('OpenSearchModel', desiredSpecs.get(key) ?? {}).includes(d.id);
      if (goes) after(goes.key);
      else if (main && stops) after(main.key);
      else users.push(declared?.name ?? modelLabel(model));
    }
    for (const [key, spec] of desiredSpecs) {
      const name = parseKey(key).name;
      if (referencedIds('OpenSearchModel', spec).includes(d.id) && !users.includes(name)) users.push(name);
    }
    if (users.length && !d.blocked) {
      d.blocked = {
        reason: `${d.name} is the guard model of ${users.sort(compareStrings).join(', ')}: deleting it would leave their guardrails calling a model that does not exist`,
        hint: `remove those guardrails or point them at another guard model first, or declare ${d.name} again`,
      };
      const undeploy = drafts.get(`${d.key}#undeploy`);
      if (undeploy) undeploy.blocked = d.blocked;
    }
  }
  // Deletions in reverse dependency order: a group after the models that leave it, a connector after
  // the models that stop using it.
  for (const d of deletes) {
    if (d.kind === 'OpenSearchModel') continue;
    const field = d.kind === 'OpenSearchModelGroup' ? 'model_group_id' : 'connector_id';
    for (const model of live.models) {
      if (stringField(model.source, field) !== d.id) continue;
      for (const k of [...drafts.keys()]) {
        const other = drafts.get(k)!;
        if (
          other.kind === 'OpenSearchModel' &&
          other.id === model.id &&
          (other.action === 'delete' || other.action === 'update' || other.action === 'replace')
        ) {
          d.dependsOn.push(k);
        }
      }
    }
  }

  // ---- order, notes, summary -----------------------------------------------------------------------
  const changes = order([...drafts.values()]).map(finish);
  if (conflicts.length) {
    notes.push(
      `Nothing can be applied while names are ambiguous (${conflicts.map((c) => c.key).join(', ')}): delete the extra objects, or record the intended id in the inventory.`,
    );
  }
  if (orphaned.length)
    notes.push(
      `Owned by inferctl but no longer declared (deleted only with --prune): ${orphaned.join(', ')}.`,
    );
  if (unverifiable.length) {
    notes.push(
      `Credentials that cannot be verified (no fingerprint recorded): ${unverifiable.join(', ')}; pass --rotate-secrets to resend them.`,
    );
  }
  if (options.recordedSecrets === undefined && Object.keys(fingerprintsForChecksum).length) {
    notes.push(
      'No credential fingerprints are recorded for this cluster yet, so changed credentials cannot be detected; pass --rotate-secrets to resend them.',
    );
  }
  if (!caps.updateModelApi) {
    notes.push(
      `OpenSearch ${caps.version} has no Update Model API (it arrived in 2.12): every change to an existing model re-registers it.`,
    );
  }
  const summary = summarise(changes, unchanged.length, conflicts.length);
  const ids: Record<string, string> = {};
  for (const [key, object] of [...matched].sort(([a], [b]) => compareStrings(a, b))) ids[key] = object.id;
  const body = {
    format_version: 1 as const,
    flavor: 'opensearch' as const,
    target: { url: input.target.url, version: caps.version },
    ...(options.inventory ? { inventory: options.inventory } : {}),
    summary,
    changes,
    unchanged: unchanged.sort(compareStrings),
    ids,
    orphaned,
    unverifiable: unverifiable.sort(compareStrings),
    conflicts: conflicts.sort((a, b) => compareStrings(a.key, b.key)),
    notes,
  };
  return { ...body, checksum: planChecksum(body, fingerprintsForChecksum) };
}

/**
 * Models in name order, except that a model comes after the models it names (guard models). A cycle
 * is refused by validation; were there one, its models keep name order.
 */
function referencesFirst(
  models: readonly OpenSearchModelManifest[],
  refs: ReadonlyMap<string, readonly { key: string; name: string }[]>,
): OpenSearchModelManifest[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const out: OpenSearchModelManifest[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: OpenSearchModelManifest) => {
    if (state.has(m.name)) return;
    state.set(m.name, 'visiting');
    for (const ref of refs.get(m.name) ?? []) {
      const target = byName.get(ref.name);
      if (target && ref.key === objectKey('OpenSearchModel', ref.name)) visit(target);
    }
    state.set(m.name, 'done');
    out.push(m);
  };
  for (const m of models) visit(m);
  return out;
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

function modelLabel(model: LiveObject): string {
  return stringField(model.source, 'name') ?? model.id;
}

function stateEntry(model: LiveObject, after: string): DiffEntry {
  return {
    op: 'replace',
    path: '/model_state',
    before: modelState(model) ?? 'unknown',
    after,
    mode: 'in-place',
  };
}

function entry(d: OpenSearchDifference, mode: DiffEntry['mode'], why: string): DiffEntry {
  return {
    op: d.op,
    path: d.path,
    ...(d.before !== undefined ? { before: d.before } : {}),
    ...(d.after !== undefined ? { after: d.after } : {}),
    mode,
    why,
  };
}

/** A warning per value the manifest no longer declares but the update API cannot remove. */
function stuckWarnings(
  word: string,
  stuck: readonly { path: string; value: unknown }[],
  why: string,
): string[] {
  return stuck.map(
    (s) =>
      `${s.path.slice(1).replace(/\//g, '.')} is no longer declared but stays ${canonicalJson(s.value)}: the ${word}'s update cannot remove it (${why}); ${
        s.path === '/rate_limiter'
          ? 'declare a large limit per small unit to lift it, or re-register the model'
          : 'declare the value you want instead'
      }`,
  );
}

/** Every declared field as an addition; secrets as `(secret)`. */
function creationDiff(spec: Readonly<Record<string, unknown>>, secret: ReadonlySet<string>): DiffEntry[] {
  const entries: DiffEntry[] = [];
  for (const [k, v] of Object.entries(spec).sort(([a], [b]) => compareStrings(a, b))) {
    if (v === undefined) continue;
    if (secret.has(k) && v && typeof v === 'object') {
      for (const name of Object.keys(v).sort(compareStrings)) {
        entries.push({
          op: 'add',
          path: `/${k}/${escape(name)}`,
          after: SECRET_PLACEHOLDER,
          secret: true,
          mode: 'in-place',
        });
      }
      continue;
    }
    entries.push({ op: 'add', path: `/${escape(k)}`, after: v, mode: 'in-place' });
  }
  return entries;
}

function modelCreationDiff(
  m: OpenSearchModelManifest,
  groupId: string,
  connectorId: string | undefined,
): DiffEntry[] {
  const { model_group: _g, connector, deploy: _deploy, ...rest } = m.spec;
  const entries: DiffEntry[] = [
    { op: 'add', path: '/function_name', after: 'remote', mode: 'in-place' },
    { op: 'add', path: '/model_group_id', after: groupId, mode: 'in-place' },
  ];
  if (connectorId !== undefined)
    entries.push({ op: 'add', path: '/connector_id', after: connectorId, mode: 'in-place' });
  else if (typeof connector === 'object') {
    entries.push(
      ...creationDiff(connector as unknown as Record<string, unknown>, new Set(['credential'])).map((e) => ({
        ...e,
        path: `/connector${e.path}`,
      })),
    );
  }
  entries.push(...creationDiff(rest as Record<string, unknown>, new Set()));
  return entries;
}

interface SecretChanges {
  readonly entries: DiffEntry[];
  readonly reason?: OpenSearchReason;
  readonly warning?: string;
  readonly unverifiable?: boolean;
}

/** Credentials whose fingerprint differs from the recorded one (all of them with --rotate-secrets). */
function secretChanges(
  key: string,
  fingerprints: Readonly<Record<string, string>>,
  options: OpenSearchPlanOptions,
  pointer: string,
): SecretChanges {
  const names = Object.keys(fingerprints).sort(compareStrings);
  if (names.length === 0) return { entries: [] };
  const toEntry = (name: string): DiffEntry => ({
    op: 'replace',
    path: `/${pointer}/${escape(name.slice(name.lastIndexOf('.') + 1))}`,
    before: SECRET_PLACEHOLDER,
    after: SECRET_PLACEHOLDER,
    secret: true,
    mode: 'in-place',
    why: 'the credential map is replaced as a whole',
  });
  const paths = (list: readonly string[]) => list.map((n) => toEntry(n).path);
  if (options.rotateSecrets) {
    return {
      entries: names.map(toEntry),
      reason: {
        code: 'secret_forced',
        message: 'credentials are resent (--rotate-secrets)',
        fields: paths(names),
      },
    };
  }
  const recorded = options.recordedSecrets?.get(key);
  if (!recorded) {
    return options.recordedSecrets === undefined
      ? { entries: [] }
      : {
          entries: [],
          unverifiable: true,
          warning: `cannot verify the credential of ${key}: no fingerprint recorded (pass --rotate-secrets to resend it)`,
        };
  }
  const unknown = names.filter((n) => recorded[n] === undefined);
  const changed = names.filter((n) => recorded[n] !== undefined && recorded[n] !== fingerprints[n]);
  const warning = unknown.length
    ? `cannot verify ${unknown.join(', ')} of ${key}: no fingerprint recorded (pass --rotate-secrets to resend)`
    : undefined;
  // The map is replaced as a whole: a key no longer declared is a change too.
  const removed = Object.keys(recorded).filter((n) => fingerprints[n] === undefined);
  if (changed.length === 0 && removed.length === 0) {
    return { entries: [], ...(warning ? { warning, unverifiable: true } : {}) };
  }
  const all = [...changed, ...removed].sort(compareStrings);
  return {
    entries: all
      .map((n) =>
        fingerprints[n] === undefined
          ? { ...toEntry(n), op: 'remove' as const, after: undefined }
          : toEntry(n),
      )
      .map(({ after, ...rest }) => (after === undefined ? rest : { ...rest, after })),
    reason: {
      code: 'secret_rotated',
      message: 'the credential changed since the last apply (by fingerprint)',
      fields: paths(all),
    },
    ...(warning ? { warning } : {}),
  };
}

/** Guard rails on deletions: more than --max-deletes (default 1), or everything inferctl owns. */
function guardDeletes(
  deletes: Draft[],
  owned: ReadonlyMap<string, OwnedObject>,
  liveById: ReadonlyMap<string, LiveObject>,
  options: OpenSearchPlanOptions,
): void {
  const active = deletes.filter((d) => !d.blocked);
  if (active.length === 0) return;
  const max = options.maxDeletes ?? 1;
  const managedLive = [...owned.values()].filter((o) => liveById.has(o.id)).length;
  let blocked: Draft['blocked'];
  if (active.length === managedLive && !options.allowDeleteAll) {
    blocked = {
      reason: `this plan deletes every object inferctl manages here (${active.length})`,
      hint: 'check the manifest paths; if that is really meant, pass --allow-delete-all',
    };
  } else if (active.length > max) {
    blocked = {
      reason: `this plan deletes ${active.length} objects, more than --max-deletes ${max}`,
      hint: `review the deletions; if they are meant, pass --max-deletes ${active.length}`,
    };
  }
  if (blocked) for (const d of active) d.blocked = blocked;
}

function mergeReasons(reasons: readonly OpenSearchReason[]): OpenSearchReason[] {
  const byMessage = new Map<string, OpenSearchReason>();
  for (const r of reasons) {
    const key = `${r.code}\u0000${r.message}`;
    const seen = byMessage.get(key);
    byMessage.set(
      key,
      seen ? { ...seen, fields: [...(seen.fields ?? []), ...(r.fields ?? [])].filter(unique) } : r,
    );
  }
  return [...byMessage.values()];
}

/**
 * Orders changes so that every change comes after what it depends on; among the ready ones, by rank
 * (undeploy, connectors, groups, models, deploys, deletions) then key — the same order on every machine.
 * Blocked prerequisites block their dependents.
 */
function order(drafts: Draft[]): Draft[] {
  const byKey = new Map(drafts.map((d) => [d.key, d]));
  for (const d of drafts) {
    d.dependsOn = d.dependsOn
      .filter((k) => byKey.has(k) && k !== d.key)
      .filter(unique)
      .sort(compareStrings);
  }
  const out: Draft[] = [];
  const done = new Set<string>();
  const pending = new Set(drafts.map((d) => d.key));
  while (pending.size) {
    const ready = [...pending]
      .map((k) => byKey.get(k)!)
      .filter((d) => d.dependsOn.every((k) => done.has(k)))
      .sort((a, b) => rank(a) - rank(b) || compareStrings(a.key, b.key));
    // A cycle cannot arise from the rules above; if one did, the rank order breaks it.
    const next =
      ready[0] ??
      [...pending]
        .map((k) => byKey.get(k)!)
        .sort((a, b) => rank(a) - rank(b) || compareStrings(a.key, b.key))[0]!;
    out.push(next);
    done.add(next.key);
    pending.delete(next.key);
  }
  for (const d of out) {
    if (d.blocked) continue;
    const blockedBy = d.dependsOn.map((k) => byKey.get(k)!).find((p) => p.blocked);
    if (blockedBy)
      d.blocked = {
        reason: `depends on ${blockedBy.key}, which is blocked: ${blockedBy.blocked!.reason}`,
        hint: blockedBy.blocked!.hint,
      };
  }
  return out;
}

function finish(d: Draft): OpenSearchChange {
  const { warnings, hints, source, blocked, downtime, id, ...rest } = d;
  return {
    ...rest,
    ...(id !== undefined ? { id } : {}),
    ...(downtime ? { downtime: true } : {}),
    ...(blocked ? { blocked } : {}),
    ...(warnings.length ? { warnings } : {}),
    ...(hints.length ? { hints } : {}),
    ...(source ? { source } : {}),
  };
}

function summarise(
  changes: readonly OpenSearchChange[],
  unchanged: number,
  conflicts: number,
): OpenSearchPlanSummary {
  const count = (action: OpenSearchAction) => changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    deploy: count('deploy'),
    undeploy: count('undeploy'),
    unchanged,
    blocked: changes.filter((c) => c.blocked).length + conflicts,
    downtime: changes.filter((c) => c.downtime).length,
  };
}
