/**
 * `plan(desired, live, capabilities, options) → Plan`: the pure heart of inferctl. It imports nothing
 * that does I/O; the same inputs always give the same plan, byte for byte, and the same checksum.
 *
 * Per declared endpoint: absent → create; in sync → unchanged; otherwise each differing field is
 * classified by what this cluster's version can change in place (`_update`) — if every difference
 * can, the change is an update, else a replace (DELETE then PUT: Elasticsearch ids are fixed), with the
 * reason for every field that forces it. Secrets are compared by fingerprint, never by value.
 */
import type { Capabilities } from '../catalog/capabilities.js';
import {
  getService,
  secretFields,
  takesChunking,
  type FieldSpec,
  type ServiceSpec,
} from '../catalog/index.js';
import { atLeast, formatSince } from '../catalog/version.js';
import type { IndexUse, LiveEndpoint } from '../backends/elasticsearch/api.js';
import {
  canMergeWith,
  describeModelSettings,
  modelSettingsOf,
  type ModelSettings,
} from '../catalog/semantic-settings.js';
import type { EndpointManifest } from '../manifest/load.js';
import { LEGACY_CHUNKING_SETTINGS } from '../catalog/chunking.js';
import { deepEqual } from '../util/json.js';
import { compareEndpoint, normaliseChunking, type FieldDifference } from './compare.js';
import { planChecksum } from './checksum.js';
import { secretFingerprints, type RecordedSecrets } from './secrets.js';
import {
  SECRET_PLACEHOLDER,
  type Change,
  type DiffEntry,
  type Plan,
  type PlanSummary,
  type Reason,
} from './types.js';

/** Who uses an endpoint, from `DELETE _inference/{id}?dry_run=true` (gathered before planning). */
export interface References {
  readonly pipelines: readonly string[];
  readonly indexes: readonly string[];
  /**
   * How each referencing index uses the endpoint — gathered for replacements where Elasticsearch refuses to
   * re-create an id that semantic_text fields use (capabilities `createGuard`, PR #137055). An index whose mapping
   * or documents could not be read is listed with why: it counts as blocking.
   */
  readonly uses?: readonly (IndexUse | { readonly index: string; readonly unreadable: string })[];
}

export interface PlanOptions {
  /** Resend every secret of every declared endpoint (`--rotate-secrets`). */
  readonly rotateSecrets?: boolean;
  /** Fingerprints recorded at the last apply, per endpoint id; absent = no record kept. */
  readonly recordedSecrets?: RecordedSecrets;
  /** Salt of the recorded fingerprints. */
  readonly salt?: string;
  /** Referrers of endpoints the plan would replace or delete, by id (from dry-run deletes). */
  readonly references?: ReadonlyMap<string, References>;
  /**
   * What inferctl owns on the cluster (its inventory), by id; `protect` as recorded at the last apply.
   * Absent = no inventory consulted (nothing is owned, nothing can be pruned).
   */
  readonly owned?: ReadonlyMap<string, { readonly protect: boolean; readonly createdOn?: string }>;
  /** Where the inventory lives, for the plan's header (`index inferctl-inventory on the cluster`). */
  readonly inventory?: string;
  /** Delete owned endpoints that are no longer declared (`--prune`). */
  readonly prune?: boolean;
  /** Most deletions a plan may contain (default 1 when pruning). */
  readonly maxDeletes?: number;
  /** A plan that deletes every managed endpoint needs this (`--allow-delete-all`). */
  readonly allowDeleteAll?: boolean;
  /** Ids whose replacement or deletion may go ahead although indices or pipelines use them (force). */
  readonly allowDisruption?: ReadonlySet<string>;
  /** Ids whose replacement may change what referencing indices depend on (task type, dimensions, …). */
  readonly allowIncompatible?: ReadonlySet<string>;
  /**
   * The cluster's licence (`GET _license`), when it could be read. From 8.18 PUT and `_update` need an enterprise or
   * trial licence (PR #119893): on another one, or an expired one, the plan blocks its writes instead of showing
   * creates that apply would have refused. Up to 8.17 in-cluster deployments need platinum or better.
   */
  readonly license?: { readonly type: string; readonly status: string };
}

export interface PlanInput {
  readonly desired: readonly EndpointManifest[];
  readonly live: readonly LiveEndpoint[];
  readonly capabilities: Capabilities;
  readonly target: { readonly url: string };
  readonly options?: PlanOptions;
}

