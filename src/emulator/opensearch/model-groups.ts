/**
 * Model groups: register, get, update, delete, search. Names are unique (a `term` on
 * `name.keyword` before every register and rename) [src `MLModelGroupManager`, `TransportUpdateModelGroupAction`,
 * `DeleteModelGroupTransportAction`, `GetModelGroupTransportAction`].
 *
 * The security plugin is absent from the emulated cluster, so — as on such a cluster — every group is stored with
 * `access: "public"` and `access_mode`, `backend_roles`, `add_all_backend_roles` are refused with 400 "You cannot
 * specify model access control parameters because the Security plugin or model access control is disabled on your
 * cluster." (on update too).
 */
import type { EmuRequest, EmuResponse, JsonObject } from '../types.js';
import {
  OsError,
  illegalArgument,
  mlValidation,
  parseException,
  statusException,
  validateFields,
} from './errors.js';
import { accessMode, bool, objectBody, stringList, text } from './parse.js';
import { search } from './search.js';
import { clone, type OpenSearchState } from './state.js';
import { indexNotFound, validateCustomId } from './connectors.js';

interface GroupInput {
  name?: string;
  description?: string;
  backendRoles?: string[];
  access?: string;
  accessGiven: boolean;
  addAllBackendRoles?: boolean;
  modelGroupId?: string;
}

/** `MLRegisterModelGroupInput.parse` / `MLUpdateModelGroupInput.parse`: unknown keys skipped. */
function parseGroupInput(state: OpenSearchState, body: JsonObject): GroupInput {
  const input: GroupInput = { accessGiven: false };
  for (const [k, v] of Object.entries(body)) {
    switch (k) {
      case 'name':
        input.name = text(v);
        break;
      case 'description':
        input.description = text(v);
        break;
      case 'backend_roles':
        input.backendRoles = stringList(v);
        break;
      case 'access_mode': {
        const mode = accessMode(v);
        input.accessGiven = true;
        if (mode) input.access = mode;
        break;
      }
      case 'add_all_backend_roles':
        input.addAllBackendRoles = bool(v, k);
        break;
      case 'model_group_id':
        if (state.caps.customIds) input.modelGroupId = text(v);
        break;
      default:
        break;
    }
  }
  return input;
}

function refuseAccessControl(input: {
  access?: string;
  addAllBackendRoles?: boolean;
  backendRoles?: string[];
}): void {
  if (
    input.access !== undefined ||
    input.addAllBackendRoles !== undefined ||
    (input.backendRoles?.length ?? 0) > 0
  ) {
    throw illegalArgument(
      'You cannot specify model access control parameters because the Security plugin or model access control is disabled on your cluster.',
    );
  }
}

/** Ids of groups whose `name.keyword` equals `name` (the uniqueness check). */
export function groupsNamed(state: OpenSearchState, name: string): string[] {
  if (!state.modelGroups.exists) return [];
  return [...state.modelGroups.docs.values()].filter((d) => d.source.name === name).map((d) => d.id);
}

/**
 * `MLModelGroupManager.createModelGroup`: name check, access-control check, then a doc with `latest_version: 0`,
 * `access: public`. Shared with model registration (a model without `model_group_id` creates its group).
 */
export function createGroup(
  state: OpenSearchState,
  input: {
    name: string;
    description?: string;
    access?: string;
    addAllBackendRoles?: boolean;
    backendRoles?: string[];
    modelGroupId?: string;
  },
): string {
  const existing = groupsNamed(state, input.name);
  if (existing.length > 0) {
    throw illegalArgument(
      `The name you provided is already being used by a model group with ID: ${existing[0]}.`,
    );
  }
  refuseAccessControl(input);
  const now = state.now();
  const source: JsonObject = { name: input.name, latest_version: 0 };
  if (input.description !== undefined) source.description = input.description;
  source.access = 'public';
  source.created_time = now;
  source.last_updated_time = now;
  const id = input.modelGroupId ?? state.newId();
  if (input.modelGroupId !== undefined && state.modelGroups.get(id)) {
    throw statusException(409, `model group id '${id}' already exists`);
  }
  state.modelGroups.put(id, source);
  return id;
}

