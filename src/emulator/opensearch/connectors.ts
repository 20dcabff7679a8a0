/**
 * Connectors: create, get, update, delete, search — and the connector parsing that an inline
 * `connector` of a model shares. Behaviour and messages from ml-commons 2.19 unless a capability says otherwise
 * [src `MLCreateConnectorInput`, `ConnectorAction`, `HttpConnector`, `AwsConnector`, `Connector`,
 * `TransportCreateConnectorAction`, `UpdateConnectorTransportAction`, `DeleteConnectorTransportAction`,
 * `ConnectorAccessControlHelper`].
 *
 * Credentials are encrypted when stored (AES/GCM in ml-commons; here opaque base64 of the same order of length)
 * and never returned: GET removes the `credential` key (`removeCredential()`), search excludes it from `_source`.
 */
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from '../types.js';
import {
  OsError,
  illegalArgument,
  javaList,
  noEnumConstant,
  parseException,
  statusException,
  validateFields,
} from './errors.js';
import {
  accessMode,
  bool,
  integer,
  isObject,
  mapStrings,
  objectBody,
  parameterMap,
  stringList,
  text,
  textOrNull,
} from './parse.js';
import { search } from './search.js';
import { clone, type OpenSearchState } from './state.js';

/** What `MLCreateConnectorInput.parse` (or `HttpConnector`'s parser for an inline connector) keeps of a body. */
export interface ConnectorInput {
  name?: string;
  description?: string;
  version?: string;
  protocol?: string;
  parameters: Record<string, string>;
  credential: Record<string, string>;
  actions?: JsonObject[];
  backendRoles?: string[];
  addAllBackendRoles?: boolean;
  /** `AccessMode.from`: an unknown value is silently null [src]. */
  access?: string;
  accessGiven: boolean;
  dryRun: boolean;
  clientConfig?: JsonObject;
  connectorId?: string;
  /** MCP connectors (3.0+): the server's URL and the headers sent to it. */
  url?: string | null;
  headers?: Record<string, string>;
}

/** `mcp_sse` / `mcp_streamable_http`: an `McpConnector` — url and headers, no parameters or actions. */
export function isMcp(protocol: unknown): boolean {
  return protocol === 'mcp_sse' || protocol === 'mcp_streamable_http';
}

const ACTION_TYPE_CLASS = 'org.opensearch.ml.common.connector.ConnectorAction.ActionType';

/** `ConnectorAction.parse` + its builder's checks. `action_type` is stored as the enum name (`PREDICT`). */
function parseAction(state: OpenSearchState, value: JsonValue): JsonObject {
  if (!isObject(value)) {
    throw parseException(
      'Failed to parse object: expecting token of type [START_OBJECT] but found [VALUE_STRING]',
    );
  }
  let actionType: string | undefined;
  let method: string | undefined;
  let url: string | undefined;
  let headers: Record<string, string> | undefined;
  let requestBody: string | undefined;
  let pre: string | undefined;
  let post: string | undefined;
  for (const [k, v] of Object.entries(value)) {
    switch (k) {
      case 'action_type': {
        const upper = text(v).toUpperCase();
        const known = state.caps.connectorActionTypes.map((t) => t.toUpperCase());
        if (!known.includes(upper)) throw noEnumConstant(ACTION_TYPE_CLASS, upper);
        actionType = upper;
        break;
      }
      case 'method':
        method = text(v);
        break;
      case 'url':
        url = text(v);
        break;
      case 'headers':
        headers = mapStrings(v);
        break;
      case 'request_body':
        requestBody = text(v);
        break;
      case 'pre_process_function':
        pre = text(v);
        break;
      case 'post_process_function':
        post = text(v);
        break;
      default:
        break; // skipChildren
    }
  }
  if (actionType === undefined) throw illegalArgument("action type can't be null");
  if (url === undefined) throw illegalArgument("url can't be null");
  if (method === undefined) throw illegalArgument("method can't be null");
  const out: JsonObject = { action_type: actionType, method, url };
  if (headers) out.headers = headers;
  if (requestBody !== undefined) out.request_body = requestBody;
  if (pre !== undefined) out.pre_process_function = pre;
  if (post !== undefined) out.post_process_function = post;
  return out;
}

