/**
 * From a validated document to a typed OpenSearch manifest (credentials resolved into `Secret`s), and the
 * checks that need more than one document or a cluster version: references between manifests, and fields
 * the target OpenSearch version does not parse (it would skip them silently).
 */
import { atLeast } from '../catalog/version.js';
import {
  SAFE_INPUT_DESCRIPTION,
  SAFE_INPUT_PATTERN,
  type OpenSearchCapabilities,
} from '../catalog/opensearch-capabilities.js';
import { formatPath, type Diagnostic } from '../manifest/diagnostics.js';
import { isSecretRef, resolveSecretRef, Secret, type SecretSource } from '../manifest/secrets.js';
import type { ParsedDocument } from '../manifest/yaml.js';
import { AUTH_HEADERS, FIELDS, MCP_PROTOCOLS, NO_PARAMETER_HEADERS, VERSION_RULES } from './fields.js';
import { nestedReferences } from './compare.js';
import { byKind, isOpenSearchKind, type OpenSearchManifest, type OpenSearchSourceRef } from './kinds.js';

/** A problem inside one document (a `Diagnostic` before it is given its file). */
export type OpenSearchDocumentProblem = Omit<Diagnostic, 'file'>;

/** Is the document an OpenSearch kind shaped enough (an object `spec`) to be built? */
export function isOpenSearchDocument(value: unknown): boolean {
  const v = value as { kind?: unknown; spec?: unknown; metadata?: { name?: unknown } } | null;
  return (
    isOpenSearchKind(v?.kind) &&
    typeof v?.metadata?.name === 'string' &&
    typeof v.spec === 'object' &&
    v.spec !== null &&
    !Array.isArray(v.spec)
  );
}

/**
 * Builds the manifest of an OpenSearch document, resolving the connector credential (stand-alone, or
 * inline in a model) from its secret references. Problems are secret resolution failures; the schema
 * has already reported everything else.
 *
 * @example buildOpenSearchManifest(document, 'os.yaml', '/abs/os.yaml', { env }, source).manifest.kind
 */
export function buildOpenSearchManifest(
  document: ParsedDocument,
  displayFile: string,
  manifestDir: string,
  options: { readonly resolveSecrets?: boolean; readonly allowLiteralSecrets?: boolean },
  secretSource: SecretSource,
  resolvePath: (dir: string, file: string) => string,
): { manifest: OpenSearchManifest; problems: OpenSearchDocumentProblem[] } {
  const value = document.value as {
    kind: OpenSearchManifest['kind'];
    metadata: { name: string; labels?: Record<string, string>; protect?: boolean };
    spec: Record<string, unknown>;
  };
  const problems: OpenSearchDocumentProblem[] = [];
  const resolveCredential = (raw: unknown, path: string[]): Record<string, Secret> | undefined => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
    const out: Record<string, Secret> = {};
    for (const [key, ref] of Object.entries(raw as Record<string, unknown>)) {
      const at = [...path, key];
      if (typeof ref === 'string') {
        out[key] = new Secret(ref, 'literal'); // only reachable with --allow-literal-secrets
        continue;
      }
      if (!isSecretRef(ref)) continue;
      const r = ref.secretRef;
      if ((typeof r.env === 'string') === (typeof r.file === 'string')) continue; // the schema reports it
      if (options.resolveSecrets === false) {
        out[key] = new Secret('', `unresolved ${formatPath(at)}`);
        continue;
      }
      const result = resolveSecretRef(r, formatPath(at), manifestDir, secretSource, resolvePath);
      if (result.ok) {
        out[key] = result.secret;
        continue;
      }
      const position = document.locate([...at, 'secretRef'], { key: false });
      problems.push({
        code: result.code,
        severity: 'error',
        ...position,
        path: formatPath(at),
        message: result.message,
        hint: result.hint,
      });
    }
    return out;
  };
  const spec: Record<string, unknown> = { ...value.spec };
  if (value.kind === 'OpenSearchConnector' && 'credential' in spec) {
    spec['credential'] = resolveCredential(spec['credential'], ['spec', 'credential']);
  }
  if (
    value.kind === 'OpenSearchModel' &&
    spec['connector'] &&
    typeof spec['connector'] === 'object' &&
    'credential' in (spec['connector'] as object)
  ) {
    const inline = { ...(spec['connector'] as Record<string, unknown>) };
    inline['credential'] = resolveCredential(inline['credential'], ['spec', 'connector', 'credential']);
    spec['connector'] = inline;
  }
  problems.push(...checkHeaders(value.kind, value.spec, document, options.allowLiteralSecrets === true));
  // Positions are computed on first use: on the fast path that parses the file again.
  const source: OpenSearchSourceRef = {
    file: displayFile,
    document: document.index,
    get line() {
      return document.locate(['metadata', 'name']).line;
    },
    get column() {
      return document.locate(['metadata', 'name']).column;
    },
  };
  return {
    problems,
    manifest: {
      kind: value.kind,
      name: value.metadata.name,
      labels: value.metadata.labels ?? {},
      protect: value.metadata.protect ?? false,
      spec: spec as never,
      source,
      locate: document.locate,
    } as OpenSearchManifest,
  };
}

