/**
 * Rules the server enforces that JSON Schema cannot state: bounds that depend on another field's value.
 * They run beside the schema (so one run reports everything) and check types before comparing.
 */
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
    // WordBoundaryChunkingSettings: overlap must not exceed half of max_chunk_size (reference §4.1).
    if (typeof max === 'number' && typeof overlap === 'number' && overlap > Math.floor(max / 2)) {
      report(
        ['spec', 'chunking_settings', 'overlap'],
        `overlap ${overlap} is more than half of max_chunk_size ${max}`,
        `use an overlap of at most ${Math.floor(max / 2)}`,
      );
    }
  }
  const adaptive = (value.spec['service_settings'] as Obj | undefined)?.['adaptive_allocations'] as
    Obj | undefined;
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
  return problems;
}
