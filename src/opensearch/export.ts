/**
 * Live ML Commons objects → manifests (`inferctl export` on OpenSearch), so that an existing cluster can be brought
 * under inferctl: connectors, model groups and remote models, with references by name. Pure.
 *
 * What is written: the fields inferctl manages (`FIELDS`), as the server stores them, minus values equal to the
 * field's default; `action_type` in lower case; `deploy` from the model state. Never written: ids, timestamps,
 * versions and anything else the server keeps for itself. Credentials are never returned by OpenSearch, not even
 * their keys: the keys are read from the `${credential.x}` placeholders of the connector (and `access_key` /
 * `secret_key` for `aws_sigv4`, which the signer uses), each a `secretRef` to an environment variable.
 *
 * Skipped, with the reason: local (non-remote) and hidden models, and names that several objects of a kind share
 * (a manifest names one object; inferctl refuses to guess which).
 */
import { Document } from 'yaml';
import type { OpenSearchCapabilities } from '../catalog/opensearch-capabilities.js';
import { deepEqual } from '../util/json.js';
import { clientConfigDefaults } from './compare.js';
import { AUTH_HEADERS, FIELDS } from './fields.js';
import { compareStrings, objectKey, type OpenSearchKind } from './kinds.js';
import { isDeployed, stringField, type LiveObject, type OpenSearchLive } from './live.js';

export interface ExportedObject {
  /** `OpenSearchModel/openai-embeddings`: what `inferctl adopt` takes. */
  readonly key: string;
  readonly kind: OpenSearchKind;
  readonly name: string;
  readonly id: string;
  /** The manifest as YAML, with comments for what needs a human. */
  readonly yaml: string;
  /** Environment variables its credential references name. */
  readonly env: readonly string[];
  /** What a human must know (a secret found in a header and moved to a credential placeholder). */
  readonly warnings: readonly string[];
}

export interface OpenSearchExport {
  readonly objects: readonly ExportedObject[];
  readonly skipped: readonly { readonly key: string; readonly id: string; readonly reason: string }[];
}

type Obj = Record<string, unknown>;