/**
 * The headers a connector sends (its actions' headers; an MCP connector's own `headers`), checked as
 * OpenSearch would at use and for secrets:
 * - `${parameters.*}` is refused in auth-like headers ("… Use ${credential.*} instead.") and in any
 *   header of an MCP connector (which has no parameters);
 * - an auth-like header must take its secret from `${credential.*}`: a literal value would be a secret
 *   written in the manifest and shown in every plan (allowed with --allow-literal-secrets);
 * - a `${credential.x}` placeholder must name a declared credential key (else it is sent as is).
 * Header values are never quoted back.
 */
function checkHeaders(
  kind: OpenSearchManifest['kind'],
  spec: Readonly<Record<string, unknown>>,
  document: ParsedDocument,
  allowLiteralSecrets: boolean,
): OpenSearchDocumentProblem[] {
  const out: OpenSearchDocumentProblem[] = [];
  const connectors: { connector: Record<string, unknown>; path: (string | number)[] }[] = [];
  if (kind === 'OpenSearchConnector')
    connectors.push({ connector: spec as Record<string, unknown>, path: ['spec'] });
  const inline = spec['connector'];
  if (kind === 'OpenSearchModel' && inline && typeof inline === 'object' && !Array.isArray(inline)) {
    connectors.push({ connector: inline as Record<string, unknown>, path: ['spec', 'connector'] });
  }
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const { connector, path } of connectors) {
    const mcp = MCP_PROTOCOLS.includes(String(connector['protocol']));
    const credential = isMap(connector['credential']) ? Object.keys(connector['credential']) : [];
    const maps: (string | number)[][] = [];
    if (isMap(connector['headers'])) maps.push([...path, 'headers']);
    if (Array.isArray(connector['actions'])) {
      connector['actions'].forEach((a, i) => {
        if (isMap(a) && isMap(a['headers'])) maps.push([...path, 'actions', i, 'headers']);
      });
    }
    for (const mapPath of maps) {
      let headers: unknown = spec;
      for (const segment of mapPath.slice(1))
        headers = (headers as Record<string | number, unknown>)[segment];
      for (const [name, raw] of Object.entries(headers as Record<string, unknown>)) {
        if (typeof raw !== 'string') continue; // the schema reports it
        const at = [...mapPath, name];
        const where = document.locate(at, { key: false });
        const problem = (message: string, hint: string) =>
          out.push({ code: 'rule', severity: 'error', ...where, path: formatPath(at), message, hint });
        const lower = name.toLowerCase();
        if (/\$\{parameters\.[^}]+\}/.test(raw) && (mcp || NO_PARAMETER_HEADERS.includes(lower))) {
          problem(
            mcp
              ? `header "${name}" cannot use a \${parameters.*} placeholder: an MCP connector has no parameters (OpenSearch refuses it)`
              : `header "${name}" cannot use a \${parameters.*} placeholder: OpenSearch refuses it for security reasons`,
            'take the value from the credential: declare it under credential (a secretRef) and write ${credential.<key>}',
          );
          continue;
        }
        if (AUTH_HEADERS.includes(lower) && !raw.includes('${credential.') && !allowLiteralSecrets) {
          problem(
            `header "${name}" carries a secret written in the manifest (value not shown): it would be stored in Git and shown in every plan`,
            'declare the secret under credential (e.g. token: { secretRef: { env: TOKEN } }) and write "Bearer ${credential.token}"; pass --allow-literal-secrets only for throw-away test clusters',
          );
          continue;
        }
        for (const match of raw.matchAll(/\$\{credential\.([^}]+)\}/g)) {
          if (credential.includes(match[1]!)) continue;
          problem(
            `header "${name}" uses \${credential.${match[1]!}}, which the connector's credential does not declare (OpenSearch would send the placeholder as it is)`,
            credential.length
              ? `declare credential.${match[1]!}, or use one of: ${credential.join(', ')}`
              : `declare credential: { ${match[1]!}: { secretRef: { env: NAME } } }`,
          );
        }
      }
    }
  }
  return out;
}

function at(
  manifest: OpenSearchManifest,
  path: (string | number)[],
): { file: string; line: number; column: number } {
  const position = manifest.locate?.(path) ?? { line: manifest.source.line, column: manifest.source.column };
  return { file: manifest.source.file, line: position.line, column: position.column };
}

