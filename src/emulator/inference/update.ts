/**
 * `PUT /_inference/[{task_type}/]{inference_id}/_update` (8.17+), the API docs: body allow-list, request
 * validation, task type, licence, lookup, merge of task settings, secrets, per-era non-secret settings,
 * allocation updates of in-cluster endpoints with their 8.17 quirks, 9.5 chunking replace.
 */
import type { Capabilities } from '../../catalog/capabilities.js';
import { LEGACY_CHUNKING_SETTINGS } from '../../catalog/chunking.js';
import { getService, requirementHolds, taskSettingsFor } from '../../catalog/index.js';
import type { FieldSpec, ServiceSpec } from '../../catalog/types.js';
import { atLeast } from '../../catalog/version.js';
import {
  EsError,
  javaString,
  licenseError,
  resourceNotFound,
  statusException,
  validationException,
} from '../errors.js';
import type { EmulatorState, StoredEndpoint } from '../state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from '../types.js';
import {
  invalidIdError,
  isInCluster,
  isValidInferenceId,
  materializeDefaults,
  parseJsonBody,
  parseTaskType,
  renderEndpoint,
  resolveTaskType,
  type ParsedTaskType,
} from './common.js';
import {
  checkField,
  isObject,
  parseChunking,
  ruleViolation,
  serviceFields,
  unknownSettings,
} from './settings.js';

/** The body of an `_update` as `UpdateInferenceModelAction.Request` parses it. */
interface UpdateBody {
  /** The body's `task_type` as given (already checked to be a known task type), or undefined. */
  readonly taskType: string | undefined;
  /** `service_settings` / `task_settings`; `{}` counts as absent. */
  readonly serviceSettings: JsonObject | undefined;
  readonly taskSettings: JsonObject | undefined;
  /** 9.5: `chunking_settings` as given (validated later). */
  readonly chunkingSettings: unknown;
}

/**
 * `getContentAsSettings()` (8.17 class, [V]) and its newer form: empty body, `task_type`
 * (a string, a known task type), `service_settings`, `task_settings` (objects), then the allow-list. Messages
 * print what is left of the body as a Java `HashMap` (`unvalidatedMap.toString()`).
 */
function parseUpdateBody(caps: Capabilities, req: EmuRequest): UpdateBody {
  if (req.body === undefined || req.body.trim() === '') throw statusException(400, 'Request body is empty');
  const raw = parseJsonBody(req, true) ?? {};
  const inserted = Object.keys(raw);
  if (inserted.length === 0) throw statusException(400, 'Request body is empty');
  const rest: Record<string, unknown> = { ...raw };
  const legacy = caps.updateParseErrors === 'legacy';

  let taskType: string | undefined;
  if ('task_type' in rest) {
    const value = rest.task_type;
    if (typeof value !== 'string') {
      // 8.17: 500 (INTERNAL_SERVER_ERROR in the code); the newer class answers 400.
      throw new EsError(
        legacy ? 500 : 400,
        'status_exception',
        `Failed to parse [task_type] in update request [${javaString(rest, inserted)}]`,
      );
    }
    parseTaskType(caps, value); // TaskType.fromStringOrStatusException: "Unknown task_type [x]"
    taskType = value;
    delete rest.task_type;
  }

  const section = (name: string): JsonObject | undefined => {
    if (!(name in rest)) return undefined;
    const value = rest[name];
    if (!isObject(value)) {
      throw statusException(
        400,
        legacy
          ? `Unable to parse ${name.replace('_', ' ')} in the request [${javaString(rest, inserted)}]`
          : `Unable to parse [${name}] in the request [${javaString(rest, inserted)}]`,
      );
    }
    delete rest[name];
    return Object.keys(value).length === 0 ? undefined : value;
  };
  const serviceSettings = section('service_settings');
  const taskSettings = section('task_settings');
  // 9.5 (PR #149723): chunking_settings joins the allow-list; its value is validated like create's, later.
  let chunkingSettings: unknown;
  if (caps.updateChunking && 'chunking_settings' in rest) {
    chunkingSettings = rest.chunking_settings;
    delete rest.chunking_settings;
  }

  if (Object.keys(rest).length > 0) {
    throw statusException(
      400,
      `Request contained fields which cannot be updated, remove these fields and try again [${javaString(rest, inserted)}]`,
    );
  }
  return { taskType, serviceSettings, taskSettings, chunkingSettings };
}

/**
 * The update handler; `second` undefined = the one-segment form `_inference/{id}/_update`. ES's order: REST
 * layer (route, URL task type), `Request.validate()` (the id), then `masterOperation`: (8.18–9.1 the licence,)
 * the body, task type resolution, lookup (404), (9.5 default endpoint), (9.2+ the licence), task type match,
 * merge.
 */
