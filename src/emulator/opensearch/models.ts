/**
 * Models: register, get, update, delete, search, plus the seeding of local models with their
 * chunk documents. Order of checks and messages follow ml-commons 2.19 (`RestMLRegisterModelAction`,
 * `MLRegisterModelInput`, `TransportRegisterModelAction`, `MLModelManager.registerMLRemoteModel`,
 * `RestMLUpdateModelAction`, `MLUpdateModelInput`, `UpdateModelTransportAction`, `GetModelTransportAction`,
 * `DeleteModelTransportAction`, `MLSearchHandler`), with the version differences of the capability table.
 *
 * Local (non-remote) registration is not modelled: it downloads and loads model files. It is refused with a 500
 * saying so, after every validation the server would run first; local models for tests are seeded instead.
 */
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from '../types.js';
import {
  OsError,
  illegalArgument,
  javaList,
  parseException,
  runtimeException,
  statusException,
  validateFields,
} from './errors.js';
import {
  mergeConnector,
  parseConnectorInput,
  parseInlineConnector,
  validateConnectorUrl,
  validateCustomId,
  withoutCredential,
} from './connectors.js';
import { deployModelNow } from './deploy.js';
import { createGroup, groupsNamed, nextVersion } from './model-groups.js';
import {
  deepMerge,
  parseDeploySetting,
  parseGuardrails,
  parseInterface,
  parseModelConfig,
  parseRateLimiter,
} from './model-fields.js';
import type { SeedLocalModel } from './options.js';
import { accessMode, bool, isObject, objectBody, stringList, text, textOrNull } from './parse.js';
import { search } from './search.js';
import { clone, type OpenSearchState, type StoredDoc } from './state.js';
import { createTask, updateTask } from './tasks.js';

const FUNCTION_NAMES = [
  'LINEAR_REGRESSION',
  'KMEANS',
  'AD_LIBSVM',
  'SAMPLE_ALGO',
  'LOCAL_SAMPLE_CALCULATOR',
  'FIT_RCF',
  'BATCH_RCF',
  'ANOMALY_LOCALIZATION',
  'RCF_SUMMARIZE',
  'LOGISTIC_REGRESSION',
  'TEXT_EMBEDDING',
  'METRICS_CORRELATION',
  'REMOTE',
  'SPARSE_ENCODING',
  'SPARSE_TOKENIZE',
  'TEXT_SIMILARITY',
  'QUESTION_ANSWERING',
  'AGENT',
];

/** `MLModel.toXContent` field order: every response renders a model through it. */
const MODEL_ORDER = [
  'name',
  'model_group_id',
  'algorithm',
  'model_version',
  'model_content',
  'user',
  'description',
  'model_format',
  'model_state',
  'model_content_size_in_bytes',
  'model_content_hash_value',
  'model_config',
  'deploy_setting',
  'is_enabled',
  'is_controller_enabled',
  'rate_limiter',
  'created_time',
  'last_updated_time',
  'last_registered_time',
  'last_deployed_time',
  'last_undeployed_time',
  'model_id',
  'auto_redeploy_retry_times',
  'chunk_number',
  'total_chunks',
  'planning_worker_node_count',
  'current_worker_node_count',
  'planning_worker_nodes',
  'deploy_to_all_nodes',
  'is_hidden',
  'connector',
  'connector_id',
  'guardrails',
  'interface',
  'tenant_id',
];

/** A model as `MLModel.parse` + `toXContent` give it back: known fields in order, empty node lists and a false `deploy_to_all_nodes` omitted. */
export function orderModel(source: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of MODEL_ORDER) {
    const v = source[k];
    if (v === undefined || v === null) continue;
    if (k === 'planning_worker_nodes' && Array.isArray(v) && v.length === 0) continue;
    if (k === 'deploy_to_all_nodes' && v === false) continue;
    out[k] = v;
  }
  return out;
}

/** GET's rendering: no `model_content`, the inline connector without its credential. */
function renderModel(source: JsonObject): JsonObject {
  const out = orderModel(clone(source));
  delete out.model_content;
  if (isObject(out.connector)) out.connector = withoutCredential(out.connector);
  return out;
}

