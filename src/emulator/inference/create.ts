/**
 * `PUT /_inference/[{task_type}/]{inference_id}` — the create flow of the API docs, step by step, in ES's
 * order: id validation, (8.18–9.1: licence), task type, service, (9.2+: licence), unknown service, id vs.
 * deployments, per-service parsing, provider validation call (which fills `dimensions` / `similarity`),
 * duplicate check, persist, deployment start (408 when it is slow), 200 response.
 */
import { atLeast } from '../../catalog/version.js';
import { defaultOf, getService, supportedTaskTypes, taskSettingsFor } from '../../catalog/index.js';
import type { ServiceSpec, TaskType } from '../../catalog/types.js';
import {
  EsError,
  actionRequestValidation,
  illegalArgument,
  licenseError,
  resourceNotFound,
  inferenceTimeout,
  javaHashOrder,
  statusException,
} from '../errors.js';
import { canMergeWith, modelSettingsOf, recordedModelSettings } from '../../catalog/semantic-settings.js';
import { storeOf } from '../documents.js';
import { fieldDefinition } from '../indices.js';
import { indicesUsing } from './read-delete.js';
import { startDeployment, waitForStarted } from '../ml.js';
import { EMBEDDING_DIMENSIONS, FALLBACK_DIMENSIONS, knownTrainedModels } from '../models.js';
import type { EmulatorState, StoredEndpoint } from '../state.js';
import type { EmuRequest, EmuResponse, JsonObject } from '../types.js';
import {
  formatTimeValue,
  invalidIdError,
  isValidInferenceId,
  parseJsonBody,
  parseTaskType,
  parseTimeValue,
  renderEndpoint,
  resolveTaskType,
  type ParsedTaskType,
} from './common.js';
import { isObject, parseCreateSettings, resolvedDefault, serviceFields } from './settings.js';

const VALIDATION_FAILED =
  'Could not complete inference endpoint creation as validation call to service threw an exception.';

