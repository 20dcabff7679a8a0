/**
 * `inferctl.yaml`: the clusters a repository manages, each with where it is, how to authenticate
 * (secret references only, as in manifests), and which manifest directories it gets.
 *
 * ```yaml
 * apiVersion: inferctl/v1
 * kind: Project
 * clusters:
 *   staging:
 *     url: https://staging.es.example.com:9200
 *     apiKey: { secretRef: { env: STAGING_ES_API_KEY } }
 *     paths: [clusters/common, clusters/staging]
 * ```
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { InferctlError } from '../errors.js';
import { formatPath, type Diagnostic } from '../manifest/diagnostics.js';
import { isSecretRef, resolveSecretRef, type Secret, type SecretSource } from '../manifest/secrets.js';
import { parseYaml } from '../manifest/yaml.js';
import { SCHEMA_DIALECT } from '../schema/generate.js';
import { didYouMean } from '../util/suggest.js';

const Ajv2020 = Ajv2020Module.default;

export const PROJECT_FILE_NAME = 'inferctl.yaml';

export interface ClusterConfig {
  readonly name: string;
  readonly url?: string;
  readonly cloudId?: string;
  /** Resolved only for the cluster a command selects: another cluster's missing variable is no error. */
  readonly apiKey?: () => Secret;
  readonly username?: string;
  readonly password?: () => Secret;
  /** Absolute path of the CA certificate. */
  readonly caCert?: string;
  /** Manifest paths, absolute. */
  readonly paths: readonly string[];
  /** Absolute path of the state file. */
  readonly stateFile?: string;
  readonly inventoryIndex?: string;
  readonly prune?: boolean;
}

export interface Project {
  readonly file: string;
  readonly clusters: ReadonlyMap<string, ClusterConfig>;
}

const secretRef = { $ref: '#/$defs/SecretRef' };