interface RegisterInput {
  functionName: string;
  name?: string;
  modelGroupId?: string;
  version?: string;
  description?: string;
  isEnabled?: boolean;
  rateLimiter?: JsonObject;
  url?: string;
  hash?: string;
  modelFormat?: string;
  modelConfig?: JsonObject;
  deploySetting?: JsonObject;
  connector?: JsonObject;
  connectorId?: string;
  backendRoles: string[];
  addAllBackendRoles?: boolean;
  access?: string;
  guardrails?: JsonObject;
  modelInterface?: JsonObject;
  modelId?: string;
}

/** `MLRegisterModelInput.parse` + constructor. Unknown keys — and keys the version does not know yet — are skipped. */
function parseRegisterInput(state: OpenSearchState, body: JsonObject): RegisterInput {
  let functionName: string | undefined;
  const input: Omit<RegisterInput, 'functionName'> = { backendRoles: [] };
  let rawModelConfig: JsonValue | undefined;
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'function_name': {
        const f = text(v).toUpperCase();
        if (!FUNCTION_NAMES.includes(f)) throw illegalArgument('Wrong function name');
        functionName = f;
        break;
      }
      case 'name':
        input.name = text(v);
        break;
      case 'model_group_id':
        input.modelGroupId = text(v);
        break;
      case 'version':
        input.version = text(v);
        break;
      case 'description':
        input.description = text(v);
        break;
      case 'is_enabled':
        input.isEnabled = bool(v, k);
        break;
      case 'rate_limiter':
        if (state.caps.updateModelApi) input.rateLimiter = parseRateLimiter(v);
        break;
      case 'url':
        input.url = text(v);
        break;
      case 'connector':
        input.connector = parseInlineConnector(state, v);
        break;
      case 'model_content_hash_value':
        input.hash = text(v);
        break;
      case 'connector_id':
        input.connectorId = text(v);
        break;
      case 'model_format': {
        const f = text(v).toUpperCase();
        if (f !== 'TORCH_SCRIPT' && f !== 'ONNX') throw illegalArgument('Wrong model format');
        input.modelFormat = f;
        break;
      }
      case 'model_config':
        rawModelConfig = v;
        break;
      case 'deploy_setting':
        if (state.caps.deploySetting) input.deploySetting = parseDeploySetting(state, v);
        break;
      case 'backend_roles':
        input.backendRoles = stringList(v);
        break;
      case 'add_all_backend_roles':
        input.addAllBackendRoles = bool(v, k);
        break;
      case 'access_mode': {
        const mode = accessMode(v);
        if (mode) input.access = mode;
        break;
      }
      case 'guardrails':
        if (state.caps.guardrails) input.guardrails = parseGuardrails(state, v);
        break;
      case 'interface':
        if (state.caps.modelInterface) input.modelInterface = parseInterface(v);
        break;
      case 'model_id':
        if (state.caps.customIds) input.modelId = text(v);
        break;
      case 'tenant_id':
        if (state.caps.tenantId) textOrNull(v);
        break;
      default:
        break;
    }
  }
  const fn = functionName ?? 'TEXT_EMBEDDING';
  // ≤3.0 (and local text embedding) parse `model_config` as TextEmbeddingModelConfig wherever it appears in the body.
  if (rawModelConfig !== undefined)
    input.modelConfig = parseModelConfig(state, rawModelConfig, fn === 'REMOTE');
  // 3.1: the `RemoteModelConfig` constructor checks a text-embedding config as it is parsed — at registration
  // (the real 3.6.0 node answers 400 "Space type must be provided in additional_config …") [src 3.1.0.0].
  if (fn === 'REMOTE' && state.caps.remoteSpaceTypeRequired && input.modelConfig !== undefined) {
    validateModelConfig(input.modelConfig, undefined, fn);
  }
  if (input.name === undefined) throw illegalArgument('model name is null');
  if (fn !== 'REMOTE') {
    if (input.modelFormat === undefined) throw illegalArgument('model format is null');
    if (
      input.url !== undefined &&
      input.modelConfig === undefined &&
      fn !== 'SPARSE_TOKENIZE' &&
      fn !== 'SPARSE_ENCODING'
    ) {
      throw illegalArgument('model config is null');
    }
  }
  return { ...input, functionName: fn };
}