/**
 * Computes the plan.
 *
 * @example
 * const p = plan({ desired, live, capabilities: capabilitiesFor('9.1.0'), target: { url } });
 * p.summary // { create: 1, update: 0, replace: 0, delete: 0, unchanged: 3, blocked: 0 }
 */
export function plan(input: PlanInput): Plan {
  const { desired, live, capabilities: caps, target } = input;
  const options = input.options ?? {};
  const liveById = new Map(live.map((e) => [e.inference_id, e]));
  const changes: Change[] = [];
  const unchanged: string[] = [];
  const notes: string[] = [];
  const fingerprintsForChecksum: Record<string, Record<string, string>> = {};
  const unverifiable: string[] = [];
  for (const manifest of [...desired].sort((a, b) => compareIds(a.id, b.id))) {
    const service = getService(manifest.spec.service)!;
    const salt = options.salt ?? '';
    const fingerprints = secretFingerprints(manifest, service, salt);
    if (Object.keys(fingerprints).length) fingerprintsForChecksum[manifest.id] = fingerprints;
    const change = planEndpoint(manifest, service, liveById.get(manifest.id), caps, options, fingerprints);
    if (change) changes.push(change);
    else {
      unchanged.push(manifest.id);
      const recorded = options.recordedSecrets?.get(manifest.id);
      if (
        recorded &&
        !options.rotateSecrets &&
        Object.keys(fingerprints).some((f) => recorded[f] === undefined)
      ) {
        unverifiable.push(manifest.id);
      }
    }
  }
  const declared = new Set(desired.map((d) => d.id));
  const undeclared = live.filter((e) => !declared.has(e.inference_id) && !e.inference_id.startsWith('.'));
  const owned = options.owned ?? new Map<string, { protect: boolean }>();
  // Never owned, never touched: only what the inventory says inferctl created or adopted may be pruned.
  const unmanaged = undeclared
    .filter((e) => !owned.has(e.inference_id))
    .map((e) => e.inference_id)
    .sort(compareIds);
  const ownedUndeclared = undeclared
    .filter((e) => owned.has(e.inference_id))
    .sort((a, b) => compareIds(a.inference_id, b.inference_id));
  const orphaned: string[] = [];
  const deletes: Change[] = [];
  for (const endpoint of ownedUndeclared) {
    if (!options.prune) {
      orphaned.push(endpoint.inference_id);
      continue;
    }
    deletes.push(planDelete(endpoint, owned.get(endpoint.inference_id)!.protect, options));
  }
  changes.push(...guardDeletes(deletes, owned, live, options));
  licenceBlocks(changes, desired, caps, options.license);
  changes.sort((a, b) => compareIds(a.id, b.id));
  if (unverifiable.length) {
    notes.push(
      `Secrets that cannot be verified (no fingerprint recorded, e.g. after inferctl adopt): ${unverifiable.join(', ')}; pass --rotate-secrets to resend them.`,
    );
  }
  if (orphaned.length) {
    notes.push(
      `Owned by inferctl but no longer declared (deleted only with --prune): ${orphaned.join(', ')}.`,
    );
  }
  if (!caps.update) {
    notes.push(
      `Elasticsearch ${caps.version} has no _update API (it arrived in 8.17): every change to an existing endpoint is a replacement.`,
    );
  }
  if (
    options.recordedSecrets === undefined &&
    desired.some((d) => secretFields(getService(d.spec.service)!).length)
  ) {
    notes.push(
      'No secret fingerprints are recorded for this cluster yet, so changed secrets cannot be detected; pass --rotate-secrets to resend them.',
    );
  }
  const summary = summarise(changes, unchanged.length);
  const body = {
    format_version: 1 as const,
    target: { url: target.url, version: caps.version },
    ...(options.inventory ? { inventory: options.inventory } : {}),
    summary,
    changes,
    unchanged,
    unmanaged,
    orphaned,
    unverifiable,
    notes,
  };
  return { ...body, checksum: planChecksum(body, fingerprintsForChecksum) };
}

