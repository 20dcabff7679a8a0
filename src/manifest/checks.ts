/**
 * Rules the server enforces that JSON Schema cannot state: bounds that depend on another field's value.
 * They run beside the schema (so one run reports everything) and check types before comparing.
 */
import { TEMPLATED_FIELDS, unresolvedTemplates } from '../catalog/custom-templates.js';
import { getService } from '../catalog/index.js';
import { formatPath } from './diagnostics.js';
import type { DocumentProblem } from './schema-validator.js';
import type { ParsedDocument } from './yaml.js';

type Obj = Record<string, unknown>;

export function semanticChecks(document: ParsedDocument): DocumentProblem[] {
  const value = document.value as { kind?: string; spec?: Obj };
  if (value.kind !== 'InferenceEndpoint' || !value.spec) return [];
  const problems: DocumentProblem[] = [];
  const report = (path: (string | number)[], message: string, hint?: string) => {
    const at = document.locate(path);
    problems.push({
      code: 'rule',
      severity: 'error',
      ...at,
      path: formatPath(path),
      message,
      ...(hint ? { hint } : {}),
    });
  };
  const chunking = value.spec['chunking_settings'] as Obj | undefined;
  if (chunking?.['strategy'] === 'word') {
    const max = chunking['max_chunk_size'];
    const overlap = chunking['overlap'];
    // WordBoundaryChunkingSettings: overlap must not exceed half of max_chunk_size.
    if (typeof max === 'number' && typeof overlap === 'number' && overlap > Math.floor(max / 2)) {
      report(
        ['spec', 'chunking_settings', 'overlap'],
        `overlap ${overlap} is more than half of max_chunk_size ${max}`,
        `use an overlap of at most ${Math.floor(max / 2)}`,
      );
    }
  }
  const settings = value.spec['service_settings'] as Obj | undefined;
  const name = (value as { metadata?: { name?: unknown } }).metadata?.name;
  // In-cluster endpoints start a deployment named after the endpoint; Elasticsearch refuses an id equal to
  // a trained model or deployment id (reference step 7).
  if (
    typeof value.spec['service'] === 'string' &&
    getService(value.spec['service'])?.inCluster &&
    typeof name === 'string' &&
    settings?.['model_id'] === name
  ) {
    report(
      ['metadata', 'name'],
      `the endpoint id "${name}" equals its model_id; Elasticsearch requires them to differ`,
      `rename the endpoint, e.g. "${name}-endpoint"`,
    );
  }
  const adaptive = settings?.['adaptive_allocations'] as Obj | undefined;
  if (adaptive) {
    const min = adaptive['min_number_of_allocations'];
    const max = adaptive['max_number_of_allocations'];
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      report(
        ['spec', 'service_settings', 'adaptive_allocations', 'min_number_of_allocations'],
        '[min_number_of_allocations] must not be larger than [max_number_of_allocations]',
        `lower the minimum to ${max} or raise the maximum to ${min}`,
      );
    }
  }
  if (value.spec['service'] === 'custom' && settings) {
    const secrets = settings['secret_parameters'];
    const secretKeys = typeof secrets === 'object' && secrets !== null ? Object.keys(secrets) : [];
    const parameters = (value.spec['task_settings'] as Obj | undefined)?.['parameters'];
    const parameterKeys =
      typeof parameters === 'object' && parameters !== null ? Object.keys(parameters) : [];
    for (const field of TEMPLATED_FIELDS) {
      for (const name of unresolvedTemplates(settings[field], secretKeys, parameterKeys)) {
        report(
          ['spec', 'service_settings', field],
          `\${${name}} in ${field} is neither a built-in template nor a key of secret_parameters or task_settings.parameters; Elasticsearch refuses a template it cannot replace`,
          `add ${name} to service_settings.secret_parameters (with a secretRef) or to task_settings.parameters`,
        );
      }
    }
  }
  return problems;
}