/** The endpoint URL of the `PREDICT` action (`getActionEndpoint`), or undefined. */
function predictEndpoint(connector: JsonObject): string | undefined {
  const actions = Array.isArray(connector.actions) ? connector.actions : [];
  const predict = actions.find((a) => isObject(a) && a.action_type === 'PREDICT');
  return isObject(predict) ? String(predict.url) : undefined;
}

/** `POST /_plugins/_ml/models/_register[?deploy=true]` → `{"task_id", "status": "CREATED", "model_id"}`. */
export function registerModel(state: OpenSearchState, req: EmuRequest): EmuResponse {
  const deploy = req.query.deploy !== undefined && req.query.deploy !== 'false';
  const body = objectBody(req.body, () => parseException('request body is required'));
  const input = parseRegisterInput(state, body);
  const name = input.name as string;
  if (state.caps.safeInputText) {
    validateFields([
      ['Model name', input.name, true],
      ['Model description', input.description, false],
    ]);
  }
  const remote = input.functionName === 'REMOTE';
  if (!remote && input.url !== undefined) {
    throw illegalArgument(
      'To upload custom model user needs to enable allow_registering_model_via_url settings. Otherwise please use OpenSearch pre-trained models.',
    );
  }
  if (input.modelId !== undefined) {
    validateCustomId(input.modelId, 'model id');
    if (state.models.get(input.modelId))
      throw statusException(409, `model id '${input.modelId}' already exists`);
  }
  // No model_group_id: the group named after the model is used when it exists (access control is off, so the
  // caller always has access to it).
  let groupId =
    input.modelGroupId !== undefined && input.modelGroupId !== '' ? input.modelGroupId : undefined;
  groupId ??= groupsNamed(state, name)[0];

  if (remote) {
    if (input.connectorId !== undefined && input.connectorId.trim() !== '') {
      if (state.caps.registerLooksUpConnector && input.modelInterface === undefined) {
        if (!state.connectors.exists) throw statusException(404, 'Failed to find connector');
        if (!state.connectors.get(input.connectorId)) {
          throw statusException(404, `Failed to find connector:${input.connectorId}`);
        }
      }
    } else {
      if (input.connector === undefined) {
        throw illegalArgument(
          'You must provide connector content when creating a remote model without connector id!',
        );
      }
      if (predictEndpoint(input.connector) === undefined) {
        throw illegalArgument(
          'Connector endpoint is required when creating a remote model without connector id!',
        );
      }
      validateConnectorUrl(state, input.connector);
    }
  }
  if (groupId === undefined) {
    groupId = createGroup(state, {
      name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.access !== undefined ? { access: input.access } : {}),
      ...(input.addAllBackendRoles !== undefined ? { addAllBackendRoles: input.addAllBackendRoles } : {}),
      backendRoles: input.backendRoles,
    });
  }
  if (!remote) {
    throw new OsError(
      500,
      'exception',
      'inferctl emulator: registering local models is not modelled (seed them with the localModels option)',
    );
  }
  const localNode = state.nodeIds[0] as string;
  const taskId = createTask(state, {
    taskType: 'REGISTER_MODEL',
    functionName: 'REMOTE',
    workerNodes: [localNode],
    async: false,
  });
  const group = state.modelGroups.exists ? state.modelGroups.get(groupId) : undefined;
  if (!state.modelGroups.exists) {
    updateTask(state, taskId, { state: 'FAILED', error: 'Failed to get model group due to index missing' });
    throw statusException(404, 'Model group not found');
  }
  if (!group) {
    updateTask(state, taskId, { state: 'FAILED', error: 'Model group not found' });
    throw new OsError(
      500,
      'm_l_resource_not_found_exception',
      `Model Group Response is empty for ${groupId}`,
    );
  }
  const version = nextVersion(state, groupId);
  const now = state.now();
  const source: JsonObject = {
    name,
    model_group_id: groupId,
    algorithm: 'REMOTE',
    model_version: version,
    model_state: 'REGISTERED',
    created_time: now,
    last_updated_time: now,
    is_hidden: false,
  };
  if (input.description !== undefined) source.description = input.description;
  if (input.modelConfig !== undefined) source.model_config = input.modelConfig;
  if (input.deploySetting !== undefined) source.deploy_setting = input.deploySetting;
  if (input.isEnabled !== undefined && state.caps.registerStoresIsEnabled)
    source.is_enabled = input.isEnabled;
  if (input.rateLimiter !== undefined) source.rate_limiter = input.rateLimiter;
  if (input.connector !== undefined) source.connector = input.connector;
  if (input.connectorId !== undefined) source.connector_id = input.connectorId;
  if (input.guardrails !== undefined) source.guardrails = input.guardrails;
  if (input.modelInterface !== undefined) source.interface = input.modelInterface;
  const modelId = input.modelId ?? state.newId();
  state.models.put(modelId, orderModel(source));
  state.later(state.options.registerDelayMs ?? 0, () =>
    updateTask(state, taskId, { modelId, state: 'COMPLETED' }),
  );
  if (deploy) deployModelNow(state, modelId);
  return { status: 200, body: { task_id: taskId, status: 'CREATED', model_id: modelId } };
}