function planEndpoint(
  manifest: EndpointManifest,
  service: ServiceSpec,
  live: LiveEndpoint | undefined,
  caps: Capabilities,
  options: PlanOptions,
  fingerprints: Readonly<Record<string, string>>,
): Change | undefined {
  const base = {
    kind: 'InferenceEndpoint' as const,
    id: manifest.id,
    taskType: manifest.spec.task_type,
    service: manifest.spec.service,
    // A getter: the position costs a parse of the document, paid only for changes that are shown.
    get source() {
      return { file: manifest.source.file, line: manifest.source.line };
    },
  };
  const warnings = deprecation(service, caps);
  if (!live) {
    return {
      ...base,
      action: 'create',
      reasons: [{ code: 'new', message: 'not on the cluster' }],
      diff: creationDiff(manifest, service),
      ...(warnings.length ? { warnings } : {}),
    };
  }
  // An endpoint inferctl created on 8.16+ got the current default chunking: a legacy one read back is a reset.
  const createdOn = options.owned?.get(manifest.id)?.createdOn;
  const legacyChunkingIsDrift = createdOn !== undefined && atLeast(createdOn, '8.16');
  const differences = compareEndpoint(manifest, live, caps, { legacyChunkingIsDrift });
  if (
    legacyChunkingIsDrift &&
    manifest.spec.chunking_settings === undefined &&
    differences.some((d) => d.section === 'chunking_settings')
  ) {
    warnings.push(
      `chunking_settings read back as word/250/100: an _update reset them (Elasticsearch issue #139574; inferctl created ${manifest.id} on ${createdOn} with the default sentence chunking). Declare chunking_settings: { strategy: word, max_chunk_size: 250, overlap: 100 } to keep them instead`,
    );
  }
  const secretDiff = secretChanges(manifest, options, fingerprints);
  if (secretDiff.warning) warnings.push(secretDiff.warning);
  if (differences.length === 0 && secretDiff.entries.length === 0) return undefined;

  const entries: DiffEntry[] = [];
  const replaceReasons: Reason[] = [];
  for (const difference of differences) {
    const verdict = classify(difference, manifest, live, caps);
    entries.push(toEntry(difference, verdict));
    if (verdict.mode === 'replace') replaceReasons.push(verdict.reason);
  }
  for (const entry of secretDiff.entries) {
    const inPlace = caps.update;
    entries.push({
      ...entry,
      mode: inPlace ? 'in-place' : 'replace',
      why: inPlace
        ? 'secrets are replaced through _update'
        : `Elasticsearch ${caps.version} has no _update API (8.17+)`,
    });
    if (!inPlace)
      replaceReasons.push({
        code: 'no_update_api',
        message: `a secret changed and ${caps.version} cannot update it in place`,
        fields: [entry.path],
      });
  }
  const reasons: Reason[] = [];
  const secretReason = secretDiff.reason;
  if (replaceReasons.length) {
    reasons.push(...mergeReasons(replaceReasons));
  } else {
    const inPlace = entries.filter((e) => !e.secret).map((e) => e.path);
    if (inPlace.length)
      reasons.push({ code: 'in_place', message: 'can be changed in place with _update', fields: inPlace });
  }
  if (secretReason) reasons.push(secretReason);
  // 8.17–9.3 rewrite chunking_settings to the legacy word/250/100 on every _update (Elasticsearch issue
  // #139574, capabilities.updateResetsChunkingToLegacy). Declared chunking would be lost: replace instead.
  // Undeclared chunking changes from the default to the legacy default: say so.
  if (
    !replaceReasons.length &&
    caps.updateResetsChunkingToLegacy &&
    takesChunking(service, manifest.spec.task_type, caps.version)
  ) {
    const declared = manifest.spec.chunking_settings;
    if (declared && !deepEqual(normaliseChunking(declared), LEGACY_CHUNKING_SETTINGS)) {
      replaceReasons.push({
        code: 'update_resets_chunking',
        message: `Elasticsearch ${caps.version} resets chunking_settings to word/250/100 on every _update (issue #139574); a replacement keeps the declared ones`,
        fields: ['/chunking_settings'],
      });
      reasons.length = 0;
      reasons.push(...mergeReasons(replaceReasons));
      if (secretReason) reasons.push(secretReason);
    } else if (!declared) {
      warnings.push(
        `on Elasticsearch ${caps.version} this _update also resets chunking_settings to word/250/100 (issue #139574); declare chunking_settings to keep sentence chunking (inferctl then replaces instead)` +
          (legacyChunkingIsDrift ? '; otherwise the next plan shows the reset as drift' : ''),
      );
    }
  }
  const common = { ...base, reasons, diff: entries, ...(warnings.length ? { warnings } : {}) };
  if (replaceReasons.length) {
    const refs = options.references?.get(manifest.id);
    const verdict = blockReplace(manifest, live, refs, entries, options, caps);
    return {
      ...common,
      action: 'replace',
      liveTaskType: live.task_type,
      ...(verdict.blocked ? { blocked: verdict.blocked } : {}),
      ...(verdict.force ? { force: true } : {}),
      ...(refs && (refs.indexes.length || refs.pipelines.length) ? { references: refs } : {}),
    };
  }
  return { ...common, action: 'update' };
}