/**
 * Every model's `model_group` and (stand-alone) `connector` must name a declared manifest of that kind:
 * inferctl resolves them to the generated ids of the objects it manages. `declared` holds the keys
 * (`kind/name`) of every document, valid or not.
 *
 * @example checkReferences(manifests) // [] when every reference resolves
 */
export function checkReferences(
  manifests: readonly OpenSearchManifest[],
  declared: ReadonlySet<string> = new Set(),
): Diagnostic[] {
  const { connectors, groups, models } = byKind(manifests);
  const connectorNames = new Set(connectors.map((c) => c.name));
  const groupNames = new Set(groups.map((g) => g.name));
  const modelNames = new Set(models.map((m) => m.name));
  // Declared but invalid: already reported where it is declared, not again where it is referenced.
  for (const key of declared) {
    if (key.startsWith('OpenSearchConnector/')) connectorNames.add(key.slice('OpenSearchConnector/'.length));
    if (key.startsWith('OpenSearchModelGroup/')) groupNames.add(key.slice('OpenSearchModelGroup/'.length));
    if (key.startsWith('OpenSearchModel/')) modelNames.add(key.slice('OpenSearchModel/'.length));
  }
  const out: Diagnostic[] = [];
  const refsOf = new Map(
    models.map((m) => [
      m.name,
      nestedReferences('OpenSearchModel', m.spec as unknown as Record<string, unknown>),
    ]),
  );
  for (const model of models) {
    for (const ref of refsOf.get(model.name) ?? []) {
      const path = ['spec', ...ref.path];
      const problem = (message: string, hint: string) =>
        out.push({
          code: 'rule',
          severity: 'error',
          ...at(model, path),
          path: formatPath(path),
          message,
          hint,
        });
      if (ref.name === model.name) {
        problem(
          `${model.name} cannot be its own ${ref.what}`,
          'name another OpenSearchModel as the guard model',
        );
      } else if (!modelNames.has(ref.name)) {
        const others = [...modelNames].filter((n) => n !== model.name);
        problem(
          `no OpenSearchModel named "${ref.name}" is declared (the ${ref.what})`,
          `declare kind: OpenSearchModel with metadata.name: ${ref.name}${others.length ? ` (declared: ${others.join(', ')})` : ''}, or give its id as model_id`,
        );
      } else {
        // Guard models are created first: a chain back to this model could never be ordered.
        const seen = new Set<string>();
        const stack = [ref.name];
        let cycle = false;
        while (stack.length && !cycle) {
          const next = stack.pop()!;
          if (seen.has(next)) continue;
          seen.add(next);
          for (const r of refsOf.get(next) ?? []) {
            if (r.name === model.name) cycle = true;
            else stack.push(r.name);
          }
        }
        if (cycle) {
          problem(
            `${model.name} and ${ref.name} name each other as guard models (directly or through others): neither can be created first`,
            'a guard model must not itself be guarded, directly or indirectly, by the model it guards',
          );
        }
      }
    }
    const group = model.spec.model_group;
    if (!groupNames.has(group)) {
      out.push({
        code: 'rule',
        severity: 'error',
        ...at(model, ['spec', 'model_group']),
        path: 'spec.model_group',
        message: `no OpenSearchModelGroup named "${group}" is declared`,
        hint: `declare kind: OpenSearchModelGroup with metadata.name: ${group}${groupNames.size ? ` (declared: ${[...groupNames].join(', ')})` : ''}`,
      });
    }
    const connector = model.spec.connector;
    const mcp = connectors.find((c) => c.name === connector && MCP_PROTOCOLS.includes(c.spec.protocol));
    if (mcp) {
      out.push({
        code: 'rule',
        severity: 'error',
        ...at(model, ['spec', 'connector']),
        path: 'spec.connector',
        message: `OpenSearchConnector "${connector}" is an MCP connector (protocol ${mcp.spec.protocol}): it gives agents tools and has no actions a model could call`,
        hint: `register the model on an http or aws_sigv4 connector; use ${connector} from an agent`,
      });
    }
    if (typeof connector === 'string' && !connectorNames.has(connector)) {
      out.push({
        code: 'rule',
        severity: 'error',
        ...at(model, ['spec', 'connector']),
        path: 'spec.connector',
        message: `no OpenSearchConnector named "${connector}" is declared`,
        hint: `declare kind: OpenSearchConnector with metadata.name: ${connector}${connectorNames.size ? ` (declared: ${[...connectorNames].join(', ')})` : ''}`,
      });
    }
  }
  return out;
}

