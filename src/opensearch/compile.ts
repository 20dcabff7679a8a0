/**
 * The pure compile step (house style 8): a planned change and the ids known so far become the ML Commons
 * requests that carry it out. Bodies keep credentials as `Secret`s; the client reveals them when it
 * sends. Tested like a compiler — change in, steps out — before anything is sent.
 */
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { withResolvedReferences } from './compare.js';
import { FIELDS } from './fields.js';
import {
  objectKey,
  undeclaredModelKey,
  type OpenSearchManifest,
  type OpenSearchModelManifest,
} from './kinds.js';
import type { OpenSearchChange } from './types.js';

type Body = Readonly<Record<string, unknown>>;

/**
 * One request. `id` absent on `update-model` means "the model this change just registered"; the
 * `deploy-model` / `undeploy-model` steps include the wait for the state they ask for.
 */
export type OpenSearchStep =
  | { readonly kind: 'create-connector'; readonly body: Body }
  | { readonly kind: 'update-connector'; readonly id: string; readonly body: Body }
  | { readonly kind: 'delete-connector'; readonly id: string }
  | { readonly kind: 'register-group'; readonly body: Body }
  | { readonly kind: 'update-group'; readonly id: string; readonly body: Body }
  | { readonly kind: 'delete-group'; readonly id: string }
  | { readonly kind: 'register-model'; readonly body: Body }
  | { readonly kind: 'update-model'; readonly id?: string; readonly body: Body }
  | { readonly kind: 'delete-model'; readonly id: string }
  | { readonly kind: 'deploy-model'; readonly id?: string }
  | { readonly kind: 'undeploy-model'; readonly id: string };

/** `METHOD path` of a step, for results and events (ids as known when compiled). */
export function describeStep(step: OpenSearchStep): string {
  const id = 'id' in step && step.id !== undefined ? step.id : '<new>';
  switch (step.kind) {
    case 'create-connector':
      return 'POST /_plugins/_ml/connectors/_create';
    case 'update-connector':
      return `PUT /_plugins/_ml/connectors/${id}`;
    case 'delete-connector':
      return `DELETE /_plugins/_ml/connectors/${id}`;
    case 'register-group':
      return 'POST /_plugins/_ml/model_groups/_register';
    case 'update-group':
      return `PUT /_plugins/_ml/model_groups/${id}`;
    case 'delete-group':
      return `DELETE /_plugins/_ml/model_groups/${id}`;
    case 'register-model':
      return 'POST /_plugins/_ml/models/_register';
    case 'update-model':
      return `PUT /_plugins/_ml/models/${id}`;
    case 'delete-model':
      return `DELETE /_plugins/_ml/models/${id}`;
    case 'deploy-model':
      return `POST /_plugins/_ml/models/${id}/_deploy`;
    case 'undeploy-model':
      return `POST /_plugins/_ml/models/${id}/_undeploy`;
  }
}

/** The ids references resolve to: the plan's live ids, plus those created so far by the apply. */
export type IdLookup = (key: string) => string | undefined;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`cannot compile: ${what}`);
  return value;
}

/**
 * The steps of one change.
 *
 * @example compileOpenSearchChange(change, manifest, caps, (k) => ids[k]) // [{ kind: 'register-model', body }]
 */
export function compileOpenSearchChange(
  change: OpenSearchChange,
  manifest: OpenSearchManifest | undefined,
  caps: OpenSearchCapabilities,
  ids: IdLookup,
): OpenSearchStep[] {
  const id = () => need(change.id, `${change.key} has no live id`);
  switch (change.action) {
    case 'undeploy':
      return [{ kind: 'undeploy-model', id: id() }];
    case 'deploy': {
      // A declared model's deploy after a create or a re-registration deploys its new id; an undeclared
      // model (redeployed after its connector changed) keeps the id the plan names.
      const key = objectKey('OpenSearchModel', change.name);
      const declared = change.key === `${key}#deploy`;
      return [{ kind: 'deploy-model', id: (declared ? ids(key) : undefined) ?? id() }];
    }
    case 'delete':
      return [
        change.kind === 'OpenSearchConnector'
          ? { kind: 'delete-connector', id: id() }
          : change.kind === 'OpenSearchModelGroup'
            ? { kind: 'delete-group', id: id() }
            : { kind: 'delete-model', id: id() },
      ];
    default:
      break;
  }
  if (change.id !== undefined && change.key === undeclaredModelKey(change.id)) {
    // A model no manifest declares, moved off a replaced connector: only its connector_id changes, to
    // the new connector this change depends on.
    const connectorKey = need(
      change.dependsOn.find((k) => k.startsWith('OpenSearchConnector/')),
      `${change.key} depends on no connector`,
    );
    return [
      {
        kind: 'update-model',
        id: id(),
        body: { connector_id: need(ids(connectorKey), `${connectorKey} has no id yet`) },
      },
    ];
  }
  const m = need(manifest, `no manifest for ${change.key}`);
  switch (m.kind) {
    case 'OpenSearchConnector':
      // A replacement creates the new connector; the models move and the old one goes in changes of their own.
      return change.action === 'create' || change.action === 'replace'
        ? [{ kind: 'create-connector', body: { name: m.name, ...connectorBody(m.spec as never) } }]
        : [{ kind: 'update-connector', id: id(), body: connectorUpdateBody(change, m.spec as never) }];
    case 'OpenSearchModelGroup':
      return change.action === 'create'
        ? [{ kind: 'register-group', body: { name: m.name, ...plain(m.spec as never) } }]
        : [{ kind: 'update-group', id: id(), body: changedFields(change, m.spec as never) }];
    case 'OpenSearchModel': {
      if (change.action === 'update') {
        return [{ kind: 'update-model', id: id(), body: modelUpdateBody(change, m, caps, ids) }];
      }
      const register: OpenSearchStep[] = [{ kind: 'register-model', body: registerBody(m, ids) }];
      // 2.12–2.19 drop `is_enabled` when registering a remote model (capability registerStoresIsEnabled):
      // a disabled model is disabled by an update right after.
      if (m.spec.is_enabled === false && !caps.registerStoresIsEnabled && caps.updateModelApi) {
        register.push({ kind: 'update-model', body: { is_enabled: false } });
      }
      return change.action === 'replace' ? [{ kind: 'delete-model', id: id() }, ...register] : register;
    }
  }
}