interface Verdict {
  readonly mode: 'in-place' | 'replace';
  readonly reason: Reason;
}

/**
 * Can this difference be applied with `_update` on this version? The rules of Elasticsearch's documented rules, read from the capabilities table and the catalog's `updatable` per field.
 */
function classify(
  d: FieldDifference,
  manifest: EndpointManifest,
  live: LiveEndpoint,
  caps: Capabilities,
): Verdict {
  const field = d.path;
  const replace = (code: Reason['code'], message: string): Verdict => ({
    mode: 'replace',
    reason: { code, message, fields: [field] },
  });
  const inPlace = (message: string): Verdict => ({
    mode: 'in-place',
    reason: { code: 'in_place', message, fields: [field] },
  });
  if (d.section === 'top') {
    return d.field === 'service'
      ? replace('service_changed', 'the service of an endpoint cannot change')
      : replace('task_type_changed', 'the task type of an endpoint cannot change');
  }
  if (!caps.update)
    return replace('no_update_api', `Elasticsearch ${caps.version} has no _update API (it arrived in 8.17)`);
  if (d.section === 'chunking_settings') {
    return caps.updateChunking
      ? inPlace('chunking_settings are replaced through _update from 9.5')
      : replace(
          'immutable_field',
          `chunking_settings can be changed in place only from Elasticsearch 9.5 (this cluster: ${caps.version})`,
        );
  }
  const spec = d.spec;
  if (!spec) return replace('immutable_field', `${d.field} is not known to be updatable`);
  // `_update` merges: a key can be overwritten, never taken away — unless sending its default restores it.
  // (A key nested inside a setting is different: the whole setting is sent again.)
  if (d.op === 'remove' && !d.toDefault && d.path.split('/').length === 3) {
    return replace('update_cannot_remove', `_update merges settings: ${d.field} cannot be removed in place`);
  }
  return classifyField(d, spec, manifest, live, caps) ?? inPlace('changed in place with _update');
}

function classifyField(
  d: FieldDifference,
  spec: FieldSpec,
  manifest: EndpointManifest,
  live: LiveEndpoint,
  caps: Capabilities,
): Verdict | undefined {
  const replace = (code: Reason['code'], message: string): Verdict => ({
    mode: 'replace',
    reason: { code, message, fields: [d.path] },
  });
  const updatable = spec.updatable;
  if (updatable === 'merge') {
    // 8.17: an in-cluster endpoint's _update must carry num_allocations (reference step 8).
    if (
      caps.updateAllocations === '8.17' &&
      getService(manifest.spec.service)?.inCluster &&
      !hasFixedAllocations(manifest)
    ) {
      return replace(
        'immutable_field',
        `on Elasticsearch ${caps.version} an in-cluster endpoint's _update needs num_allocations, which this manifest does not set`,
      );
    }
    return undefined;
  }
  if (updatable === 'never') return replace('immutable_field', `${d.field} cannot be changed after creation`);
  if (updatable === 'secret') return undefined;
  if (updatable === 'allocation') {
    if ('deployment_id' in manifest.spec.service_settings) {
      return replace(
        'immutable_field',
        `the endpoint uses deployment ${String(manifest.spec.service_settings['deployment_id'])}: allocations are changed through the trained models API`,
      );
    }
    const liveAdaptive =
      (live.service_settings['adaptive_allocations'] as { enabled?: unknown } | undefined)?.enabled === true;
    const wantAdaptive =
      (manifest.spec.service_settings['adaptive_allocations'] as { enabled?: unknown } | undefined)
        ?.enabled === true;
    if (liveAdaptive !== wantAdaptive && caps.updateAllocations !== 'strict') {
      return replace(
        'immutable_field',
        `switching between fixed and adaptive allocations in place needs Elasticsearch 9.5 (this cluster: ${caps.version})`,
      );
    }
    if (d.field === 'adaptive_allocations' && caps.updateAllocations === '8.17') {
      return replace(
        'immutable_field',
        `adaptive_allocations can be updated in place from Elasticsearch 8.18 (this cluster: ${caps.version})`,
      );
    }
    return undefined;
  }
  // `{ since }`: mutable from that version; before it Elasticsearch accepts the key and ignores it.
  if (caps.updateMutableServiceSettings && atLeast(caps.version, updatable.since)) return undefined;
  return replace(
    'immutable_field',
    `${d.field} can be changed in place from Elasticsearch ${formatSince(updatable.since)} (this cluster: ${caps.version}; earlier versions ignore it)`,
  );
}