/** The create handler. `urlTaskType` is the first path segment of the two-segment form. */
export async function createEndpoint(
  state: EmulatorState,
  req: EmuRequest,
  urlTaskType: string | undefined,
  id: string,
): Promise<EmuResponse> {
  const caps = state.caps;
  // REST layer: the task type in the URL and the `timeout` param are parsed first.
  const urlType: ParsedTaskType = urlTaskType === undefined ? 'any' : parseTaskType(caps, urlTaskType);
  const timeoutMs =
    caps.putTimeoutParam && req.query.timeout !== undefined
      ? parseTimeValue(req.query.timeout, 'timeout')
      : (state.options.deploymentWaitMs ?? 30_000);
  // 1. Request.validate (8.13+). The REST handler copies the content without requiring it
  // (`tryCopyContent`), so the id is checked before a missing body is noticed.
  if (caps.validatesInferenceId && !isValidInferenceId(id)) throw invalidIdError(id);
  // 8.18–9.1: the licence is the first statement of masterOperation, before the body is read.
  if (caps.enterpriseLicense && caps.licenceCheck === 'first' && !state.hasEnterprise()) {
    throw licenseError('inference');
  }
  // [I] text and type for an empty body after a valid id (see parseJsonBody).
  const config: Record<string, unknown> = { ...parseJsonBody(req, true) };
  const configKeys = Object.keys(config);

  // 3. task type, then service.
  const bodyTaskType = config.task_type;
  delete config.task_type;
  const taskType = resolveTaskType(caps, urlType, bodyTaskType);
  const serviceName = config.service;
  delete config.service;
  if (serviceName === undefined || serviceName === null) {
    throw statusException(
      400,
      caps.missingServiceMessage === 'endpoint'
        ? 'Inference endpoint configuration is missing the [service] setting'
        : 'Model configuration is missing a service',
    );
  }
  // 4. licence per service (9.2+).
  if (caps.enterpriseLicense && caps.licenceCheck === 'perService' && !state.hasEnterprise()) {
    throw licenseError('inference');
  }
  // 5. unknown service (or one this version does not have yet).
  const spec = getService(String(serviceName));
  if (!spec || !atLeast(caps.tuple, spec.since))
    throw statusException(400, `Unknown service [${String(serviceName)}]`);
  // 7. the id must not equal a trained model deployment id.
  if ([...state.deployments.values()].some((d) => d.deploymentId === id || d.modelId === id)) {
    throw statusException(
      400,
      `Inference endpoint IDs must be unique. Requested inference endpoint ID [${id}] matches existing trained model ID(s) but must not.`,
    );
  }
  // 8. per-service parsing.
  if (!supportedTaskTypes(spec, caps.version).includes(taskType)) {
    throw statusException(400, `The [${spec.name}] service does not support task type [${taskType}]`);
  }
  const parsed = parseCreateSettings(caps, spec, taskType, config, {
    deferAdaptiveConflict: caps.adaptiveConflictStoresEndpoint,
    configKeys,
  });
  const serviceSettings = parsed.serviceSettings;
  const inCluster = spec.inCluster === true;
  if (inCluster) prepareInCluster(state, spec, taskType, serviceSettings);
  // Serverless: deployments are always adaptive, scaling from 0 (docs-content issue #2928, Kibana PR #222726);
  // a fixed count is not kept [I: how a create that sends one is answered is not documented — modelled as
  // turned into adaptive bounds].
  if (inCluster && caps.allocationsAlwaysAdaptive && serviceSettings.deployment_id === undefined) {
    const given = isObject(serviceSettings.adaptive_allocations) ? serviceSettings.adaptive_allocations : {};
    const max =
      typeof given.max_number_of_allocations === 'number'
        ? given.max_number_of_allocations
        : typeof serviceSettings.num_allocations === 'number'
          ? serviceSettings.num_allocations
          : 32;
    serviceSettings.adaptive_allocations = {
      enabled: true,
      min_number_of_allocations:
        typeof given.min_number_of_allocations === 'number' ? given.min_number_of_allocations : 0,
      max_number_of_allocations: max,
    };
    delete serviceSettings.num_allocations;
  }
  fillDefaults(state, spec, taskType, serviceSettings);
  fillTaskSettingsDefaults(state, spec, taskType, parsed.taskSettings);

  // The create guard of PR #137055, strict form: before the validation call and before persisting.
  if (caps.createGuard === 'strict') {
    const used = indicesUsing(state, id).filter((i) => storeOf(state, i).searcher.size > 0);
    if (used.length > 0) {
      throw statusException(
        400,
        `Inference endpoint [${id}] could not be created because it is being used in mappings for indices: [${javaHashOrder(used.map((i) => i.name)).join(', ')}]`,
      );
    }
  }

  // 10. the provider validation call (text_embedding always; every task type from 8.16; in-cluster 8.19/9.1).
  const validates =
    !state.options.skipValidateAndStart &&
    (inCluster
      ? caps.validatesInClusterAtCreate
      : taskType === 'text_embedding' || caps.validatesAllTaskTypes);
  if (validates) validationCall(state, spec, taskType, id, serviceSettings);
  if (validates && !inCluster && (taskType === 'text_embedding' || taskType === 'embedding')) {
    fillEmbeddingDetails(state, spec, taskType, id, serviceSettings);
  }

  // The compatible form (9.3.6+): fields that recorded model_settings the validated endpoint cannot merge with.
  if (caps.createGuard === 'compatible') {
    const next = modelSettingsOf(taskType, serviceSettings);
    const used = indicesUsing(state, id).filter((i) =>
      i.semanticFields.some((f) => {
        if (f.inferenceId !== id && f.searchInferenceId !== id) return false;
        const recorded = recordedModelSettings(fieldDefinition(i.mappings, f.field));
        return recorded !== undefined && canMergeWith(recorded, next) !== true;
      }),
    );
    if (used.length > 0) {
      throw statusException(
        400,
        `Inference endpoint [${id}] could not be created because the inference_id is being used in mappings with incompatible settings for indices: [${javaHashOrder(used.map((i) => i.name)).join(', ')}]. Please either use a different inference_id or update the index mappings to refer to a different inference_id.`,
      );
    }
  }

  // 11. persist (OpType.CREATE).
  if (state.endpoints.has(id) || caps.defaultEndpoints.some((d) => d.inferenceId === id)) {
    throw new EsError(400, 'resource_already_exists_exception', `Inference endpoint [${id}] already exists`);
  }
  const endpoint: StoredEndpoint = {
    inferenceId: id,
    taskType,
    service: spec.storedAs && atLeast(caps.tuple, spec.storedAs.since) ? spec.storedAs.service : spec.name,
    serviceSettings,
    secrets: parsed.secrets,
    taskSettings: parsed.taskSettings,
    chunkingSettings: parsed.chunkingSettings,
    isDefault: false,
  };
  state.endpoints.set(id, endpoint);
  state.invalidateOrder();

  // 12. start the deployment of an in-cluster endpoint.
  if (inCluster && !state.options.skipValidateAndStart && serviceSettings.deployment_id === undefined) {
    // 9.2 (issue #137127): the start request's validation fails after the config was stored; no deployment.
    if (parsed.adaptiveConflict !== undefined) throw actionRequestValidation([parsed.adaptiveConflict]);
    if (caps.mlLicenseForDeployments && !state.hasMl()) {
      // ≤8.17: the ML licence check fails the start and no endpoint is left (InsufficientLicenseIT).
      state.endpoints.delete(id);
      state.invalidateOrder();
      throw licenseError('ml');
    }
    const deployment = startDeployment(state, {
      deploymentId: id,
      modelId: String(serviceSettings.model_id),
      createdBy: id,
      threads: Number(serviceSettings.num_threads),
      allocations:
        typeof serviceSettings.num_allocations === 'number' ? serviceSettings.num_allocations : undefined,
      adaptive: isObject(serviceSettings.adaptive_allocations)
        ? (serviceSettings.adaptive_allocations as unknown as StoredAdaptive)
        : undefined,
    });
    if (!(await waitForStarted(state, deployment, timeoutMs))) {
      // The config is stored: GET finds it, the deployment keeps starting. [I type]
      // The status follows the version's inference timeouts (capabilities `inferenceTimeoutStatus`) [I: issue
      // #144858 names the 30 s PUT wait among the timeouts PRs #145838 / #146531 changed].
      throw inferenceTimeout(
        caps.inferenceTimeoutStatus,
        `Timed out after [${formatTimeValue(timeoutMs)}] waiting for model deployment to start. Use the trained model stats API to track the state of the deployment.`,
        id,
      );
    }
  }
  return { status: 200, body: renderEndpoint(state, endpoint) };
}