/** The declared spec without undefined members. */
function plain(spec: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
}

/** A connector body: the spec as declared (credential as `Secret`s). */
function connectorBody(spec: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return plain(spec);
}

/** Top-level fields a change touches (`/parameters/model` → `parameters`). */
function touched(change: OpenSearchChange): Set<string> {
  const out = new Set<string>();
  for (const e of change.diff) {
    const field = e.path.split('/')[1];
    if (field) out.add(field.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return out;
}

/** The declared values of the fields that changed (whole values: lists and maps replace or merge whole). */
function changedFields(
  change: OpenSearchChange,
  spec: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of touched(change)) if (spec[field] !== undefined) body[field] = spec[field];
  return body;
}

/**
 * `PUT /_plugins/_ml/connectors/<id>`: the changed fields; the credential map (replaced as a whole,
 * only when the credential changed.
 */
function connectorUpdateBody(
  change: OpenSearchChange,
  spec: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const body = changedFields(change, spec);
  // A field no longer declared that the update can clear (an MCP connector's headers) is sent cleared.
  for (const field of touched(change)) {
    const def = FIELDS.OpenSearchConnector[field];
    if (spec[field] === undefined && def?.removal === 'clear') body[field] = def.clearWith;
  }
  return body;
}

/** `POST /_plugins/_ml/models/_register`: a remote model in its group, on its connector. */
function registerBody(m: OpenSearchModelManifest, ids: IdLookup): Record<string, unknown> {
  const { model_group, connector, deploy: _deploy, ...rest } = resolvedSpec(m, ids);
  const groupKey = objectKey('OpenSearchModelGroup', model_group);
  return {
    name: m.name,
    function_name: 'remote',
    model_group_id: need(ids(groupKey), `${groupKey} has no id yet`),
    ...(typeof connector === 'string'
      ? {
          connector_id: need(
            ids(objectKey('OpenSearchConnector', connector)),
            `OpenSearchConnector/${connector} has no id yet`,
          ),
        }
      : { connector: plain(connector as never) }),
    ...plain(rest),
  };
}

/** The model's spec with nested references (a guard model by name) as the ids known so far. */
function resolvedSpec(m: OpenSearchModelManifest, ids: IdLookup): OpenSearchModelManifest['spec'] {
  const spec = withResolvedReferences(
    'OpenSearchModel',
    m.spec as unknown as Record<string, unknown>,
    (key) => need(ids(key), `${key} has no id yet`),
  );
  return withGuardrailsType(spec) as unknown as OpenSearchModelManifest['spec'];
}

/**
 * Guardrails are sent with the `type` the schema promises (`local_regex` when omitted): 2.17 fills it in, but 2.15
 * and 2.16 refuse a guardrails object without it ("The type of guardrails is required, can not be null.") and
 * 2.13/2.14 store it as given [src `Guardrails.parse` per release].
 */
function withGuardrailsType(spec: Record<string, unknown>): Record<string, unknown> {
  const g = spec['guardrails'];
  if (g === null || typeof g !== 'object' || Array.isArray(g) || 'type' in g) return spec;
  return { ...spec, guardrails: { type: 'local_regex', ...g } };
}

/**
 * `PUT /_plugins/_ml/models/<id>`: the changed fields with their declared values; a field no longer
 * declared that can be cleared is sent as its clearing value; references as ids; an inline connector
 * whole, with its credential (merged into the model's connector).
 */
function modelUpdateBody(
  change: OpenSearchChange,
  m: OpenSearchModelManifest,
  _caps: OpenSearchCapabilities,
  ids: IdLookup,
): Record<string, unknown> {
  const spec = resolvedSpec(m, ids) as unknown as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const field of touched(change)) {
    if (field === 'model_group_id') {
      const key = objectKey('OpenSearchModelGroup', m.spec.model_group);
      body['model_group_id'] = need(ids(key), `${key} has no id yet`);
    } else if (field === 'connector_id') {
      const key = objectKey('OpenSearchConnector', String(m.spec.connector));
      body['connector_id'] = need(ids(key), `${key} has no id yet`);
    } else if (field === 'connector') {
      body['connector'] = plain(m.spec.connector as never);
    } else if (spec[field] !== undefined) {
      body[field] = spec[field];
    } else {
      const def = FIELDS.OpenSearchModel[field];
      if (def?.removal === 'clear') body[field] = def.clearWith;
      else if (def?.removal === 'default') body[field] = def.default;
    }
  }
  return body;
}
