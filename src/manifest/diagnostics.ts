/**
 * A problem found in the manifests, pinned to a file, line and column. Validation collects all of
 * them in one run; nothing is sent to a cluster while any error remains.
 */
export const DIAGNOSTIC_CODES = [
  'yaml_syntax',
  'yaml_duplicate_key',
  'yaml_alias_limit',
  'yaml_not_a_map',
  'file_unreadable',
  'file_not_utf8',
  'file_too_large',
  'no_manifests',
  'unknown_api_version',
  'unknown_kind',
  'invalid_id',
  'reserved_id',
  'duplicate_name',
  'unknown_service',
  'unsupported_task_type',
  'unknown_field',
  'missing_field',
  'invalid_type',
  'invalid_value',
  'rule',
  'literal_secret',
  'secret_env_missing',
  'secret_file_missing',
  'secret_empty',
  'not_on_version',
  'kept_from_version',
  'required_on_version',
  'not_on_serverless',
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  /** Path as given on the command line (relative paths stay relative). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path inside the document (`spec.service_settings.model_id`); empty for file-level problems. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  /** Another place involved (the first definition, for a duplicate name). */
  readonly related?: { readonly file: string; readonly line: number; readonly column: number };
}

/** `spec.service_settings.headers["X-Id"]`, `spec.x[0]` from a JSON-pointer-like segment list. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Stable order: file, line, column, then code. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}