/** `GET /_plugins/_ml/models/<id>`. */
export function getModel(state: OpenSearchState, id: string): EmuResponse {
  if (!state.models.exists) throw statusException(404, 'Fail to find model');
  const doc = state.models.get(id);
  if (!doc) throw statusException(404, `Failed to find model with the provided model id: ${id}`);
  return { status: 200, body: renderModel(doc.source) };
}

const DEPLOYED = ['DEPLOYED', 'PARTIALLY_DEPLOYED', 'LOADED', 'PARTIALLY_LOADED'];
const DEPLOYING = ['DEPLOYING', 'LOADING'];

/**
 * `DELETE /_plugins/_ml/models/<id>`: 400 "Model cannot be deleted in deploying or deployed state. Try undeploy
 * model first then delete"; 404 "Failed to find model"; else the `DeleteResponse` of the model doc (chunks of a
 * local model go with it).
 */
export function deleteModel(state: OpenSearchState, id: string): EmuResponse {
  const doc = state.models.exists ? state.models.get(id) : undefined;
  if (!doc) throw statusException(404, 'Failed to find model');
  const modelState = String(doc.source.model_state);
  if (DEPLOYED.includes(modelState) || DEPLOYING.includes(modelState)) {
    throw statusException(
      400,
      'Model cannot be deleted in deploying or deployed state. Try undeploy model first then delete',
    );
  }
  const r = state.models.delete(id);
  for (const chunk of [...state.models.docs.values()]) {
    if (chunk.source.model_id === id && chunk.source.chunk_number !== undefined)
      state.models.delete(chunk.id);
  }
  return { status: 200, body: state.writeResponse(state.models, id, r.version, r.seqNo, r.result) };
}

/**
 * `POST|GET /_plugins/_ml/models/_search`: the body's query over every model document — chunk documents of local
 * models included, so a client must exclude them — hidden models filtered out, `connector.credential`
 * excluded.
 */
export function searchModels(state: OpenSearchState, req: EmuRequest): EmuResponse {
  const body = req.body && req.body.trim() !== '' ? objectBody(req.body, () => parseException('')) : {};
  const visible = (d: StoredDoc) => d.source.is_hidden !== true;
  return {
    status: 200,
    body: search(state.models, body, { excludes: ['connector.credential'], filter: visible }),
  };
}

interface UpdateInput {
  name?: string;
  description?: string;
  modelGroupId?: string;
  isEnabled?: boolean;
  rateLimiter?: JsonObject;
  modelConfig?: JsonObject;
  deploySetting?: JsonObject;
  connectorId?: string;
  connector?: ReturnType<typeof parseConnectorInput>;
  guardrails?: JsonObject;
  modelInterface?: JsonObject;
}