/** The environment variable a credential key of an object is read from: `OPENAI_CONNECTOR_OPENAI_KEY`. */
export function credentialEnvName(name: string, key: string): string {
  return `${name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * Exports every connector, model group and remote model of `live` (read with `readEverything`).
 *
 * @example exportOpenSearch(live, openSearchCapabilitiesFor('2.19.0')).objects.map((o) => o.yaml).join('---\n')
 */
export function exportOpenSearch(live: OpenSearchLive, caps: OpenSearchCapabilities): OpenSearchExport {
  const version = caps.version;
  const skipped: { key: string; id: string; reason: string }[] = [];
  const unique = (kind: OpenSearchKind, objects: readonly LiveObject[]): Map<string, LiveObject> => {
    const byName = new Map<string, LiveObject[]>();
    for (const o of objects) {
      const name = stringField(o.source, 'name');
      if (name === undefined) continue;
      byName.set(name, [...(byName.get(name) ?? []), o]);
    }
    const out = new Map<string, LiveObject>();
    for (const [name, found] of byName) {
      if (found.length === 1) out.set(found[0]!.id, found[0]!);
      else
        for (const o of found)
          skipped.push({
            key: objectKey(kind, name),
            id: o.id,
            reason: `${found.length} ${kind} objects are named ${name} (${found.map((x) => x.id).join(', ')}): rename or delete the extra ones`,
          });
    }
    return out;
  };
  const connectors = unique('OpenSearchConnector', live.connectors);
  const groups = unique('OpenSearchModelGroup', live.groups);
  const remote = live.models.filter((m) => {
    const name = stringField(m.source, 'name') ?? m.id;
    if (m.source['is_hidden'] === true) return false;
    if (m.source['function_name'] !== 'remote' && m.source['algorithm'] !== 'REMOTE') {
      skipped.push({
        key: objectKey('OpenSearchModel', name),
        id: m.id,
        reason: `a local model (${String(m.source['function_name'] ?? m.source['algorithm'] ?? 'unknown')}): inferctl manages remote models`,
      });
      return false;
    }
    return true;
  });
  const models = unique('OpenSearchModel', remote);
  const objects: ExportedObject[] = [];

  for (const c of sorted(connectors)) {
    const name = stringField(c.source, 'name')!;
    const { spec, env, moved } = connectorSpec(c.source, name, caps);
    objects.push(object('OpenSearchConnector', name, c.id, spec, env, version, moved));
  }
  for (const g of sorted(groups)) {
    const name = stringField(g.source, 'name')!;
    objects.push(
      object(
        'OpenSearchModelGroup',
        name,
        g.id,
        fieldsOf('OpenSearchModelGroup', g.source, caps),
        [],
        version,
      ),
    );
  }
  for (const m of sorted(models)) {
    const name = stringField(m.source, 'name')!;
    const key = objectKey('OpenSearchModel', name);
    const group = groups.get(stringField(m.source, 'model_group_id') ?? '');
    if (!group) {
      skipped.push({ key, id: m.id, reason: 'its model group is missing or shares its name with another' });
      continue;
    }
    let connector: unknown;
    let env: string[] = [];
    let moved: string[] = [];
    const connectorId = stringField(m.source, 'connector_id');
    if (connectorId !== undefined) {
      const c = connectors.get(connectorId);
      if (!c) {
        skipped.push({
          key,
          id: m.id,
          reason: `its connector ${connectorId} is missing or shares its name with another`,
        });
        continue;
      }
      connector = stringField(c.source, 'name');
    } else if (m.source['connector'] && typeof m.source['connector'] === 'object') {
      const inline = connectorSpec(m.source['connector'] as Obj, name, caps);
      const inlineName = stringField(m.source['connector'] as Obj, 'name');
      connector = { ...(inlineName !== undefined ? { name: inlineName } : {}), ...inline.spec };
      env = inline.env;
      moved = inline.moved;
    } else {
      skipped.push({ key, id: m.id, reason: 'a remote model without a connector' });
      continue;
    }
    const spec: Obj = {
      model_group: stringField(group.source, 'name'),
      connector,
      ...fieldsOf('OpenSearchModel', m.source, caps),
      deploy: isDeployed(m),
    };
    objects.push(object('OpenSearchModel', name, m.id, spec, env, version, moved));
  }
  return { objects, skipped: skipped.sort((a, b) => compareStrings(a.key, b.key)) };
}

function sorted(objects: ReadonlyMap<string, LiveObject>): LiveObject[] {
  return [...objects.values()].sort((a, b) =>
    compareStrings(stringField(a.source, 'name') ?? '', stringField(b.source, 'name') ?? ''),
  );
}

/**
 * What the server fills in, removed again (the inverse of compare.ts's normalisers): client_config keys at their
 * defaults (the timeouts' default by version), `model_ttl_minutes: -1` (2.14+), `normalize_result: false`,
 * guardrails that guard nothing.
 */
const SERVER_FILLED: Readonly<Record<string, (value: unknown, caps: OpenSearchCapabilities) => unknown>> = {
  client_config: (value, caps) => withoutDefaults(value, clientConfigDefaults(caps)),
  deploy_setting: (value) => withoutDefaults(value, { model_ttl_minutes: -1 }),
  model_config: (value) => withoutDefaults(value, { normalize_result: false }),
  guardrails: (value) =>
    isObj(value) && value['input_guardrail'] === undefined && value['output_guardrail'] === undefined
      ? undefined
      : value,
};

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutDefaults(value: unknown, defaults: Readonly<Obj>): unknown {
  if (!isObj(value)) return value;
  const out = Object.fromEntries(Object.entries(value).filter(([k, v]) => !deepEqual(v, defaults[k])));
  return Object.keys(out).length ? out : undefined;
}

/** Where the live document keeps a field under another name (`access_mode` is stored as `access`). */
const LIVE_KEY: Readonly<Record<string, string>> = { access_mode: 'access' };

/** The managed, non-secret, non-reference fields of a live document, defaults left out. */
function fieldsOf(kind: OpenSearchKind, source: Readonly<Obj>, caps: OpenSearchCapabilities): Obj {
  const out: Obj = {};
  for (const [name, field] of Object.entries(FIELDS[kind])) {
    if (field.secret || field.update === 'reference' || field.update === 'client') continue;
    const raw = source[LIVE_KEY[name] ?? name];
    if (raw === undefined || raw === null) continue;
    const filled = SERVER_FILLED[name];
    const value = filled ? filled(raw, caps) : raw;
    if (value === undefined) continue;
    if (field.default !== undefined && deepEqual(value, field.default)) continue;
    out[name] = value;
  }
  return out;
}

/** A connector's spec and the environment variables of its credential keys (read from its placeholders). */
function connectorSpec(
  source: Readonly<Obj>,
  owner: string,
  caps: OpenSearchCapabilities,
): { spec: Obj; env: string[]; moved: string[] } {
  const spec = fieldsOf('OpenSearchConnector', source, caps);
  delete spec['name'];
  if (Array.isArray(spec['actions'])) {
    spec['actions'] = (spec['actions'] as Obj[]).map((a) =>
      typeof a['action_type'] === 'string' ? { ...a, action_type: a['action_type'].toLowerCase() } : a,
    );
  }
  // OpenSearch stores headers in clear (only `credential` is encrypted): a secret written into an auth-like
  // header by hand must not reach stdout or a file meant for git. Its value becomes a credential placeholder.
  const moved: string[] = [];
  const hide = (headers: unknown): unknown => {
    if (!isObj(headers)) return headers;
    return Object.fromEntries(
      Object.entries(headers).map(([header, value]) => {
        if (
          !AUTH_HEADERS.includes(header.toLowerCase()) ||
          typeof value !== 'string' ||
          value.includes('${credential.')
        )
          return [header, value];
        const key = header.toLowerCase().replace(/[^a-z0-9]+/g, '_');
        moved.push(`${header} (now \${credential.${key}})`);
        return [header, `\${credential.${key}}`];
      }),
    );
  };
  if (Array.isArray(spec['actions']))
    spec['actions'] = (spec['actions'] as Obj[]).map((a) =>
      'headers' in a ? { ...a, headers: hide(a['headers']) } : a,
    );
  if ('headers' in spec) spec['headers'] = hide(spec['headers']);
  const keys = new Set<string>();
  for (const m of JSON.stringify(spec).matchAll(/\$\{credential\.([A-Za-z0-9_]+)\}/g)) keys.add(m[1]!);
  if (source['protocol'] === 'aws_sigv4' && !keys.has('roleArn')) {
    keys.add('access_key');
    keys.add('secret_key');
  }
  const env: string[] = [];
  if (keys.size) {
    const credential: Obj = {};
    for (const key of [...keys].sort(compareStrings)) {
      const variable = credentialEnvName(owner, key);
      credential[key] = { secretRef: { env: variable } };
      env.push(variable);
    }
    spec['credential'] = credential;
  }
  return { spec, env, moved };
}

function object(
  kind: OpenSearchKind,
  name: string,
  id: string,
  spec: Obj,
  env: readonly string[],
  version: string,
  moved: readonly string[] = [],
): ExportedObject {
  const doc = new Document({ apiVersion: 'inferctl/v1', kind, metadata: { name }, spec });
  const notes = [` Exported by inferctl from OpenSearch ${version} (id ${id}).`];
  if (env.length)
    notes.push(
      ` OpenSearch never returns credentials: set ${env.join(', ')} before planning. The keys were read from the`,
      ' ${credential.x} placeholders; until an apply sends them, plans say "cannot verify" (or use --rotate-secrets).',
    );
  if (spec['protocol'] === 'aws_sigv4')
    notes.push(' With temporary AWS credentials, add session_token as a third credential key.');
  if (kind === 'OpenSearchConnector' && env.length === 0 && spec['protocol'] !== undefined)
    notes.push(' No ${credential.x} placeholder was found: declare the credential keys the connector uses.');
  const warnings = moved.length
    ? [
        `${objectKey(kind, name)}: the header${moved.length > 1 ? 's' : ''} ${moved.join(', ')} held a value written in clear on the cluster (not shown): it is now a credential placeholder; set its variable to the whole header value, and the next apply moves the secret into the encrypted credential`,
      ]
    : [];
  if (moved.length)
    notes.push(
      ` Header values stored in clear on the cluster were replaced by credential placeholders: ${moved.join(', ')}.`,
    );
  doc.commentBefore = notes.join('\n');
  return { key: objectKey(kind, name), kind, name, id, yaml: doc.toString({ lineWidth: 0 }), env, warnings };
}