/** `ConnectorClientConfig.parse`: every field defaulted (the defaults are stored). */
function parseClientConfig(state: OpenSearchState, value: JsonValue): JsonObject {
  if (!isObject(value))
    throw parseException('Failed to parse object: expecting token of type [START_OBJECT]');
  const timeout = state.caps.clientConfigTimeoutDefault;
  const out: JsonObject = {
    max_connection: 30,
    connection_timeout: timeout,
    read_timeout: timeout,
    retry_backoff_millis: 200,
    retry_timeout_seconds: 30,
    max_retry_times: 0,
    retry_backoff_policy: 'constant',
    ...(state.caps.clientConfigSkipSsl ? { skip_ssl_verification: false } : {}),
  };
  for (const [k, v] of Object.entries(value)) {
    if (k === 'skip_ssl_verification') {
      if (state.caps.clientConfigSkipSsl) out[k] = bool(v, k);
    } else if (k === 'retry_backoff_policy') {
      const policy = text(v).toLowerCase();
      if (!['constant', 'exponential_equal_jitter', 'exponential_full_jitter'].includes(policy)) {
        throw illegalArgument('Unsupported retry backoff policy');
      }
      out[k] = policy;
    } else if (k in out) out[k] = integer(v);
  }
  return out;
}

/** `MLCreateConnectorInput.parse(parser, updateConnector)`: unknown keys skipped. */
export function parseConnectorInput(state: OpenSearchState, body: JsonObject): ConnectorInput {
  const input: ConnectorInput = { parameters: {}, credential: {}, accessGiven: false, dryRun: false };
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'name':
        input.name = text(v);
        break;
      case 'description':
        input.description = text(v);
        break;
      case 'version':
        input.version = text(v);
        break;
      case 'protocol':
        input.protocol = text(v);
        break;
      case 'parameters':
        input.parameters = parameterMap(v);
        break;
      case 'credential':
        input.credential = mapStrings(v);
        break;
      case 'actions':
        if (!Array.isArray(v)) {
          throw parseException(
            'Failed to parse object: expecting token of type [START_ARRAY] but found [START_OBJECT]',
          );
        }
        input.actions = v.map((a) => parseAction(state, a));
        break;
      case 'backend_roles':
        input.backendRoles = stringList(v);
        break;
      case 'add_all_backend_roles':
        input.addAllBackendRoles = bool(v, k);
        break;
      case 'access_mode': {
        const mode = accessMode(v);
        input.accessGiven = true;
        if (mode) input.access = mode;
        break;
      }
      case 'dry_run':
        input.dryRun = bool(v, k);
        break;
      case 'client_config':
        // `ConnectorClientConfig` arrives in 2.13; 2.12 skips the key.
        if (state.caps.clientConfig) input.clientConfig = parseClientConfig(state, v);
        break;
      case 'connector_id':
        // Custom connector ids arrive with 3.9; before, the key is unknown and skipped.
        if (state.caps.customIds) input.connectorId = text(v);
        break;
      case 'tenant_id':
        if (state.caps.tenantId) textOrNull(v);
        break;
      case 'url':
        // Parsed from 3.0, with the MCP protocols; before, the key is unknown and skipped.
        if (state.caps.connectorProtocols.includes('mcp_sse')) input.url = textOrNull(v);
        break;
      case 'headers':
        if (state.caps.connectorProtocols.includes('mcp_sse')) input.headers = mapStrings(v);
        break;
      default:
        break;
    }
  }
  return input;
}

/** The checks of the `MLCreateConnectorInput` constructor (create mode, not dry run). */
function validateCreateInput(state: OpenSearchState, input: ConnectorInput): void {
  if (input.name === undefined) throw illegalArgument('Connector name is null');
  if (input.version === undefined) throw illegalArgument('Connector version is null');
  if (input.protocol === undefined) throw illegalArgument('Connector protocol is null');
  const mcp = input.protocol.startsWith('mcp_');
  // Required from 2.19; 3.0–3.2 require it of MCP connectors too, 3.3 exempts them (PR #4169) [src].
  const required =
    state.caps.connectorCredentialRequired &&
    (!mcp || !state.caps.connectorProtocols.includes('mcp_streamable_http'));
  if (required && Object.keys(input.credential).length === 0) {
    throw illegalArgument('Connector credential is null or empty list');
  }
  // "url required for MCP", in every version that has MCP connectors (3.0+). (A reading of the source dated
  // this check to 3.3, PR #4169; the reference does not, and the emulator follows the reference.)
  const known = state.caps.connectorProtocols.includes(input.protocol as never);
  if (mcp && known && (input.url === undefined || input.url === null || input.url.trim() === '')) {
    throw illegalArgument('MCP Connector url is null or blank');
  }
}

/**
 * `Connector.createConnector`: the protocol picks the class (`http` → HttpConnector, `aws_sigv4` → AwsConnector);
 * another protocol → "Can't find class for type <p>" (the `validateProtocol` message "Unsupported connector
 * protocol…" is only reached through the builder, not the REST path) [src 2.19 `MLCommonsClassLoader`].
 */