type StoredAdaptive = {
  enabled: boolean;
  min_number_of_allocations?: number;
  max_number_of_allocations?: number;
};

/**
 * In-cluster specifics: `elser` gets the platform ELSER model; `model_id` must be a known model
 * unless `deployment_id` attaches to an existing deployment (404 if missing, 400 on a model mismatch).
 */
function prepareInCluster(
  state: EmulatorState,
  spec: ServiceSpec,
  taskType: TaskType,
  settings: JsonObject,
): void {
  if (spec.name === 'elser') {
    settings.model_id = state.platformModel('.elser_model_2');
    return;
  }
  const deploymentId = settings.deployment_id;
  if (typeof deploymentId === 'string') {
    const deployment = state.deployments.get(deploymentId);
    if (!deployment) throw resourceNotFound(`Cannot find deployment [${deploymentId}]`);
    if (typeof settings.model_id === 'string' && settings.model_id !== deployment.modelId) {
      throw statusException(
        400,
        `Deployment [${deploymentId}] uses model [${deployment.modelId}] which does not match the model [${settings.model_id}] in the request.`,
      );
    }
    settings.model_id = deployment.modelId;
    return;
  }
  const models = knownTrainedModels(state.options.trainedModels);
  const modelId = String(settings.model_id);
  const model = models.get(modelId);
  if (!model) {
    throw illegalArgument(
      `Error parsing request config, model id does not match any models available on this platform. Was [${modelId}]. You may need to load it into the cluster using eland.`,
    );
  }
  if (!model.builtIn && taskType === 'text_embedding') {
    // Eland text-embedding models get dimensions/similarity/element_type.
    if (model.dimensions !== undefined) settings.dimensions = model.dimensions;
    settings.similarity = model.similarity ?? 'cosine';
    settings.element_type = 'float';
  }
}

/**
 * Fills the catalog's stored defaults (`rate_limit` per task type, `embedding_type: float`, …). Not here:
 * server-filled fields (`similarity`, `dimensions`: the validation call fills them, `fillEmbeddingDetails`) and
 * defaults the server applies without storing them (`storedWhenOmitted: false`).
 */