function hasFixedAllocations(manifest: EndpointManifest): boolean {
  return typeof manifest.spec.service_settings['num_allocations'] === 'number';
}

function toEntry(d: FieldDifference, verdict: Verdict): DiffEntry {
  return {
    op: d.op,
    path: d.path,
    ...(d.before !== undefined ? { before: d.before } : {}),
    ...(d.after !== undefined ? { after: d.after } : {}),
    mode: verdict.mode,
    why: verdict.reason.message,
  };
}

/** Every declared field as an addition, secrets as `(secret)`. */
function creationDiff(manifest: EndpointManifest, service: ServiceSpec): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const secrets = new Set(secretFields(service));
  const add = (path: string, after: unknown, secret = false) =>
    entries.push({
      op: 'add',
      path,
      after: secret ? SECRET_PLACEHOLDER : after,
      mode: 'in-place',
      ...(secret ? { secret: true } : {}),
    });
  add('/task_type', manifest.spec.task_type);
  add('/service', manifest.spec.service);
  for (const [k, v] of sortedEntries(manifest.spec.service_settings))
    add(`/service_settings/${escape(k)}`, v, secrets.has(k));
  for (const [k, v] of sortedEntries(manifest.spec.task_settings ?? {}))
    add(`/task_settings/${escape(k)}`, v);
  if (manifest.spec.chunking_settings) add('/chunking_settings', manifest.spec.chunking_settings);
  return entries;
}

interface SecretDiff {
  readonly entries: Omit<DiffEntry, 'mode'>[];
  readonly reason?: Reason;
  readonly warning?: string;
}

/** Secrets whose fingerprint differs from the recorded one (or all of them, with --rotate-secrets). */
function secretChanges(
  manifest: EndpointManifest,
  options: PlanOptions,
  fingerprints: Readonly<Record<string, string>>,
): SecretDiff {
  const names = Object.keys(fingerprints).sort();
  if (names.length === 0) return { entries: [] };
  const entry = (name: string): Omit<DiffEntry, 'mode'> => ({
    op: 'replace',
    path: `/service_settings/${escape(name)}`,
    before: SECRET_PLACEHOLDER,
    after: SECRET_PLACEHOLDER,
    secret: true,
  });
  if (options.rotateSecrets) {
    return {
      entries: names.map(entry),
      reason: {
        code: 'secret_forced',
        message: 'secrets are resent (--rotate-secrets)',
        fields: names.map((n) => `/service_settings/${n}`),
      },
    };
  }
  const recorded = options.recordedSecrets?.get(manifest.id);
  if (!recorded) {
    // Without any record (no state kept yet) the plan says so once, in its notes; with a record that
    // lacks this endpoint (adopted, or created by an older inferctl), it says so per endpoint.
    return options.recordedSecrets === undefined
      ? { entries: [] }
      : {
          entries: [],
          warning: `cannot verify the secrets of ${manifest.id}: no fingerprint recorded (pass --rotate-secrets to resend them)`,
        };
  }
  // A field without a recorded fingerprint (an adopted endpoint, a secret added since) cannot be verified.
  const unknown = names.filter((n) => recorded[n] === undefined);
  const changed = names.filter((n) => recorded[n] !== undefined && recorded[n] !== fingerprints[n]);
  const warning = unknown.length
    ? `cannot verify ${unknown.join(', ')} of ${manifest.id}: no fingerprint recorded (pass --rotate-secrets to resend)`
    : undefined;
  if (changed.length === 0) return { entries: [], ...(warning ? { warning } : {}) };
  return {
    entries: changed.map(entry),
    reason: {
      code: 'secret_rotated',
      message: 'a secret changed since the last apply',
      fields: changed.map((n) => `/service_settings/${n}`),
    },
    ...(warning ? { warning } : {}),
  };
}