/** `MLUpdateModelInput.parse`; `model_id` in the body is ignored (the path wins). */
function parseUpdateInput(state: OpenSearchState, body: JsonObject, remote: boolean): UpdateInput {
  const input: UpdateInput = {};
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'description':
        input.description = text(v);
        break;
      case 'name':
        input.name = text(v);
        break;
      case 'model_group_id':
        input.modelGroupId = text(v);
        break;
      case 'is_enabled':
        input.isEnabled = bool(v, k);
        break;
      case 'rate_limiter':
        input.rateLimiter = parseRateLimiter(v);
        break;
      case 'model_config':
        input.modelConfig = parseModelConfig(state, v, remote);
        break;
      case 'deploy_setting':
        if (state.caps.deploySetting) input.deploySetting = parseDeploySetting(state, v);
        break;
      case 'connector_id':
        input.connectorId = text(v);
        break;
      case 'connector':
        if (!isObject(v))
          throw parseException('Failed to parse object: expecting token of type [START_OBJECT]');
        input.connector = parseConnectorInput(state, v);
        break;
      case 'guardrails':
        if (state.caps.guardrails) input.guardrails = parseGuardrails(state, v);
        break;
      case 'interface':
        if (state.caps.modelInterface) input.modelInterface = parseInterface(v);
        break;
      default:
        break;
    }
  }
  return input;
}

/** 3.1's `validateModelConfig` for text-embedding models. */
function validateModelConfig(
  update: JsonObject,
  existing: JsonObject | undefined,
  functionName: string,
): void {
  const modelType = String(update.model_type ?? '');
  const remote = functionName === 'REMOTE';
  if (functionName !== 'TEXT_EMBEDDING' && !(remote && modelType.toLowerCase() === 'text_embedding')) return;
  const suffix = remote ? ' must be provided for remote text embedding model' : ' is null';
  if (update.embedding_dimension === undefined && existing?.embedding_dimension === undefined) {
    throw illegalArgument('Embedding dimension' + suffix);
  }
  if (update.framework_type === undefined && existing?.framework_type === undefined) {
    throw illegalArgument('Framework type' + suffix);
  }
  if (remote) {
    const has = (c: JsonValue | undefined) => isObject(c) && 'space_type' in c;
    if (!has(update.additional_config) && !has(existing?.additional_config)) {
      throw illegalArgument(
        'Space type must be provided in additional_config for remote text embedding model',
      );
    }
  }
}

/**
 * `PUT /_plugins/_ml/models/<id>` (Update Model API, 2.12+). Deployed models are updated in place; only
 * `DEPLOYING` is refused (409). The write is an `UpdateRequest.doc` of `MLUpdateModelInput.toXContent`, which always
 * carries `model_id` (so an updated model's GET shows it) and `last_updated_time`, and merges nested objects.
 */