export function updateEndpoint(
  state: EmulatorState,
  req: EmuRequest,
  first: string,
  second: string | undefined,
): EmuResponse {
  const caps = state.caps;
  // 8.17.0–8.17.1: RestUpdateInferenceModelAction required both path parts.
  if (second === undefined && caps.updateOneSegmentBroken) {
    throw statusException(400, 'Inference ID must be provided in the path');
  }
  const urlType: ParsedTaskType = second === undefined ? 'any' : parseTaskType(caps, first);
  const id = second ?? first;

  // Request.validate: the id regex rejects `.`-prefixed (default) ids until 9.5.
  const isDefaultId = id.startsWith('.');
  if (!isValidInferenceId(id) && !(isDefaultId && caps.updateDefaultEndpointError === 'status'))
    throw invalidIdError(id);

  // 8.18–9.1: the licence first, as in create (capabilities `licenceCheck`) [I].
  if (caps.enterpriseLicense && caps.licenceCheck === 'first' && !state.hasEnterprise()) {
    throw licenseError('inference');
  }

  // body, then task type (mandatory).
  const body = parseUpdateBody(caps, req);
  const taskType = resolveTaskType(caps, urlType, body.taskType);

  // lookup, (9.5) default endpoint, (9.2+) licence per service once the endpoint is known.
  materializeDefaults(state);
  const ep = state.endpoints.get(id);
  // [I] text of INFERENCE_ENTITY_NON_EXISTANT_NO_UPDATE ("text unverified").
  if (!ep) throw resourceNotFound(`The inference endpoint [${id}] does not exist and cannot be updated`);
  if (ep.isDefault) throw statusException(400, `Default endpoint [${id}] cannot be updated`);
  if (caps.enterpriseLicense && caps.licenceCheck === 'perService' && !state.hasEnterprise()) {
    throw licenseError('inference');
  }
  if (taskType !== ep.taskType)
    throw statusException(400, 'Task type must match the task type of the existing endpoint');

  const spec = getService(ep.service);
  if (!spec) throw new EsError(500, 'status_exception', `Unknown service [${ep.service}]`);
  const next: StoredEndpoint = {
    ...ep,
    serviceSettings: { ...ep.serviceSettings },
    secrets: { ...ep.secrets },
    taskSettings: { ...ep.taskSettings },
  };

  mergeTaskSettings(state, spec, next, body.taskSettings);
  if (isInCluster(ep.service)) updateAllocations(state, req, next, body.serviceSettings);
  else if (body.serviceSettings) updateExternalServiceSettings(state, spec, next, body.serviceSettings);

  if (body.chunkingSettings !== undefined) {
    if (!spec.chunking.includes(ep.taskType))
      throw unknownSettings(caps, { chunking_settings: body.chunkingSettings }, spec.name);
    next.chunkingSettings = parseChunking(caps, spec, body.chunkingSettings); // replaced wholesale (PR #149723)
  }

  // External services re-validated by a provider call from 9.4.0 (PR #140003).
  if (!isInCluster(ep.service) && caps.updateValidatesWithProvider && !state.options.skipValidateAndStart) {
    const knobs = state.options.providerValidation ?? {};
    if (knobs.failAll || knobs.failServices?.includes(spec.name) || knobs.failInferenceIds?.includes(id)) {
      throw statusException(
        400,
        'Could not complete inference endpoint creation as validation call to service threw an exception.', // [I] same validator
        knobs.cause ?? { type: 'connect_exception', reason: 'Connection refused' },
      );
    }
  }
  // Bug #139574 (8.17.0 – 9.2.5, 9.3.0; fixed 9.2.6 / 9.3.1 / 9.4.0): the merged config is stored without chunking settings and reads back as the legacy
  // default (capabilities `updateResetsChunkingToLegacy`).
  if (caps.updateResetsChunkingToLegacy && next.chunkingSettings !== undefined) {
    next.chunkingSettings = { ...LEGACY_CHUNKING_SETTINGS };
  }
  state.endpoints.set(id, next);
  return { status: 200, body: renderEndpoint(state, next) };
}

/** Task settings are merged key by key; unknown keys ignored until 9.4, rejected in 9.5. */
function mergeTaskSettings(
  state: EmulatorState,
  spec: ServiceSpec,
  next: StoredEndpoint,
  given: JsonObject | undefined,
): void {
  if (!given) return;
  const caps = state.caps;
  const fields = taskSettingsFor(spec, next.taskType, caps.version);
  const errors: string[] = [];
  const unknown: JsonObject = {};
  for (const [key, value] of Object.entries(given)) {
    const field = fields[key];
    if (!field) {
      unknown[key] = value;
      continue;
    }
    if (value === null) continue;
    const checked = checkField(caps, spec.name, 'task_settings', key, field, value, errors);
    if (checked !== undefined) next.taskSettings[key] = checked;
  }
  if (errors.length > 0) throw validationException(errors);
  if (caps.updateRejectsUnknownKeys && Object.keys(unknown).length > 0)
    throw unknownSettings(caps, unknown, spec.name);
}