/**
 * Whether a replacement may go ahead: never for a protected endpoint; for one that indices or pipelines
 * use, only when released with `--allow-disruption` (then deleted with force) — and when the replacement
 * changes what those indices depend on, only with `--allow-incompatible` too (after it, they cannot
 * ingest: Elasticsearch issue #124272).
 */
function blockReplace(
  manifest: EndpointManifest,
  live: LiveEndpoint,
  refs: References | undefined,
  diff: readonly DiffEntry[],
  options: PlanOptions,
  caps: Capabilities,
): { blocked?: Change['blocked']; force?: boolean } {
  if (manifest.protect) {
    return {
      blocked: {
        reason: `${manifest.id} is protected (metadata.protect: true) and this change needs a replacement`,
        hint: 'change only what can be updated in place, or remove protect: true deliberately',
      },
    };
  }
  if (!refs || (refs.pipelines.length === 0 && refs.indexes.length === 0)) return {};
  // Before any flag: a create Elasticsearch will refuse cannot be released by --allow-disruption.
  const refused = refusedRecreate(manifest, live, refs, caps);
  if (refused) return { blocked: refused };
  const users = describeReferences(refs);
  if (!options.allowDisruption?.has(manifest.id)) {
    return {
      blocked: {
        reason: `${manifest.id} is used by ${users}; replacing it deletes it first`,
        hint: `point them at another endpoint first, use a new endpoint id, or pass --allow-disruption ${manifest.id}`,
      },
    };
  }
  const incompatible = refs.indexes.length ? incompatibleChanges(manifest, diff) : [];
  if (incompatible.length && !options.allowIncompatible?.has(manifest.id)) {
    return {
      blocked: {
        reason: `replacing ${manifest.id} changes ${incompatible.join(', ')}, which the semantic_text fields of ${refs.indexes.join(', ')} depend on: they could not ingest afterwards`,
        hint: `reindex into fields that use a new endpoint id, or pass --allow-incompatible ${manifest.id} as well`,
      },
    };
  }
  return { force: true };
}

/**
 * Would Elasticsearch refuse to create the endpoint again after the replacement's delete (PR #137055)? Strict form:
 * any referencing index that holds documents; compatible form: a referencing field whose recorded `model_settings`
 * the new endpoint is not provably compatible with. An index that could not be read, or references without the
 * per-index detail, count as refusing: the plan never deletes what it is not sure it can create again.
 */
function refusedRecreate(
  manifest: EndpointManifest,
  live: LiveEndpoint,
  refs: References,
  caps: Capabilities,
): Change['blocked'] | undefined {
  if (caps.createGuard === 'none' || refs.indexes.length === 0) return undefined;
  const uses = refs.uses ?? refs.indexes.map((index) => ({ index, unreadable: 'not read' }));
  const next = expectedModelSettings(manifest, live);
  const blocking: string[] = [];
  const unreadable: string[] = [];
  for (const use of uses) {
    if ('unreadable' in use) {
      unreadable.push(`${use.index} (${use.unreadable})`);
      continue;
    }
    const fields = use.fields.map((f) => f.field).join(', ');
    const named = fields ? `${use.index} (${fields})` : use.index;
    if (caps.createGuard === 'strict') {
      if (use.hasDocuments) blocking.push(named);
    } else {
      const clash = use.fields.filter(
        (f) => f.modelSettings !== undefined && canMergeWith(f.modelSettings, next) !== true,
      );
      if (clash.length) {
        const recorded = clash.map(
          (f) => `${f.field}: ${describeModelSettings(f.modelSettings ?? { task_type: '' })}`,
        );
        blocking.push(`${use.index} (${recorded.join('; ')})`);
      }
    }
  }
  if (blocking.length === 0 && unreadable.length === 0) return undefined;
  const why =
    caps.createGuard === 'strict'
      ? `semantic_text fields of indices that hold documents use it: ${blocking.join(', ')}`
      : `semantic_text fields recorded settings the new endpoint is not known to match (${describeModelSettings(next)}): ${blocking.join(', ')}`;
  const reasons = [
    blocking.length ? why : '',
    unreadable.length ? `inferctl could not check indices ${unreadable.join(', ')}` : '',
  ].filter(Boolean);
  const switchFields = caps.semanticInferenceIdUpdatable
    ? `point the fields at it with PUT <index>/_mapping (possible in place from 9.3 when the new endpoint has the same task type, dimensions, similarity and element type; otherwise reindex into fields that use it)`
    : `reindex into an index whose semantic_text fields use it (before 9.3 a field's inference_id cannot change)`;
  return {
    reason: `replacing ${manifest.id} deletes it first, and Elasticsearch ${caps.version} would then refuse to create it again (PR #137055): ${reasons.join('; ')}. --allow-disruption cannot release this: the endpoint would be lost`,
    hint: `declare the new configuration under a new endpoint id and apply it, ${switchFields}, then remove ${manifest.id} from the manifests and prune it`,
  };
}

