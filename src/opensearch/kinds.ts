/**
 * The three OpenSearch ML Commons kinds inferctl manages and their typed manifests: what the
 * loader builds from a validated document, what the planner reads. A manifest's `metadata.name` is the
 * object's `name` on the cluster; references between objects (`spec.model_group`, `spec.connector`) are
 * manifest names that inferctl resolves to the ids OpenSearch generates.
 */
import type { Secret } from '../manifest/secrets.js';
import type { Position } from '../manifest/yaml.js';
import type {
  AccessMode,
  ConnectorActionType,
  ConnectorProtocol,
  TimeUnit,
} from '../catalog/opensearch-capabilities.js';

/** Manifest kinds of the OpenSearch side, in dependency order (a model needs a group and a connector). */
export const OPENSEARCH_KINDS = ['OpenSearchConnector', 'OpenSearchModelGroup', 'OpenSearchModel'] as const;
export type OpenSearchKind = (typeof OPENSEARCH_KINDS)[number];

export function isOpenSearchKind(kind: unknown): kind is OpenSearchKind {
  return typeof kind === 'string' && (OPENSEARCH_KINDS as readonly string[]).includes(kind);
}

/** Where a manifest was declared (the loader's `SourceRef`, restated to keep this module free of the loader). */
export interface OpenSearchSourceRef {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly column: number;
}

/** One `actions[]` entry of a connector, as declared (`action_type` in lower case). */
export interface ConnectorActionSpec {
  readonly action_type: ConnectorActionType;
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly request_body?: string;
  readonly pre_process_function?: string;
  readonly post_process_function?: string;
}

/** `client_config` of a connector: the HTTP client ML Commons uses towards the provider. */
export interface ClientConfigSpec {
  readonly max_connection?: number;
  readonly connection_timeout?: number;
  readonly read_timeout?: number;
  readonly retry_backoff_millis?: number;
  readonly retry_timeout_seconds?: number;
  readonly max_retry_times?: number;
  readonly retry_backoff_policy?: 'constant' | 'exponential_equal_jitter' | 'exponential_full_jitter';
}

/** The body of `POST /_plugins/_ml/connectors/_create` without `name`, credentials as `Secret`s. */
export interface ConnectorSpec {
  readonly description?: string;
  readonly version: string | number;
  readonly protocol: ConnectorProtocol;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly credential?: Readonly<Record<string, Secret>>;
  readonly actions?: readonly ConnectorActionSpec[];
  readonly client_config?: ClientConfigSpec;
  readonly access_mode?: AccessMode;
  readonly backend_roles?: readonly string[];
  readonly add_all_backend_roles?: boolean;
}

/** An inline (internal) connector of a model: a connector body with an optional name. */
export interface InlineConnectorSpec extends ConnectorSpec {
  readonly name?: string;
}

export interface ModelGroupSpec {
  readonly description?: string;
  readonly access_mode?: AccessMode;
  readonly backend_roles?: readonly string[];
  readonly add_all_backend_roles?: boolean;
}

export interface RateLimiterSpec {
  readonly limit: string | number;
  readonly unit: TimeUnit;
}

/** A remote model: registered with `function_name: remote` on a stand-alone or an inline connector. */
export interface ModelSpec {
  /** Manifest name of an `OpenSearchModelGroup`. */
  readonly model_group: string;
  /** Manifest name of an `OpenSearchConnector` (stand-alone), or an inline connector. */
  readonly connector: string | InlineConnectorSpec;
  readonly description?: string;
  readonly is_enabled?: boolean;
  readonly rate_limiter?: RateLimiterSpec;
  readonly guardrails?: Readonly<Record<string, unknown>>;
  readonly interface?: { readonly input?: unknown; readonly output?: unknown };
  readonly model_config?: Readonly<Record<string, unknown>>;
  readonly deploy_setting?: {
    readonly is_auto_deploy_enabled?: boolean;
    readonly model_ttl_minutes?: number;
  };
  /** Deploy the model and keep it deployed (default true); `false` keeps it registered only. */
  readonly deploy?: boolean;
}

interface ManifestBase<K extends OpenSearchKind, S> {
  readonly kind: K;
  /** `metadata.name`: the object's name on the cluster, and how other manifests refer to it. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `metadata.protect`: never deleted or replaced by inferctl. */
  readonly protect: boolean;
  readonly spec: S;
  readonly source: OpenSearchSourceRef;
  readonly locate?: (path: readonly (string | number)[], options?: { key?: boolean }) => Position;
}

export type OpenSearchConnectorManifest = ManifestBase<'OpenSearchConnector', ConnectorSpec>;
export type OpenSearchModelGroupManifest = ManifestBase<'OpenSearchModelGroup', ModelGroupSpec>;
export type OpenSearchModelManifest = ManifestBase<'OpenSearchModel', ModelSpec>;
export type OpenSearchManifest =
  OpenSearchConnectorManifest | OpenSearchModelGroupManifest | OpenSearchModelManifest;

/** The key of an object in plans, inventories and messages: `OpenSearchModel/openai-embeddings`. */
export function objectKey(kind: OpenSearchKind, name: string): string {
  return `${kind}/${name}`;
}

/**
 * The key of a live model no manifest declares, when the plan must still touch it (undeploy and
 * redeploy it around a connector update, switch it off a replaced connector): `OpenSearchModel/id:<id>`.
 */
export function undeclaredModelKey(id: string): string {
  return objectKey('OpenSearchModel', `id:${id}`);
}

/** Splits a key made by `objectKey`. */
export function parseKey(key: string): { kind: OpenSearchKind; name: string } {
  const slash = key.indexOf('/');
  const kind = key.slice(0, slash);
  if (!isOpenSearchKind(kind)) throw new Error(`not an OpenSearch object key: ${key}`);
  return { kind, name: key.slice(slash + 1) };
}

/** Manifests by kind, each list sorted by name (code unit order: the same on every machine). */
export function byKind(manifests: readonly OpenSearchManifest[]): {
  connectors: OpenSearchConnectorManifest[];
  groups: OpenSearchModelGroupManifest[];
  models: OpenSearchModelManifest[];
} {
  const sorted = [...manifests].sort((a, b) => compareStrings(a.name, b.name));
  return {
    connectors: sorted.filter((m): m is OpenSearchConnectorManifest => m.kind === 'OpenSearchConnector'),
    groups: sorted.filter((m): m is OpenSearchModelGroupManifest => m.kind === 'OpenSearchModelGroup'),
    models: sorted.filter((m): m is OpenSearchModelManifest => m.kind === 'OpenSearchModel'),
  };
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