/** Secrets (required set until 9.5) and the per-service mutable settings of 9.4+. */
function updateExternalServiceSettings(
  state: EmulatorState,
  spec: ServiceSpec,
  next: StoredEndpoint,
  given: JsonObject,
): void {
  const caps = state.caps;
  const { plain, secret } = serviceFields(spec, next.taskType, caps);
  const present = (name: string) => given[name] !== undefined && given[name] !== null;

  // 9.5.0–9.5.2: the strict ObjectParser update parsers of some services did not declare the secret fields,
  // so a secret in service_settings is an unknown field (fixed 9.5.3, PR #157214 / #157413). [I] wording: the
  // ObjectParser's "unknown field" text.
  if (caps.updateRejectsSecretsFor.includes(spec.name)) {
    const sentSecret = Object.keys(secret).find((name) => present(name));
    if (sentSecret !== undefined) {
      throw new EsError(
        400,
        'x_content_parse_exception',
        `[1:2] [service_settings] unknown field [${sentSecret}]`,
      );
    }
  }

  // Secrets: SecretSettings.newSecretSettings(service_settings) re-parses the whole map.
  const secretErrors: string[] = [];
  const newSecrets: JsonObject = {};
  for (const [name, field] of Object.entries(secret)) {
    const value = given[name];
    if (value === undefined || value === null) {
      if (!caps.updateSecretsOptional && isRequiredSecret(field, next, caps.version)) {
        secretErrors.push(`[secret_settings] does not contain the required setting [${name}]`);
      }
      continue;
    }
    const checked = checkField(caps, spec.name, 'secret_settings', name, field, value, secretErrors);
    if (checked !== undefined) newSecrets[name] = checked;
  }
  // Exclusive secret groups (Azure OpenAI api_key / entra_id / client_secret): until 9.4 the whole map is
  // re-parsed, so exactly one is needed. 9.5 makes secrets optional (PR #149628) but not the exclusivity: at
  // most one may be sent, and the one sent replaces the stored member of its group [I].
  const exclusive = (spec.rules ?? []).filter(
    (rule) => rule.kind === 'exactlyOne' && rule.fields.every((f) => !plain[f]),
  );
  for (const rule of exclusive) {
    if (rule.kind !== 'exactlyOne') continue;
    const sent = rule.fields.filter((f) => secret[f] && present(f));
    if (caps.updateSecretsOptional && sent.length === 0) continue;
    const message = ruleViolation(rule, next.taskType, present, secret, given, caps.version);
    if (message) secretErrors.push(message);
  }
  if (secretErrors.length > 0) throw validationException(secretErrors);
  if (Object.keys(newSecrets).length > 0) {
    if (caps.updateSecretsOptional) {
      const merged: JsonObject = { ...next.secrets };
      for (const rule of exclusive) {
        if (rule.kind !== 'exactlyOne' || !rule.fields.some((f) => f in newSecrets)) continue;
        for (const f of rule.fields) delete merged[f];
      }
      next.secrets = { ...merged, ...newSecrets };
    } else {
      next.secrets = newSecrets;
    }
  }

  // Non-secret keys: ignored before 9.4; mutable ones applied from 9.4; the rest rejected in 9.5.
  const errors: string[] = [];
  const rejected: JsonObject = {};
  for (const [key, value] of Object.entries(given)) {
    if (secret[key]) continue;
    const field = plain[key];
    const mutable =
      caps.updateMutableServiceSettings &&
      field !== undefined &&
      typeof field.updatable === 'object' &&
      atLeast(caps.tuple, field.updatable.since);
    if (mutable && field) {
      if (value === null) continue;
      const checked = checkField(caps, spec.name, 'service_settings', key, field, value, errors);
      if (checked !== undefined) next.serviceSettings[key] = checked;
    } else {
      rejected[key] = value;
    }
  }
  if (errors.length > 0) throw validationException(errors);
  // [I] 9.5 text: validateConsumedUpdateSettings → the unknown-settings message.
  if (caps.updateRejectsUnknownKeys && Object.keys(rejected).length > 0)
    throw unknownSettings(caps, rejected, spec.name);
}

function isRequiredSecret(field: FieldSpec, ep: StoredEndpoint, version: string): boolean {
  const req = field.required;
  if (req === undefined) return false;
  if (req === true) return true;
  return requirementHolds({ ...req, unless: undefined }, ep.taskType, version);
}