function checkProtocol(
  state: OpenSearchState,
  protocol: string | undefined,
  credential: Record<string, string>,
  parameters: Record<string, string>,
): void {
  if (protocol === undefined || protocol === null) throw illegalArgument('connector protocol is null');
  if (!(state.caps.connectorProtocols as readonly string[]).includes(protocol)) {
    throw illegalArgument(`Can't find class for type ${protocol}`);
  }
  if (protocol === 'aws_sigv4') {
    if (!('access_key' in credential) || !('secret_key' in credential))
      throw illegalArgument('Missing credential');
    if (!('service_name' in credential) && !('service_name' in parameters))
      throw illegalArgument('Missing service name');
    if (!('region' in credential) && !('region' in parameters)) throw illegalArgument('Missing region');
  }
}

/** `Connector.validateConnectorURL`: every action URL, after `${parameters.x}` substitution, must match the trusted list. */
export function validateConnectorUrl(state: OpenSearchState, connector: JsonObject): void {
  if (isMcp(connector.protocol)) {
    // `McpConnector.validateConnectorURL`: its one url, and a message without it.
    // Before 3.3 nothing requires the url; a missing one is not matched here (ml-commons would fail on null).
    const url = connector.url;
    if (typeof url === 'string' && !state.trustedEndpoints.some((re) => re.test(url))) {
      throw illegalArgument('Connector URL is not matching the trusted connector endpoint regex');
    }
    return;
  }
  const actions = connector.actions;
  if (!Array.isArray(actions)) throw illegalArgument('No actions configured for this connector');
  const params = (isObject(connector.parameters) ? connector.parameters : {}) as Record<string, JsonValue>;
  for (const action of actions) {
    if (!isObject(action)) continue;
    const url = String(action.url).replace(/\$\{parameters\.([^}]+)\}/g, (whole, key: string) =>
      typeof params[key] === 'string' ? (params[key] as string) : whole,
    );
    if (!state.trustedEndpoints.some((re) => re.test(url))) {
      throw illegalArgument(
        `Connector URL is not matching the trusted connector endpoint regex, URL is: ${url}`,
      );
    }
  }
}

/** Opaque "ciphertext" for a credential value (AES/GCM + base64 in ml-commons). */
function encrypt(state: OpenSearchState, value: string): string {
  let raw = '';
  const length = value.length + 28; // 12-byte IV + 16-byte tag, as GCM adds
  while (raw.length < length) raw += state.newId();
  return Buffer.from(raw.slice(0, length), 'latin1').toString('base64');
}

export function encryptAll(state: OpenSearchState, credential: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(credential)) out[k] = encrypt(state, v);
  return out;
}

/** A connector as `HttpConnector.toXContent` writes it (field order kept). */
export function connectorSource(
  state: OpenSearchState,
  input: ConnectorInput,
  times: { created?: number; updated?: number },
): JsonObject {
  const out: JsonObject = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.version !== undefined) out.version = input.version;
  if (input.description !== undefined) out.description = input.description;
  if (input.protocol !== undefined) out.protocol = input.protocol;
  if (isMcp(input.protocol)) {
    // `McpConnector.toXContent` (3.1+): parameters, no actions; url and headers last. (3.0 kept no
    // parameters; the emulator does not make that difference, inferctl refuses them before 3.1.)
    out.parameters = { ...input.parameters };
    out.credential = encryptAll(state, input.credential);
    if (input.backendRoles !== undefined) out.backend_roles = input.backendRoles;
    if (input.access !== undefined) out.access = input.access;
    if (times.created !== undefined) out.created_time = times.created;
    if (times.updated !== undefined) out.last_updated_time = times.updated;
    if (input.clientConfig !== undefined) out.client_config = input.clientConfig;
    if (typeof input.url === 'string') out.url = input.url;
    if (input.headers !== undefined) out.headers = input.headers;
    return out;
  }
  out.parameters = { ...input.parameters };
  out.credential = encryptAll(state, input.credential);
  if (input.actions !== undefined) out.actions = input.actions;
  if (input.backendRoles !== undefined) out.backend_roles = input.backendRoles;
  if (input.access !== undefined) out.access = input.access;
  if (times.created !== undefined) out.created_time = times.created;
  if (times.updated !== undefined) out.last_updated_time = times.updated;
  if (input.clientConfig !== undefined) out.client_config = input.clientConfig;
  return out;
}

/**
 * An inline connector of a model (`Connector.createConnector(parser)`): parsed by `HttpConnector`'s own parser —
 * no name/version/credential checks, only the protocol and AWS checks.
 */
