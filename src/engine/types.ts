/**
 * The plan: what inferctl will do to a cluster and why. A closed, readonly union of changes, each
 * carrying its field-level diff; produced by the pure `plan()` and rendered as text, markdown or JSON.
 */
import type { TaskType } from '../catalog/types.js';

export const ACTIONS = ['create', 'update', 'replace', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

/** What a diff entry shows in place of a secret value. */
export const SECRET_PLACEHOLDER = '(secret)';

/**
 * One field that differs. `path` is a JSON Pointer into the request body (`/service_settings/model_id`);
 * `before` is the live value (absent for additions), `after` the desired one (absent for removals).
 */
export interface DiffEntry {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** A secret: values are shown as `(secret)`, and only a fingerprint change reveals the change. */
  readonly secret?: boolean;
  /** How the field can change on this cluster, as decided by the planner. */
  readonly mode: 'in-place' | 'replace';
  /** Why it needs a replace (or why an in-place change works), in a sentence. */
  readonly why?: string;
}

/** A reason shown with a change: what made the planner choose this action. */
export interface Reason {
  readonly code:
    | 'new'
    | 'immutable_field'
    | 'no_update_api'
    | 'update_cannot_remove'
    | 'update_resets_chunking'
    | 'service_changed'
    | 'task_type_changed'
    | 'secret_rotated'
    | 'secret_forced'
    | 'in_place'
    | 'not_declared'
    | 'protected'
    | 'referenced';
  readonly message: string;
  readonly fields?: readonly string[];
}

interface ChangeBase {
  readonly kind: 'InferenceEndpoint';
  readonly id: string;
  readonly taskType: TaskType;
  readonly service: string;
  readonly reasons: readonly Reason[];
  readonly diff: readonly DiffEntry[];
  /** Where the endpoint is declared (absent for deletes of undeclared endpoints). */
  readonly source?: { readonly file: string; readonly line: number };
  /**
   * Set when the change cannot be applied as planned: a protected endpoint, or a replace/delete of an
   * endpoint that indices or pipelines use. Apply refuses blocked changes.
   */
  readonly blocked?: { readonly reason: string; readonly hint: string };
  /** Cautions that do not block: deprecated services, unverifiable secrets, … */
  readonly warnings?: readonly string[];
  /** Who uses the endpoint (dry-run delete), for replaces and deletes. */
  readonly references?: { readonly pipelines: readonly string[]; readonly indexes: readonly string[] };
  /** Delete with `force=true`: released by `--allow-disruption`. */
  readonly force?: boolean;
}

export interface CreateChange extends ChangeBase {
  readonly action: 'create';
}
export interface UpdateChange extends ChangeBase {
  readonly action: 'update';
}
export interface ReplaceChange extends ChangeBase {
  readonly action: 'replace';
  /** The live task type, when the replacement changes it (the DELETE must name the old one). */
  readonly liveTaskType: TaskType;
}
export interface DeleteChange extends ChangeBase {
  readonly action: 'delete';
}

export type Change = CreateChange | UpdateChange | ReplaceChange | DeleteChange;

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly unchanged: number;
  readonly blocked: number;
}

export interface Plan {
  readonly format_version: 1;
  /** SHA-256 over the plan's content (and the fingerprints of the secrets it would send). */
  readonly checksum: string;
  readonly target: { readonly url: string; readonly version: string };
  readonly summary: PlanSummary;
  readonly changes: readonly Change[];
  /** Ids declared and already as declared. */
  readonly unchanged: readonly string[];
  /** Live endpoints not in the manifests and not owned (reserved `.` ids excluded): left alone. */
  readonly unmanaged: readonly string[];
  /** Owned by inferctl, no longer declared, not pruned (pass --prune to delete them). */
  readonly orphaned: readonly string[];
  /** Declared endpoints whose secrets have no recorded fingerprint (adopted, or recorded before). */
  readonly unverifiable: readonly string[];
  /** Where ownership and fingerprints are kept, when an inventory was consulted. */
  readonly inventory?: string;
  /** Things the reviewer should know that concern no single change. */
  readonly notes: readonly string[];
}
