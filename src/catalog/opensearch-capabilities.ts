/**
 * THE table of OpenSearch ML Commons behaviour that changes between versions.
 *
 * Every version difference of ML Commons that inferctl models (evidence: opensearch-project/ml-commons PRs and
 * source, and the real node of the test tier; listed in docs/fidelity/opensearch.md) is one named field here, decided in one place from `atLeast()`. The OpenSearch
 * emulator branches on these fields and nothing else; the planner reads the same table to choose between an
 * in-place update and a replace on an older cluster.
 *
 * Tags: [src] read in ml-commons source (branch named), [doc] documentation site, [infer] inference. Where the
 * reference and the source disagree, the comment says so and names the choice.
 */
import { atLeast, minorOf, parseVersion, type VersionTuple } from './version.js';
import type { Version } from './types.js';

/** Connector protocols, in the order ml-commons lists them (`ConnectorProtocols.VALID_PROTOCOLS`). */
export const CONNECTOR_PROTOCOLS = ['aws_sigv4', 'http', 'mcp_sse', 'mcp_streamable_http'] as const;
export type ConnectorProtocol = (typeof CONNECTOR_PROTOCOLS)[number];

/** `ConnectorAction.ActionType`, in enum order. */
export const CONNECTOR_ACTION_TYPES = [
  'predict',
  'execute',
  'batch_predict',
  'cancel_batch_predict',
  'batch_predict_status',
] as const;
export type ConnectorActionType = (typeof CONNECTOR_ACTION_TYPES)[number];

/**
 * The release each `action_type` arrived in (`ConnectorAction.ActionType` per release tag): `execute` 2.15,
 * `batch_predict` 2.16, the batch status/cancel pair 2.17 [src 2.14.0.0 … 2.17.0.0].
 */
export const ACTION_TYPE_SINCE: Readonly<Record<ConnectorActionType, Version>> = {
  predict: '2.12',
  execute: '2.15',
  batch_predict: '2.16',
  cancel_batch_predict: '2.17',
  batch_predict_status: '2.17',
};

/** `java.util.concurrent.TimeUnit` names: the only `rate_limiter.unit` values. */
export const TIME_UNITS = [
  'NANOSECONDS',
  'MICROSECONDS',
  'MILLISECONDS',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'DAYS',
] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/**
 * 3.1's `StringUtils.SAFE_INPUT_PATTERN` for names and descriptions (capability `safeInputText`), and its message.
 */