/** `POST /_plugins/_ml/model_groups/_register` → `{"model_group_id", "status": "CREATED"}`. */
export function registerModelGroup(state: OpenSearchState, req: EmuRequest): EmuResponse {
  const body = objectBody(req.body, () => parseException('Model group request has empty body'));
  const input = parseGroupInput(state, body);
  // MLRegisterModelGroupInput's constructor: `Objects.requireNonNull(name, …)` → a NullPointerException, 500.
  if (input.name === undefined)
    throw new OsError(500, 'null_pointer_exception', 'model group name must not be null');
  if (state.caps.safeInputText) {
    validateFields([
      ['Model group name', input.name, true],
      ['Model group description', input.description, false],
    ]);
  }
  if (input.modelGroupId !== undefined) validateCustomId(input.modelGroupId, 'model group id');
  const id = createGroup(state, { ...input, name: input.name });
  return { status: 200, body: { model_group_id: id, status: 'CREATED' } };
}

/** `GET /_plugins/_ml/model_groups/<id>`. */
export function getModelGroup(state: OpenSearchState, id: string): EmuResponse {
  if (!state.modelGroups.exists) throw statusException(404, 'Failed to find model group index');
  const doc = state.modelGroups.get(id);
  if (!doc) throw statusException(404, `Failed to find model group with the provided model group id: ${id}`);
  return { status: 200, body: clone(doc.source) };
}

/**
 * `PUT /_plugins/_ml/model_groups/<id>` → `{"status": "Updated"}`. A blank `description` is ignored; a new name
 * must be unique ("The name you provided is already being used by another model with ID: <id>. Please provide a
 * different name" — sic, "model") [src].
 */
export function updateModelGroup(state: OpenSearchState, req: EmuRequest, id: string): EmuResponse {
  // RestMLUpdateModelGroupAction throws a plain IOException: 500 `i_o_exception`.
  const body = objectBody(
    req.body,
    () => new OsError(500, 'i_o_exception', 'Model group request has empty body'),
  );
  const input = parseGroupInput(state, body);
  if (!state.modelGroups.exists) throw statusException(404, 'Failed to find model group');
  const doc = state.modelGroups.get(id);
  if (!doc) throw statusException(404, `Failed to find model group with the provided model group id: ${id}`);
  refuseAccessControl(input);
  const fields: JsonObject = {};
  if (input.description !== undefined && input.description.trim() !== '')
    fields.description = input.description;
  if (input.name !== undefined && input.name.trim() !== '' && input.name !== doc.source.name) {
    const taken = groupsNamed(state, input.name);
    if (taken.length > 0) {
      throw illegalArgument(
        `The name you provided is already being used by another model with ID: ${taken[0]}. Please provide a different name`,
      );
    }
    fields.name = input.name;
  }
  fields.last_updated_time = state.now();
  if (!state.modelGroups.update(id, fields)) throw mlValidation('Failed to update Model Group');
  return { status: 200, body: { status: 'Updated' } };
}

/**
 * `DELETE /_plugins/_ml/model_groups/<id>`: 409 "Cannot delete the model group when it has associated model
 * versions" while a model (a `term` on `model_group_id`) is in it; else a `DeleteResponse` (404 `not_found` for an
 * unknown id).
 */
export function deleteModelGroup(state: OpenSearchState, id: string): EmuResponse {
  if (state.models.exists && [...state.models.docs.values()].some((d) => d.source.model_group_id === id)) {
    throw statusException(409, 'Cannot delete the model group when it has associated model versions');
  }
  if (!state.modelGroups.exists) throw indexNotFound(state.modelGroups.name);
  const r = state.modelGroups.delete(id);
  return {
    status: r.result === 'not_found' ? 404 : 200,
    body: state.writeResponse(state.modelGroups, id, r.version, r.seqNo, r.result),
  };
}

/** `POST|GET /_plugins/_ml/model_groups/_search`. */
export function searchModelGroups(state: OpenSearchState, req: EmuRequest): EmuResponse {
  const body = req.body && req.body.trim() !== '' ? objectBody(req.body, () => parseException('')) : {};
  return { status: 200, body: search(state.modelGroups, body) };
}

/** Adds a version to a group: `latest_version + 1`, returned as the model's `model_version`. */
export function nextVersion(state: OpenSearchState, groupId: string): string {
  const doc = state.modelGroups.get(groupId);
  if (!doc) throw statusException(404, 'Model group not found');
  const version = Number(doc.source.latest_version ?? 0) + 1;
  state.modelGroups.update(groupId, { latest_version: version, last_updated_time: state.now() });
  return String(version);
}