/** The schema of `inferctl.yaml` (`schemas/project.schema.json`). */
export function projectSchema(): Record<string, unknown> {
  return {
    $schema: SCHEMA_DIALECT,
    title: 'inferctl project file (inferctl.yaml)',
    type: 'object',
    required: ['apiVersion', 'kind', 'clusters'],
    properties: {
      apiVersion: { const: 'inferctl/v1' },
      kind: { const: 'Project' },
      clusters: {
        type: 'object',
        description: 'Clusters by name; select one with --cluster NAME.',
        minProperties: 1,
        propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
        additionalProperties: {
          type: 'object',
          required: ['paths'],
          properties: {
            url: { type: 'string', description: 'Elasticsearch URL, e.g. https://es.example.com:9200.' },
            cloudId: { type: 'string', description: 'Elastic Cloud id (instead of url).' },
            apiKey: { ...secretRef, description: 'API key (encoded), as a secret reference.' },
            username: { type: 'string' },
            password: {
              ...secretRef,
              description: 'Password for basic authentication, as a secret reference.',
            },
            caCert: { type: 'string', description: 'PEM file of the CA to trust, relative to this file.' },
            paths: {
              type: 'array',
              minItems: 1,
              items: { type: 'string' },
              description: 'Manifest files and directories for this cluster, relative to this file.',
            },
            stateFile: {
              type: 'string',
              description: 'Where secret fingerprints are recorded, relative to this file.',
            },
          },
          additionalProperties: false,
          not: { required: ['url', 'cloudId'] },
        },
      },
    },
    additionalProperties: false,
    $defs: {
      SecretRef: {
        type: 'object',
        required: ['secretRef'],
        properties: {
          secretRef: {
            type: 'object',
            properties: { env: { type: 'string' }, file: { type: 'string' } },
            oneOf: [{ required: ['env'] }, { required: ['file'] }],
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  };
}

let validator: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;

/**
 * Reads and validates a project file. Problems are thrown as one error listing every diagnostic.
 */
export function loadProject(file: string, cwd: string, secrets: SecretSource): Project {
  const absolute = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new InferctlError(
      'project_unreadable',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: `create ${PROJECT_FILE_NAME} (see the README, "Several clusters") or pass --url`,
      },
    );
  }
  const display = relative(cwd, absolute) || file;
  const parsed = parseYaml(text);
  const diagnostics: Diagnostic[] = parsed.problems.map((p) => ({
    code: p.code,
    severity: 'error',
    file: display,
    ...p.position,
    path: '',
    message: p.message,
  }));
  const document = parsed.documents[0];
  if (document && diagnostics.length === 0) {
    validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(projectSchema());
    if (!validator(document.value)) {
      for (const e of validator.errors ?? []) {
        const segments = e.instancePath.split('/').slice(1);
        const extra =
          e.keyword === 'additionalProperties'
            ? String((e.params as Record<string, unknown>)['additionalProperty'])
            : undefined;
        const at = document.locate(extra ? [...segments, extra] : segments, { key: Boolean(extra) });
        const known = [
          'url',
          'cloudId',
          'apiKey',
          'username',
          'password',
          'caCert',
          'paths',
          'stateFile',
          'inventoryIndex',
          'prune',
        ];
        const suggestion = extra ? didYouMean(extra, known) : undefined;
        diagnostics.push({
          code: extra ? 'unknown_field' : 'invalid_value',
          severity: 'error',
          file: display,
          ...at,
          path: formatPath(extra ? [...segments, extra] : segments),
          message: extra ? `unknown field "${extra}"` : (e.message ?? 'is not valid'),
          ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
        });
      }
    }
  }
  if (!document && diagnostics.length === 0) {
    diagnostics.push({
      code: 'no_manifests',
      severity: 'error',
      file: display,
      line: 1,
      column: 1,
      path: '',
      message: 'the project file is empty',
    });
  }
  if (diagnostics.length) {
    throw new InferctlError(
      'project_invalid',
      `${display} is not valid:\n${diagnostics.map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.path ? d.path + ': ' : ''}${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n')}`,
      {
        context: { diagnostics },
      },
    );
  }
  const base = dirname(absolute);
  const value = document!.value as { clusters: Record<string, Record<string, unknown>> };
  const clusters = new Map<string, ClusterConfig>();
  for (const [name, raw] of Object.entries(value.clusters)) {
    const secret = (field: 'apiKey' | 'password'): (() => Secret) | undefined => {
      const ref = raw[field];
      if (!isSecretRef(ref)) return undefined;
      return () => {
        const result = resolveSecretRef(ref.secretRef, `clusters.${name}.${field}`, base, secrets, resolve);
        if (!result.ok) {
          throw new InferctlError(result.code, `${display}: clusters.${name}.${field}: ${result.message}`, {
            hint: result.hint,
          });
        }
        return result.secret;
      };
    };
    const apiKey = secret('apiKey');
    const password = secret('password');
    clusters.set(name, {
      name,
      ...(typeof raw['url'] === 'string' ? { url: raw['url'] } : {}),
      ...(typeof raw['cloudId'] === 'string' ? { cloudId: raw['cloudId'] } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(typeof raw['username'] === 'string' ? { username: raw['username'] } : {}),
      ...(password ? { password } : {}),
      ...(typeof raw['caCert'] === 'string' ? { caCert: resolve(base, raw['caCert']) } : {}),
      paths: (raw['paths'] as string[]).map((p) => (isAbsolute(p) ? p : resolve(base, p))),
      ...(typeof raw['stateFile'] === 'string' ? { stateFile: resolve(base, raw['stateFile']) } : {}),
      ...(typeof raw['inventoryIndex'] === 'string' ? { inventoryIndex: raw['inventoryIndex'] } : {}),
      ...(typeof raw['prune'] === 'boolean' ? { prune: raw['prune'] } : {}),
    });
  }
  return { file: absolute, clusters };
}

/** The named cluster, or an error listing the ones there are. */
export function selectCluster(project: Project, name: string): ClusterConfig {
  const cluster = project.clusters.get(name);
  if (cluster) return cluster;
  const names = [...project.clusters.keys()];
  const suggestion = didYouMean(name, names);
  throw new InferctlError('cluster_unknown', `no cluster "${name}" in ${project.file}`, {
    hint: suggestion
      ? `did you mean "${suggestion}"? clusters: ${names.join(', ')}`
      : `clusters: ${names.join(', ')}`,
  });
}