export function updateModel(state: OpenSearchState, req: EmuRequest, id: string): EmuResponse {
  if (req.body === undefined || req.body.trim() === '')
    throw parseException('Update model request has empty body');
  const body = objectBody(req.body, () => parseException('Update model request has empty body'));
  const doc = state.models.exists ? state.models.get(id) : undefined;
  // The body is parsed in the REST layer, before the model is read: parse errors come first.
  const input = parseUpdateInput(state, body, doc ? doc.source.algorithm === 'REMOTE' : true);
  if (input.connectorId !== undefined && input.connector !== undefined) {
    throw statusException(
      400,
      'Model cannot have both stand-alone connector and internal connector. Please check your update input body.',
    );
  }
  if (!doc) throw statusException(404, `Failed to find model to update with the provided model id: ${id}`);
  const model = doc.source;
  const modelState = String(model.model_state);
  if (DEPLOYING.includes(modelState)) {
    throw statusException(
      409,
      `Model is deploying. Please wait for the model to complete deployment. model ID ${id}`,
    );
  }
  const fn = String(model.algorithm);
  if (fn !== 'TEXT_EMBEDDING' && fn !== 'REMOTE') {
    throw statusException(403, `The function category ${fn} is not supported at this time.`);
  }
  const newConnectorId =
    input.connectorId !== undefined && input.connectorId !== '' ? input.connectorId : undefined;
  const newGroupId =
    input.modelGroupId !== undefined &&
    input.modelGroupId !== '' &&
    input.modelGroupId !== model.model_group_id
      ? input.modelGroupId
      : undefined;
  const deployed = DEPLOYED.includes(modelState);
  let predictorUpdate =
    input.connector !== undefined ||
    newConnectorId !== undefined ||
    input.isEnabled !== model.is_enabled ||
    input.guardrails !== undefined ||
    input.modelInterface !== undefined;
  let rateLimiter = input.rateLimiter;
  const existingLimiter = isObject(model.rate_limiter) ? model.rate_limiter : undefined;
  if (rateLimiter !== undefined) {
    // MLRateLimiter.updateValidityPreCheck: a limiter that is new, or changes a given field, is merged into the
    // existing one and refreshes the predictor once complete. Otherwise the raw content is written, which the doc
    // merge makes a no-op. Either way the limiter cannot be removed.
    const valid =
      existingLimiter === undefined ||
      (Object.keys(rateLimiter).length > 0 &&
        ((rateLimiter.limit !== undefined && rateLimiter.limit !== existingLimiter.limit) ||
          (rateLimiter.unit !== undefined && rateLimiter.unit !== existingLimiter.unit)));
    const merged: JsonObject = { ...(existingLimiter ?? {}), ...rateLimiter };
    rateLimiter = {};
    if (merged.limit !== undefined) rateLimiter.limit = merged.limit;
    if (merged.unit !== undefined) rateLimiter.unit = merged.unit;
    if (valid) predictorUpdate ||= merged.limit !== undefined && merged.unit !== undefined;
  }
  let updatedConnector: JsonObject | undefined;
  if (fn === 'TEXT_EMBEDDING') {
    if (newConnectorId !== undefined || input.connector !== undefined) {
      throw statusException(400, 'Trying to update the connector or connector_id field on a local model.');
    }
  } else if (newConnectorId === undefined) {
    if (input.connector !== undefined) {
      if (!isObject(model.connector)) {
        if (state.caps.updateInlineConnectorCheck) {
          throw statusException(
            400,
            'Cannot update connector settings for this model. The model was created with a connector_id and does not have an inline connector.',
          );
        }
        // 2.x: `mlModel.getConnector().update(…)` on a null connector [src]; the helpful-NPE text is not reproduced.
        throw new OsError(500, 'null_pointer_exception', null);
      }
      updatedConnector = mergeConnector(state, model.connector, input.connector);
      validateConnectorUrl(state, updatedConnector);
    }
  } else if (typeof model.connector_id !== 'string' || model.connector_id === '') {
    throw statusException(
      400,
      'This remote does not have a connector_id field, maybe it uses an internal connector.',
    );
  }
  // With access control off, a new connector id is not read (`validateConnectorAccess` answers true at once).
  if (state.caps.remoteModelConfig === 'remote' && input.modelConfig !== undefined) {
    validateModelConfig(input.modelConfig, isObject(model.model_config) ? model.model_config : undefined, fn);
  }
  let version: string | undefined;
  if (newGroupId !== undefined) {
    if (!state.modelGroups.get(newGroupId)) {
      throw statusException(
        404,
        `Failed to find the model group with the provided model group id in the update model input, MODEL_GROUP_ID: ${newGroupId}`,
      );
    }
    version = nextVersion(state, newGroupId);
  }
  const changes: JsonObject = { model_id: id };
  if (input.name !== undefined) changes.name = input.name;
  if (input.description !== undefined) changes.description = input.description;
  if (version !== undefined) changes.model_version = version;
  if (input.modelGroupId !== undefined) changes.model_group_id = input.modelGroupId;
  if (input.isEnabled !== undefined) changes.is_enabled = input.isEnabled;
  if (rateLimiter !== undefined) changes.rate_limiter = rateLimiter;
  if (input.modelConfig !== undefined) changes.model_config = input.modelConfig;
  if (input.deploySetting !== undefined) changes.deploy_setting = input.deploySetting;
  if (updatedConnector !== undefined) changes.connector = updatedConnector;
  if (newConnectorId !== undefined) changes.connector_id = newConnectorId;
  changes.last_updated_time = state.now();
  if (input.guardrails !== undefined) changes.guardrails = input.guardrails;
  if (input.modelInterface !== undefined) changes.interface = input.modelInterface;
  const merged = orderModel(deepMerge(model, changes));
  // Arrays and the inline connector's credential map replace rather than merge where the new value says so.
  if (updatedConnector !== undefined) merged.connector = updatedConnector;
  // `guardrails` "replaces whole guardrails object" (so `guardrails: {}` clears them); `model_config` merges
  // with the existing one ("after merging with existing"); `deploy_setting`: the reference is silent, and the
  // partial-document merge (nested objects merged) is kept [I].
  if (input.guardrails !== undefined) merged.guardrails = input.guardrails;
  const { doc: written } = state.models.put(id, merged);
  const response = state.writeResponse(state.models, id, written.version, written.seqNo, 'updated');
  if (predictorUpdate && deployed) {
    // MLUpdateModelCacheAction on every node: a node cannot rebuild the predictor when its stand-alone connector is
    // gone; the index is already written [infer: the failure path for a dangling connector].
    const connectorId = typeof merged.connector_id === 'string' ? merged.connector_id : undefined;
    if (connectorId !== undefined && !state.connectors.get(connectorId)) {
      throw runtimeException(
        `Successfully update ML model index with model ID ${id} but update model cache was failed on following nodes ${javaList([...(state.cache.get(id) ?? [])])}, please retry or redeploy model manually.`,
      );
    }
  }
  return { status: 200, body: response };
}