export function parseInlineConnector(state: OpenSearchState, value: JsonValue): JsonObject {
  if (!isObject(value))
    throw parseException('Failed to parse object: expecting token of type [START_OBJECT]');
  const input = parseConnectorInput(state, value);
  checkProtocol(state, input.protocol, input.credential, input.parameters);
  const source = connectorSource(state, input, {});
  if (Object.keys(input.credential).length === 0) delete source.credential;
  return source;
}

/** `HttpConnector.update` merge: scalars replace, parameters merge, a non-empty credential replaces, actions replace. */
export function mergeConnector(
  state: OpenSearchState,
  existing: JsonObject,
  update: ConnectorInput,
): JsonObject {
  const out = clone(existing);
  if (update.name !== undefined) out.name = update.name;
  if (update.description !== undefined) out.description = update.description;
  if (update.version !== undefined) out.version = update.version;
  if (update.protocol !== undefined) out.protocol = update.protocol;
  if (Object.keys(update.parameters).length > 0) {
    out.parameters = { ...(isObject(out.parameters) ? out.parameters : {}), ...update.parameters };
  }
  if (Object.keys(update.credential).length > 0) out.credential = encryptAll(state, update.credential);
  if (update.actions !== undefined) out.actions = update.actions;
  if (update.backendRoles !== undefined) out.backend_roles = update.backendRoles;
  if (update.access !== undefined) out.access = update.access;
  if (update.clientConfig !== undefined) out.client_config = update.clientConfig;
  if (isMcp(out.protocol)) {
    // `McpConnector.update`: url and headers replace when given; it keeps no parameters or actions.
    if (typeof update.url === 'string') {
      if (update.url.trim() === '') throw illegalArgument('MCP Connector url is blank');
      out.url = update.url;
    }
    if (update.headers !== undefined) out.headers = update.headers;
    // parameters are merged (putAll) on update, for every connector class the reference knows. (A reading of
    // 3.3's McpConnector.update found them replaced; the reference does not distinguish, and it decides here.)
    delete out.actions;
  }
  return canonicalOrder(out);
}

const ORDER = [
  'name',
  'version',
  'description',
  'protocol',
  'parameters',
  'credential',
  'actions',
  'backend_roles',
  'owner',
  'access',
  'created_time',
  'last_updated_time',
  'client_config',
  'tenant_id',
  'url',
  'headers',
];

function canonicalOrder(c: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ORDER) if (c[k] !== undefined) out[k] = c[k] as JsonValue;
  return out;
}

/** A connector without its credential, as GET answers (`removeCredential()`). */
export function withoutCredential(connector: JsonObject): JsonObject {
  const { credential: _credential, ...rest } = connector;
  return rest;
}

/**
 * `ConnectorAccessControlHelper.getConnector`: the two 404s differ on whether the connector index exists yet.
 */
function getStored(state: OpenSearchState, id: string): JsonObject {
  if (!state.connectors.exists) throw statusException(404, 'Failed to find connector');
  const doc = state.connectors.get(id);
  if (!doc) throw statusException(404, `Failed to find connector with the provided connector id: ${id}`);
  return doc.source;
}

/** Models whose stored `connector_id` is this connector (the `match` query the transport actions run; size 10). */
function modelsUsing(state: OpenSearchState, id: string, deployedOnly: boolean): string[] {
  if (!state.models.exists) return [];
  const all = [...state.models.docs.values()].filter((d) => d.source.connector_id === id);
  // "Deployed" = in the node's model cache (`mlModelManager.getAllModelIds()`), which a model enters when its
  // deployment starts: DEPLOYING counts [infer].
  const using = deployedOnly
    ? all.filter((d) =>
        ['DEPLOYED', 'PARTIALLY_DEPLOYED', 'DEPLOYING'].includes(String(d.source.model_state)),
      )
    : all;
  return using.slice(0, 10).map((d) => d.id);
}

/** The access-control fields are refused while the security plugin is absent (it always is here) [src]. */
function refuseAccessControl(input: ConnectorInput): void {
  if (
    input.access !== undefined ||
    input.addAllBackendRoles !== undefined ||
    (input.backendRoles?.length ?? 0) > 0
  ) {
    throw illegalArgument(
      'You cannot specify connector access control parameters because the Security plugin or connector access control is disabled on your cluster.',
    );
  }
}

