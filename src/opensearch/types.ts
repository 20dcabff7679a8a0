/**
 * The OpenSearch plan: what inferctl will do to ML Commons objects and why. A closed, readonly union of
 * changes in the order they run (dependencies first, deletions last), each with its field-level diff,
 * the requests' preconditions (undeploy before a connector update) made explicit as changes of their own.
 */
import type { DiffEntry } from '../engine/types.js';
import type { OpenSearchKind } from './kinds.js';

export const OPENSEARCH_ACTIONS = ['create', 'update', 'replace', 'delete', 'deploy', 'undeploy'] as const;
export type OpenSearchAction = (typeof OPENSEARCH_ACTIONS)[number];

export const OPENSEARCH_REASON_CODES = [
  'new',
  'in_place',
  'no_update_api',
  'register_only',
  'connector_in_use',
  'redeploy',
  'deploy',
  'undeploy',
  'secret_rotated',
  'secret_forced',
  'not_declared',
  'reference_changed',
  'cannot_remove',
] as const;
export type OpenSearchReasonCode = (typeof OPENSEARCH_REASON_CODES)[number];

export interface OpenSearchReason {
  readonly code: OpenSearchReasonCode;
  readonly message: string;
  readonly fields?: readonly string[];
}

export interface OpenSearchChange {
  /** Unique in the plan: `OpenSearchModel/openai-embeddings`, with `#undeploy` / `#deploy` for those. */
  readonly key: string;
  readonly kind: OpenSearchKind;
  readonly action: OpenSearchAction;
  /** The object's name (its manifest's `metadata.name`, or the live name of an unmanaged model). */
  readonly name: string;
  /** The live id (absent when the object does not exist yet). */
  readonly id?: string;
  readonly reasons: readonly OpenSearchReason[];
  readonly diff: readonly DiffEntry[];
  /** Keys of changes that must succeed first; apply skips a change whose prerequisite did not. */
  readonly dependsOn: readonly string[];
  /** The change makes a model unavailable for a while (undeploy … redeploy). */
  readonly downtime?: boolean;
  /** The change cannot be applied as planned; apply refuses it (and what depends on it). */
  readonly blocked?: { readonly reason: string; readonly hint: string };
  readonly warnings?: readonly string[];
  /** Better ways to get there, e.g. the zero-downtime alternative to a connector update. */
  readonly hints?: readonly string[];
  /** Where the object is declared (absent for unmanaged models and deletes). */
  readonly source?: { readonly file: string; readonly line: number };
}

/** A name that matches several live objects: inferctl refuses to guess. */
export interface OpenSearchConflict {
  readonly key: string;
  readonly ids: readonly string[];
  readonly message: string;
}

export interface OpenSearchPlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly deploy: number;
  readonly undeploy: number;
  readonly unchanged: number;
  readonly blocked: number;
  readonly downtime: number;
}

export interface OpenSearchPlan {
  readonly format_version: 1;
  readonly flavor: 'opensearch';
  /** SHA-256 over the plan's content and the fingerprints of the secrets it would send. */
  readonly checksum: string;
  readonly target: { readonly url: string; readonly version: string };
  readonly summary: OpenSearchPlanSummary;
  readonly changes: readonly OpenSearchChange[];
  /** Keys of declared objects already as declared. */
  readonly unchanged: readonly string[];
  /** The live id of every declared object that exists (key → id): what the references resolve to. */
  readonly ids: Readonly<Record<string, string>>;
  /** Owned by inferctl, no longer declared, not pruned. */
  readonly orphaned: readonly string[];
  /** Declared connectors whose credential has no recorded fingerprint. */
  readonly unverifiable: readonly string[];
  /** Names that match more than one live object: nothing is applied while there are any. */
  readonly conflicts: readonly OpenSearchConflict[];
  readonly inventory?: string;
  readonly notes: readonly string[];
}