/** Seeds local models, their groups and chunk documents (options.localModels). */
export function seedLocalModels(state: OpenSearchState, models: readonly SeedLocalModel[]): void {
  for (const m of models) {
    const groupName = m.modelGroupName ?? m.name;
    const groupId = groupsNamed(state, groupName)[0] ?? createGroup(state, { name: groupName });
    const version = nextVersion(state, groupId);
    const now = state.now();
    const chunks = m.chunks ?? 2;
    const fn = m.functionName ?? 'TEXT_EMBEDDING';
    const id = state.newId();
    const source: JsonObject = {
      name: m.name,
      model_group_id: groupId,
      algorithm: fn,
      model_version: version,
      model_format: 'TORCH_SCRIPT',
      model_state: m.state ?? 'REGISTERED',
      model_content_size_in_bytes: 83408741,
      model_content_hash_value: 'c15f0d2e62d872be5b5bc6c84d2e0f4921541e29fefbef51d59cc10a8ae30e0f',
      model_config: m.modelConfig ?? {
        model_type: 'bert',
        embedding_dimension: 384,
        framework_type: 'SENTENCE_TRANSFORMERS',
        all_config: '{"_name_or_path":"nreimers/MiniLM-L6-H384-uncased","model_type":"bert"}',
      },
      created_time: now,
      last_updated_time: now,
      last_registered_time: now,
      total_chunks: chunks,
      is_hidden: false,
    };
    if (m.state === 'DEPLOYED') {
      Object.assign(source, {
        last_deployed_time: now,
        auto_redeploy_retry_times: 0,
        planning_worker_node_count: state.nodeIds.length,
        current_worker_node_count: state.nodeIds.length,
        planning_worker_nodes: [...state.nodeIds],
        deploy_to_all_nodes: true,
      });
      state.cache.set(id, new Set(state.nodeIds));
    }
    state.models.put(id, orderModel(source));
    for (let i = 0; i < chunks; i++) {
      state.models.put(`${id}_${i}`, {
        name: m.name,
        algorithm: fn,
        model_version: version,
        model_content: Buffer.from(`chunk ${i} of ${m.name}`).toString('base64'),
        model_format: 'TORCH_SCRIPT',
        created_time: now,
        last_updated_time: now,
        model_id: id,
        chunk_number: i,
        total_chunks: chunks,
      });
    }
  }
}