/** Allocation updates of in-cluster endpoints, per era. */
function updateAllocations(
  state: EmulatorState,
  req: EmuRequest,
  next: StoredEndpoint,
  given: JsonObject | undefined,
): void {
  const caps = state.caps;
  const era = caps.updateAllocations;
  const id = next.inferenceId;
  let numAllocations: number | undefined;
  let adaptive: JsonObject | undefined;
  // 8.17.0–8.17.1: throwIfTrainedModelDoesntExist looks the assignment up by the inference id before anything
  // else, so an endpoint attached to another deployment gets this 404 instead of the 409s below.
  if (caps.updateFindsDeploymentByInferenceId && !state.deployments.has(id)) throw noDeployment(id, id);
  // 9.2.2 / 9.3.0+ (PR #138122, issue #137129): num_threads is refused; before, it was silently dropped.
  if (caps.updateNumThreads === 'rejected' && given !== undefined && 'num_threads' in given) {
    throw validationException(['[num_threads] cannot be updated']);
  }
  if (era === '8.17') {
    // num_allocations (integer) is required, whatever else is sent; adaptive_allocations not updatable.
    const n = given?.num_allocations;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw statusException(400, `Failed to parse [num_allocations] of update request [${req.body ?? ''}]`);
    }
    numAllocations = n;
  } else if (given) {
    const n = given.num_allocations;
    const a = given.adaptive_allocations;
    if (era === 'strict') {
      const others = Object.fromEntries(
        Object.entries(given).filter(([k]) => k !== 'num_allocations' && k !== 'adaptive_allocations'),
      );
      if ('num_threads' in others) throw validationException(['[num_threads] cannot be updated']);
      if (Object.keys(others).length > 0) throw unknownSettings(caps, others, next.service); // [I] strict parser text
      if (n === undefined && a === undefined) {
        throw validationException([
          '[service_settings] does not contain one of the required settings [num_allocations, adaptive_allocations]',
        ]);
      }
      if (n !== undefined && a !== undefined) {
        throw validationException(['[num_allocations] cannot be set if [adaptive_allocations] is set']);
      }
    }
    const errors: string[] = [];
    if (n !== undefined && n !== null) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        errors.push(
          `[service_settings] Invalid value [${javaString(n)}]. [num_allocations] must be a positive integer`,
        );
      } else numAllocations = n;
    }
    if (a !== undefined && a !== null) {
      const checked = checkField(
        caps,
        next.service,
        'service_settings',
        'adaptive_allocations',
        { type: 'adaptive_allocations', description: '', updatable: 'allocation' },
        a,
        errors,
      );
      if (isObject(checked)) adaptive = checked;
    }
    if (errors.length > 0) throw validationException(errors);
  }
  if (numAllocations === undefined && adaptive === undefined) return;

  // The endpoint must own its deployment (CreateFromDeploymentIT).
  const attached =
    typeof next.serviceSettings.deployment_id === 'string' ? next.serviceSettings.deployment_id : undefined;
  const deployment = state.deployments.get(attached ?? id);
  if (!deployment) throw noDeployment(id, attached ?? id);
  if (deployment.createdBy === undefined) {
    throw statusException(
      409,
      `Cannot update inference endpoint [${id}] using model deployment [${deployment.deploymentId}]. The model deployment must be updated through the trained models API.`,
    );
  }
  if (deployment.createdBy !== id) {
    throw statusException(
      409,
      `Cannot update inference endpoint [${id}] for model deployment [${deployment.deploymentId}] as it was created by another inference endpoint. The model can only be updated using inference endpoint id [${deployment.createdBy}].`,
    );
  }
  // UpdateTrainedModelDeploymentAction first, then the config; setting one mode clears the other (9.5; [I] before).
  if (numAllocations !== undefined) {
    deployment.numberOfAllocations = numAllocations;
    if (era !== '8.17') {
      deployment.adaptive = undefined;
      delete next.serviceSettings.adaptive_allocations;
    }
    next.serviceSettings.num_allocations = numAllocations;
  }
  if (adaptive !== undefined) {
    deployment.adaptive = adaptive as unknown as typeof deployment.adaptive;
    deployment.numberOfAllocations = undefined;
    next.serviceSettings.adaptive_allocations = adaptive as JsonValue;
    delete next.serviceSettings.num_allocations;
  }
}

/** [I] MODEL_ID_DOES_NOT_MATCH_EXISTING_MODEL_IDS_BUT_MUST_FOR_IN_CLUSTER_SERVICE, text unverified. */
function noDeployment(id: string, deploymentId: string): EsError {
  return resourceNotFound(
    `Cannot update inference endpoint [${id}]: no model deployment with id [${deploymentId}]`,
  );
}