/** Values at a `*`-pattern pointer inside `root`, with their concrete paths. */
function valuesAt(root: unknown, pattern: string): { path: (string | number)[]; value: unknown }[] {
  let current: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: root }];
  for (const segment of pattern.split('/').slice(1)) {
    const next: typeof current = [];
    for (const { path, value } of current) {
      if (value === null || typeof value !== 'object') continue;
      if (segment === '*') {
        const entries = Array.isArray(value)
          ? value.map((v, i) => [i, v] as const)
          : Object.entries(value as Record<string, unknown>);
        for (const [k, v] of entries) next.push({ path: [...path, k], value: v });
      } else if (segment in (value as object)) {
        next.push({ path: [...path, segment], value: (value as Record<string, unknown>)[segment] });
      }
    }
    current = next;
  }
  return current;
}

/**
 * Fields and values the cluster's OpenSearch version does not know. ML Commons skips unknown keys, so
 * without this check a manifest would apply "successfully" and never take effect.
 *
 * @example checkOpenSearchVersion(manifests, openSearchCapabilitiesFor('2.12.0')) // guardrails need 2.13
 */
export function checkOpenSearchVersion(
  manifests: readonly OpenSearchManifest[],
  caps: OpenSearchCapabilities,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (
    manifest: OpenSearchManifest,
    path: (string | number)[],
    what: string,
    since: string,
    older = 'which would silently ignore it',
    severity: 'error' | 'warning' = 'error',
  ) =>
    out.push(
      severity === 'error'
        ? {
            code: 'not_on_version',
            severity,
            ...at(manifest, ['spec', ...path]),
            path: formatPath(['spec', ...path]),
            message: `${what} needs OpenSearch ${since} or later; the cluster is ${caps.version}, ${older}`,
            hint: `remove it, or upgrade the cluster to ${since}`,
          }
        : {
            code: 'kept_from_version',
            severity,
            ...at(manifest, ['spec', ...path]),
            path: formatPath(['spec', ...path]),
            message: `${what} is kept by OpenSearch ${since} and later; the cluster is ${caps.version}, ${older}`,
          },
    );
  for (const manifest of manifests) {
    const spec = manifest.spec as unknown as Record<string, unknown>;
    for (const [name, field] of Object.entries(FIELDS[manifest.kind])) {
      if (field.since && name in spec && !atLeast(caps.tuple, field.since)) {
        report(manifest, [name], name, field.since);
      }
    }
    for (const rule of VERSION_RULES) {
      if (rule.kind !== manifest.kind || atLeast(caps.tuple, rule.since)) continue;
      if (rule.applies && !rule.applies(spec)) continue;
      for (const hit of valuesAt(spec, rule.path)) {
        if (!rule.when || rule.when(hit.value))
          report(manifest, hit.path, rule.what, rule.since, rule.older, rule.severity);
      }
    }
    if (caps.remoteSpaceTypeRequired) out.push(...spaceTypeRequired(manifest));
    if (caps.safeInputText) out.push(...unsafeText(manifest));
  }
  return out;
}

/**
 * From 3.1 a remote `text_embedding` model is registered only with `model_config.additional_config.space_type`
 * (`RemoteModelConfig.validateTextEmbeddingConfig`, 400 "Space type must be provided in additional_config for remote
 * text embedding model"): refused here, before a connector or group is created for it.
 */
function spaceTypeRequired(manifest: OpenSearchManifest): Diagnostic[] {
  if (manifest.kind !== 'OpenSearchModel') return [];
  const config = manifest.spec.model_config as Readonly<Record<string, unknown>> | undefined;
  if (!config || String(config['model_type'] ?? '').toLowerCase() !== 'text_embedding') return [];
  const additional = config['additional_config'];
  if (additional !== null && typeof additional === 'object' && 'space_type' in additional) return [];
  return [
    {
      code: 'required_on_version',
      severity: 'error',
      ...at(manifest, ['spec', 'model_config']),
      path: 'spec.model_config.additional_config.space_type',
      message:
        'a remote text_embedding model needs model_config.additional_config.space_type from OpenSearch 3.1 on, which refuses the registration without it ("Space type must be provided in additional_config for remote text embedding model")',
      hint: 'add model_config.additional_config: { space_type: l2 } (or the space of your k-NN field: cosinesimil, innerproduct, l1, linf); older versions ignore it',
    },
  ];
}

/** 3.1+: names and descriptions outside `SAFE_INPUT_PATTERN` (`StringUtils.validateFields`, 3.1.0.0). */
function unsafeText(manifest: OpenSearchManifest): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (path: string[], value: unknown) => {
    if (typeof value !== 'string' || SAFE_INPUT_PATTERN.test(value)) return;
    out.push({
      code: 'rule',
      severity: 'error',
      ...at(manifest, path),
      path: formatPath(path),
      message: `OpenSearch 3.1 and later refuse this text: names and descriptions ${SAFE_INPUT_DESCRIPTION}`,
      hint: 'remove the other characters',
    });
  };
  check(['metadata', 'name'], manifest.name);
  check(['spec', 'description'], (manifest.spec as { description?: unknown }).description);
  return out;
}