/**
 * The settings a semantic_text field would see from the replacement: the declared ones, and where the service and
 * model stay the same, the live endpoint's learned dimensions and similarity (the provider reports the same again).
 */
function expectedModelSettings(manifest: EndpointManifest, live: LiveEndpoint): ModelSettings {
  const declared = manifest.spec.service_settings;
  const sameModel =
    manifest.spec.service === live.service &&
    (declared['model_id'] ?? declared['model']) ===
      (live.service_settings['model_id'] ?? live.service_settings['model']);
  const merged = sameModel
    ? {
        ...(live.service_settings['dimensions'] !== undefined
          ? { dimensions: live.service_settings['dimensions'] }
          : {}),
        ...(live.service_settings['similarity'] !== undefined
          ? { similarity: live.service_settings['similarity'] }
          : {}),
        ...declared,
      }
    : declared;
  return modelSettingsOf(manifest.spec.task_type, merged);
}

/**
 * What a replacement changes that semantic_text indices depend on: the task type, dimensions,
 * similarity, element type — and the model of an embedding endpoint whose dimensions are not pinned.
 */
export function incompatibleChanges(manifest: EndpointManifest, diff: readonly DiffEntry[]): string[] {
  const out = new Set<string>();
  const embedding = ['text_embedding', 'sparse_embedding', 'embedding'].includes(manifest.spec.task_type);
  for (const entry of diff) {
    const [, section, field] = entry.path.split('/');
    if (section === 'task_type') out.add('the task type');
    if (section !== 'service_settings' || !field) continue;
    if (field === 'dimensions') out.add('dimensions');
    if (field === 'similarity') out.add('similarity');
    if (field === 'element_type' || field === 'embedding_type') out.add('the element type');
    if (
      (field === 'model_id' || field === 'model') &&
      embedding &&
      manifest.spec.service_settings['dimensions'] === undefined
    ) {
      out.add('the model (and with it, possibly, the dimensions)');
    }
  }
  return [...out];
}