function fillDefaults(
  state: EmulatorState,
  spec: ServiceSpec,
  taskType: TaskType,
  settings: JsonObject,
): void {
  const { plain } = serviceFields(spec, taskType, state.caps);
  for (const [name, field] of Object.entries(plain)) {
    if (settings[name] !== undefined || field.serverFilled || field.storedWhenOmitted === false) continue;
    const value = defaultOf(field, taskType);
    if (value !== undefined) settings[name] = structuredClone(value) as JsonObject[string];
  }
}

/** Task settings defaults the server stores (`elasticsearch` rerank `return_documents: true`). */
function fillTaskSettingsDefaults(
  state: EmulatorState,
  spec: ServiceSpec,
  taskType: TaskType,
  settings: JsonObject,
): void {
  for (const [name, field] of Object.entries(taskSettingsFor(spec, taskType, state.caps.version))) {
    if (settings[name] !== undefined || field.storedWhenOmitted === false) continue;
    const value = defaultOf(field, taskType);
    if (value !== undefined) settings[name] = structuredClone(value) as JsonObject[string];
  }
}

/** Fails as configured (knob); otherwise the simulated provider answers. */
function validationCall(
  state: EmulatorState,
  spec: ServiceSpec,
  taskType: TaskType,
  id: string,
  settings: JsonObject,
): void {
  const knobs = state.options.providerValidation ?? {};
  const forbidden = (spec.rules ?? []).find(
    (r) => r.kind === 'forbiddenFor' && r.taskTypes.includes(taskType) && settings[r.field] !== undefined,
  );
  const fails =
    knobs.failAll === true ||
    knobs.failServices?.includes(spec.name) === true ||
    knobs.failInferenceIds?.includes(id) === true ||
    forbidden !== undefined;
  // An `elastic` endpoint's validation call goes to EIS: without authorisation (no Elastic Cloud mTLS, no
  // Cloud Connect) it fails [I: the exact reason text is not modelled; the 400 wrapper is the same as for any
  // failed validation call].
  const eisUnreachable = spec.name === 'elastic' && !state.eisAuthorized;
  if (!fails && !eisUnreachable) return;
  const cause =
    forbidden && forbidden.kind === 'forbiddenFor'
      ? { type: 'status_exception', reason: forbidden.message }
      : eisUnreachable && !fails
        ? {
            type: 'status_exception',
            reason: 'this cluster is not authorized to use the Elastic Inference Service',
          }
        : (knobs.cause ?? { type: 'connect_exception', reason: 'Connection refused' });
  throw statusException(400, VALIDATION_FAILED, cause);
}

/**
 * `dimensions` = the size the validation call returned; `similarity` filled when absent with the catalog's
 * default for the stored settings (`defaultWhen`: JinaAI bit/binary → l2_norm, Bedrock per provider), as
 * `updateModelWithEmbeddingDetails` does after the validation call — so neither is filled under
 * `skip_validate_and_start`. Only for fields the catalog lists for the service.
 */
function fillEmbeddingDetails(
  state: EmulatorState,
  spec: ServiceSpec,
  taskType: TaskType,
  id: string,
  settings: JsonObject,
): void {
  const { plain } = serviceFields(spec, taskType, state.caps);
  const modelKey = String(
    settings.model_id ?? settings.model ?? settings.service_id ?? settings.endpoint_name ?? '',
  );
  const override = state.options.providerValidation?.dimensions?.[modelKey];
  const given = typeof settings.dimensions === 'number' ? settings.dimensions : undefined;
  const returned = override ?? given ?? EMBEDDING_DIMENSIONS[modelKey] ?? FALLBACK_DIMENSIONS;
  if (given !== undefined && returned !== given) {
    throw statusException(
      400,
      `The retrieved embeddings size [${returned}] does not match the size specified in the settings [${given}]. Please recreate the [${id}] configuration with the correct dimensions`,
    );
  }
  if (plain.dimensions && given === undefined) settings.dimensions = returned;
  const similarity = plain.similarity;
  if (similarity && settings.similarity === undefined) {
    const value = resolvedDefault(similarity, taskType, settings, state.caps.version);
    if (typeof value === 'string') settings.similarity = value;
  }
}