/** Custom-id checks of 3.9 (`MLResourceIdUtils.validateCustomDocumentId`). */
export function validateCustomId(id: string, label: string): void {
  if (id.trim() === '') throw illegalArgument(`${label} is invalid`);
  if (id.startsWith('_')) throw illegalArgument(`${label} must not start with '_'`);
  if (id.startsWith('-')) throw illegalArgument(`${label} must not start with '-'`);
  if (Buffer.byteLength(id, 'utf8') > 512) throw illegalArgument(`${label} is too long, max length is 512`);
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(id)) {
    throw illegalArgument(
      `${label} must contain only letters, digits, underscores, and hyphens, and must start with a letter or digit`,
    );
  }
}

/** `POST /_plugins/_ml/connectors/_create` → `{"connector_id": …}`. */
export function createConnector(state: OpenSearchState, req: EmuRequest): EmuResponse {
  // RestMLCreateConnectorAction throws a plain IOException: 500 `i_o_exception`.
  const body = objectBody(
    req.body,
    () => new OsError(500, 'i_o_exception', 'Create Connector request has empty body'),
  );
  const input = parseConnectorInput(state, body);
  if (input.dryRun) return { status: 200, body: { connector_id: 'dryRunConnector' } };
  validateCreateInput(state, input);
  if (state.caps.safeInputText) {
    validateFields([
      ['Model connector name', input.name, true],
      ['Model connector description', input.description, false],
    ]);
  }
  if (input.connectorId !== undefined) validateCustomId(input.connectorId, 'connector id');
  checkProtocol(state, input.protocol, input.credential, input.parameters);
  const now = state.now();
  const source = connectorSource(state, input, { created: now, updated: now });
  validateConnectorUrl(state, source);
  refuseAccessControl(input);
  const id = input.connectorId ?? state.newId();
  if (input.connectorId !== undefined && state.connectors.get(id)) {
    throw statusException(409, `connector id '${id}' already exists`);
  }
  state.connectors.put(id, source);
  return { status: 200, body: { connector_id: id } };
}

/** `GET /_plugins/_ml/connectors/<id>`: the stored connector minus `credential`. */
export function getConnector(state: OpenSearchState, id: string): EmuResponse {
  return { status: 200, body: withoutCredential(clone(getStored(state, id))) };
}

/**
 * `PUT /_plugins/_ml/connectors/<id>`: merge, re-validate URLs, then refuse while a deployed model uses the
 * connector — 400 "<n> models are still using this connector, please undeploy the models first: [ids]".
 */
export function updateConnector(state: OpenSearchState, req: EmuRequest, id: string): EmuResponse {
  const body = objectBody(req.body, () =>
    parseException('Failed to update connector: Request body is empty'),
  );
  const input = parseConnectorInput(state, body);
  const existing = getStored(state, id);
  const merged = mergeConnector(state, existing, input);
  validateConnectorUrl(state, merged);
  merged.last_updated_time = state.now();
  const users = modelsUsing(state, id, true);
  if (users.length > 0) {
    throw statusException(
      400,
      `${users.length} models are still using this connector, please undeploy the models first: ${javaList(users)}`,
    );
  }
  const { doc } = state.connectors.put(id, canonicalOrder(merged));
  return { status: 200, body: state.writeResponse(state.connectors, id, doc.version, doc.seqNo, 'updated') };
}

/**
 * `DELETE /_plugins/_ml/connectors/<id>`: 409 "<n> models are still using this connector, please delete or update
 * the models first: [ids]" while any model (deployed or not) references it; otherwise a `DeleteResponse`, which is a
 * 404 `not_found` for an unknown id, and `index_not_found_exception` before the first connector ever existed.
 */
export function deleteConnector(state: OpenSearchState, id: string): EmuResponse {
  const users = modelsUsing(state, id, false);
  if (users.length > 0) {
    throw statusException(
      409,
      `${users.length} models are still using this connector, please delete or update the models first: ${javaList(users)}`,
    );
  }
  if (!state.connectors.exists) throw indexNotFound(state.connectors.name);
  const r = state.connectors.delete(id);
  const status = r.result === 'not_found' ? 404 : 200;
  return { status, body: state.writeResponse(state.connectors, id, r.version, r.seqNo, r.result) };
}

/** `POST|GET /_plugins/_ml/connectors/_search`: `credential` excluded from every `_source`. */
export function searchConnectors(state: OpenSearchState, req: EmuRequest): EmuResponse {
  const body = req.body && req.body.trim() !== '' ? objectBody(req.body, () => parseException('')) : {};
  return { status: 200, body: search(state.connectors, body, { excludes: ['credential'] }) };
}

export function indexNotFound(index: string): OsError {
  return new OsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    index,
    'resource.id': index,
    'resource.type': 'index_expression',
    index_uuid: '_na_',
  });
}