export const SAFE_INPUT_PATTERN = /^[\p{L}\p{N}\s.,!?():@\-_/'"]*$/u;
export const SAFE_INPUT_DESCRIPTION =
  'can only contain letters, numbers, spaces, and basic punctuation (.,!?():@-_\'/")';

/** `AccessMode` values. */
export const ACCESS_MODES = ['public', 'private', 'restricted'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** `MLModelState`, without the pre-2.7 deprecated names. */
export const MODEL_STATES = [
  'TRAINED',
  'REGISTERING',
  'REGISTERED',
  'DEPLOYING',
  'DEPLOYED',
  'PARTIALLY_DEPLOYED',
  'UNDEPLOYED',
  'DEPLOY_FAILED',
] as const;
export type ModelState = (typeof MODEL_STATES)[number];

/** `MLTaskState`. */
export const TASK_STATES = [
  'CREATED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'COMPLETED_WITH_ERROR',
  'CANCELLING',
  'EXPIRED',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface OpenSearchCapabilities {
  /** The version as given (`2.19.0`). */
  readonly version: string;
  readonly tuple: VersionTuple;
  readonly minor: Version;

  // ---- APIs ---------------------------------------------------------------------------------
  /**
   * `PUT /_plugins/_ml/connectors/<id>`: the code exists on the 2.11 branch, the docs say "Introduced 2.12" —
   * the documented 2.12 is chosen. Before it the route does not exist (no handler).
   */
  readonly updateConnectorApi: boolean;
  /** `PUT /_plugins/_ml/models/<id>` with in-place update of deployed models, `is_enabled`, `rate_limiter` — 2.12. */
  readonly updateModelApi: boolean;

  // ---- model fields ------------------------------------------------------------------------
  /** `guardrails` parsed on register/update — 2.13, PR #2209. Before, the key is an unknown one: skipped. */
  readonly guardrails: boolean;
  /**
   * guardrails `type` validated (`local_regex` | `model`, default `local_regex`, else 400 "The type of guardrails
   * is required, can not be null.") and `type: model` guardrails (`model_id`, `response_filter`,
   * `response_validation_regex`) — 2.15, PR #2491. 2.13/2.14 store any `type` verbatim and parse both
   * guardrails as `stop_words`/`regex` ones [src 2.13 `Guardrails.parse`, no validation].
   */
  readonly modelGuardrails: boolean;
  /**
   * A guardrails object without `type` is given `type: local_regex` — 2.17. On 2.15 and 2.16 it is refused: 400
   * "The type of guardrails is required, can not be null." [src 2.16/2.17 `Guardrails.parse`].
   */
  readonly guardrailsTypeDefault: boolean;
  /** `deploy_setting.is_auto_deploy_enabled` and remote auto-deploy on first predict — 2.13. */
  readonly deploySetting: boolean;
  /** `deploy_setting.model_ttl_minutes` (default -1) — 2.14. Before, the key is skipped. */
  readonly modelTtl: boolean;
  /** `interface` (`input`/`output` JSON schemas, stored as strings) — 2.14, PR #2357. */
  readonly modelInterface: boolean;
  /** `tenant_id` (multi-tenancy; off by default, so only parsed) — 2.19. */
  readonly tenantId: boolean;
  /**
   * Remote-model registration stores `is_enabled`. Not in the reference: read in `MLModelManager.indexRemoteModel`
   * — the 2.12 … 2.19 branches build the remote model document without `is_enabled` (only local models get it), the
   * 3.0 branch and later pass it through [src]. So on 2.x, `is_enabled: false` at registration is silently lost.
   */
  readonly registerStoresIsEnabled: boolean;
  /**
   * How a remote model's `model_config` is parsed on register/update: `text_embedding` = `TextEmbeddingModelConfig`
   * (`model_type`, `embedding_dimension`, `framework_type` all required: "model type is null", "embedding
   * dimension is null", "framework type is null"; `additional_config` unknown → dropped) up to 3.0 [src 2.19];
   * `remote` = `RemoteModelConfig`/`BaseModelConfig` with `additional_config`, only `model_type` required, and the
   * update-time `validateModelConfig` of — 3.1 [src 3.1].
   */
  readonly remoteModelConfig: 'text_embedding' | 'remote';
  /**
   * A remote `text_embedding` model must carry `model_config.additional_config.space_type` at registration — 3.1:
   * the `RemoteModelConfig` constructor runs `validateTextEmbeddingConfig` (400 "Space type must be provided in
   * additional_config for remote text embedding model") [src 3.1.0.0; the real 3.6.0 node answers so]. Before 3.1
   * `TextEmbeddingModelConfig` has no `additional_config` and skips it.
   */
  readonly remoteSpaceTypeRequired: boolean;
  /**
   * Names and descriptions of connectors, model groups and models must match `SAFE_INPUT_PATTERN` (letters, digits,
   * spaces and `.,!?():@-_'/"`) — 3.1 [src `StringUtils.validateFields`, 3.1.0.0]. Before, any text.
   */
  readonly safeInputText: boolean;
  /**
   * Update-model `connector` on a model registered with `connector_id`: 3.1 answers 400 "Cannot update connector
   * settings for this model. …"; before, `mlModel.getConnector().update(…)` dereferences null → 500
   * `null_pointer_exception` [src 2.19 `UpdateModelTransportAction`; the JVM's helpful-NPE text is not reproduced].
   */
  readonly updateInlineConnectorCheck: boolean;
  /**
   * Register with a `connector_id` (and no `interface`) reads the connector to derive a default interface, so an
   * unknown id fails 404 "Failed to find connector:<id>" — 2.16, PR #2689 [src: `updateRegisterModelInputModelInterface
   * FieldsByConnector` first on the 2.16 branch]. Before (and with an explicit `interface`), with access control off,
   * nothing reads the connector: the model is registered with a dangling `connector_id` and fails at deploy.
   */
  readonly registerLooksUpConnector: boolean;
  /** Custom `model_id` / `connector_id` / `model_group_id` on create — 3.9, PR #4974, unreleased at the snapshot. */
  readonly customIds: boolean;

  // ---- connectors -----------------------------------------------------------------------------
  /** Protocols `Connector.createConnector` can instantiate: `mcp_sse` 3.0, `mcp_streamable_http` 3.3. */
  readonly connectorProtocols: readonly ConnectorProtocol[];
  /** `action_type` values the version parses (`ACTION_TYPE_SINCE`). */
  readonly connectorActionTypes: readonly ConnectorActionType[];
  /**
   * Connector `client_config` (`ConnectorClientConfig`) — 2.13 [src: the class first exists at 2.13.0.0]. 2.12's
   * `MLCreateConnectorInput.parse` skips the key: dropped on create and on update.
   */
  readonly clientConfig: boolean;
  /**
   * Default `client_config.connection_timeout` / `read_timeout` the parser fills in: 30000 (milliseconds) up to 3.5,
   * 30 (seconds) from 3.6 — PR #4759, backported to 3.6.0.0 as a26f87fb6 [src; the real 3.6.0 node answers 30].
   */
  readonly clientConfigTimeoutDefault: number;
  /**
   * `client_config.skip_ssl_verification`, parsed and written back with default `false` — 3.6, PR #4616 [src 3.6.0.0;
   * the real 3.6.0 node returns `skip_ssl_verification: false` for a connector created without it].
   */
  readonly clientConfigSkipSsl: boolean;
  /** A connector must have a non-empty `credential` ("Connector credential is null or empty list") — 2.19 [src]. */
  readonly connectorCredentialRequired: boolean;
}

function since(v: VersionTuple, s: Version): boolean {
  return atLeast(v, s);
}

/**
 * The capabilities of one OpenSearch version.
 *
 * @example openSearchCapabilitiesFor('2.12.0').guardrails // false
 */
export function openSearchCapabilitiesFor(version: string): OpenSearchCapabilities {
  let caps = computed.get(version);
  if (!caps) {
    caps = compute(version);
    if (computed.size < 100) computed.set(version, caps);
  }
  return caps;
}

const computed = new Map<string, OpenSearchCapabilities>();

function compute(version: string): OpenSearchCapabilities {
  const v = parseVersion(version);
  const protocols: ConnectorProtocol[] = ['aws_sigv4', 'http'];
  if (since(v, '3.0')) protocols.push('mcp_sse');
  if (since(v, '3.3')) protocols.push('mcp_streamable_http');
  const actions = CONNECTOR_ACTION_TYPES.filter((t) => since(v, ACTION_TYPE_SINCE[t]));
  return {
    version,
    tuple: v,
    minor: minorOf(version),
    updateConnectorApi: since(v, '2.12'),
    updateModelApi: since(v, '2.12'),
    guardrails: since(v, '2.13'),
    modelGuardrails: since(v, '2.15'),
    guardrailsTypeDefault: since(v, '2.17'),
    deploySetting: since(v, '2.13'),
    modelTtl: since(v, '2.14'),
    modelInterface: since(v, '2.14'),
    tenantId: since(v, '2.19'),
    registerStoresIsEnabled: since(v, '3.0'),
    remoteModelConfig: since(v, '3.1') ? 'remote' : 'text_embedding',
    remoteSpaceTypeRequired: since(v, '3.1'),
    safeInputText: since(v, '3.1'),
    updateInlineConnectorCheck: since(v, '3.1'),
    registerLooksUpConnector: since(v, '2.16'),
    customIds: since(v, '3.9'),
    clientConfig: since(v, '2.13'),
    clientConfigTimeoutDefault: since(v, '3.6') ? 30 : 30000,
    clientConfigSkipSsl: since(v, '3.6'),
    connectorCredentialRequired: since(v, '2.19'),
    connectorProtocols: protocols,
    connectorActionTypes: actions,
  };
}

/** The OpenSearch profiles the emulator and its tests know by name (2.12 … 3.9; 2.19 and 3.6 are also run for real). */
export const OPENSEARCH_PROFILES = [
  '2.12.0',
  '2.13.0',
  '2.14.0',
  '2.15.0',
  '2.19.0',
  '3.0.0',
  '3.1.0',
  '3.6.0',
  '3.9.0',
] as const;