function describeReferences(refs: References): string {
  return [
    refs.indexes.length ? `indices ${refs.indexes.join(', ')}` : '',
    refs.pipelines.length ? `ingest pipelines ${refs.pipelines.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/** The deletion of an owned endpoint no longer declared (`--prune`). */
function planDelete(live: LiveEndpoint, protect: boolean, options: PlanOptions): Change {
  const refs = options.references?.get(live.inference_id);
  const diff: DiffEntry[] = [
    { op: 'remove', path: '/task_type', before: live.task_type, mode: 'replace' },
    { op: 'remove', path: '/service', before: live.service, mode: 'replace' },
  ];
  const base = {
    kind: 'InferenceEndpoint' as const,
    action: 'delete' as const,
    id: live.inference_id,
    taskType: live.task_type,
    service: live.service,
    reasons: [
      { code: 'not_declared' as const, message: 'owned by inferctl and no longer declared (--prune)' },
    ],
    diff,
    ...(refs && (refs.indexes.length || refs.pipelines.length) ? { references: refs } : {}),
  };
  if (protect) {
    return {
      ...base,
      blocked: {
        reason: `${live.inference_id} was protected (metadata.protect: true) when last applied`,
        hint: `declare it again, or run inferctl forget ${live.inference_id} to release it without deleting`,
      },
    };
  }
  if (refs && (refs.indexes.length || refs.pipelines.length)) {
    if (!options.allowDisruption?.has(live.inference_id)) {
      return {
        ...base,
        blocked: {
          reason: `${live.inference_id} is used by ${describeReferences(refs)}`,
          hint: `point them at another endpoint first, or pass --allow-disruption ${live.inference_id}`,
        },
      };
    }
    return { ...base, force: true };
  }
  return base;
}

/**
 * Guard rails on deletions (octoDNS-style "too much change"): more than `--max-deletes` (default 1 when
 * pruning), or every managed endpoint at once, is a mistake until proven otherwise.
 */
function guardDeletes(
  deletes: Change[],
  owned: ReadonlyMap<string, unknown>,
  live: readonly LiveEndpoint[],
  options: PlanOptions,
): Change[] {
  const active = deletes.filter((d) => !d.blocked);
  if (active.length === 0) return deletes;
  const max = options.maxDeletes ?? 1;
  const managedLive = live.filter((e) => owned.has(e.inference_id)).length;
  let blocked: Change['blocked'];
  if (active.length === managedLive && !options.allowDeleteAll) {
    blocked = {
      reason: `this plan deletes every endpoint inferctl manages here (${active.length})`,
      hint: 'check the manifest paths; if that is really meant, pass --allow-delete-all',
    };
  } else if (active.length > max) {
    blocked = {
      reason: `this plan deletes ${active.length} endpoints, more than --max-deletes ${max}`,
      hint: `review the deletions; if they are meant, pass --max-deletes ${active.length}`,
    };
  }
  return blocked ? deletes.map((d) => (d.blocked ? d : { ...d, blocked })) : deletes;
}

function deprecation(service: ServiceSpec, caps: Capabilities): string[] {
  if (!service.deprecated || !atLeast(caps.version, service.deprecated.since)) return [];
  return [
    `the ${service.name} service is deprecated since ${service.deprecated.since}: use ${service.deprecated.use}`,
  ];
}

function mergeReasons(reasons: readonly Reason[]): Reason[] {
  const byMessage = new Map<string, Reason>();
  for (const r of reasons) {
    const key = `${r.code}\u0000${r.message}`;
    const seen = byMessage.get(key);
    byMessage.set(key, seen ? { ...seen, fields: [...(seen.fields ?? []), ...(r.fields ?? [])] } : r);
  }
  return [...byMessage.values()];
}

function summarise(changes: readonly Change[], unchanged: number): PlanSummary {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    unchanged,
    blocked: changes.filter((c) => c.blocked).length,
  };
}

function sortedEntries(object: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Ids compare by code unit, not locale: the same order on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Blocks the writes a licence does not allow (deletes are allowed on every licence). */
function licenceBlocks(
  changes: Change[],
  desired: readonly EndpointManifest[],
  caps: Capabilities,
  license: PlanOptions['license'],
): void {
  if (!license) return;
  const type = license.type.toLowerCase();
  const active = license.status.toLowerCase() === 'active';
  const byId = new Map(desired.map((m) => [m.id, m]));
  for (const [i, change] of changes.entries()) {
    if (change.action === 'delete' || change.blocked) continue;
    const service = getService(byId.get(change.id)?.spec.service ?? change.service);
    let needs: string | undefined;
    if (caps.enterpriseLicense && (!active || !['enterprise', 'trial'].includes(type))) {
      needs = 'an active enterprise or trial licence for PUT and _update (from 8.18, PR #119893)';
    } else if (
      !caps.enterpriseLicense &&
      caps.mlLicenseForDeployments &&
      service?.inCluster === true &&
      (!active || !['platinum', 'enterprise', 'trial'].includes(type))
    ) {
      needs = 'a platinum, enterprise or trial licence to deploy in-cluster models (up to 8.17)';
    }
    if (!needs) continue;
    changes[i] = {
      ...change,
      blocked: {
        reason: `Elasticsearch ${caps.version} needs ${needs}; this cluster's licence is ${type}${active ? '' : ` (${license.status})`}`,
        hint: 'upgrade the licence or start a trial (POST /_license/start_trial?acknowledge=true); reading, drift and deletes work on any licence',
      },
    };
  }
}
