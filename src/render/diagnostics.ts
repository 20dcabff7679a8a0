/**
 * Diagnostics as text (`file:line:col: path: message`, hint on the next line) and as JSON
 * (`schemas/diagnostics.schema.json`).
 */
import type { Diagnostic } from '../manifest/diagnostics.js';

export interface Style {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly green: (s: string) => string;
}

export const plain: Style = {
  red: (s) => s,
  yellow: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
  green: (s) => s,
};

export const ansi: Style = {
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
};

/** One diagnostic: `examples/x.yaml:7:5: spec.service: unknown service "opneai"` + `  hint: …`. */
export function formatDiagnostic(d: Diagnostic, style: Style = plain): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const label = d.severity === 'error' ? style.red('error') : style.yellow('warning');
  const path = d.path ? `${style.bold(d.path)}: ` : '';
  const head = `${where}: ${label}: ${path}${d.message} ${style.dim(`[${d.code}]`)}`;
  return d.hint ? `${head}\n    ${style.dim('hint:')} ${d.hint}` : head;
}

export interface ValidationSummary {
  readonly files: number;
  readonly manifests: number;
  readonly diagnostics: readonly Diagnostic[];
}

export function formatValidationText(summary: ValidationSummary, style: Style = plain): string {
  const lines = summary.diagnostics.map((d) => formatDiagnostic(d, style));
  const errors = summary.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = summary.diagnostics.length - errors;
  const counts = `${summary.manifests} manifest${summary.manifests === 1 ? '' : 's'} in ${summary.files} file${summary.files === 1 ? '' : 's'}`;
  if (errors === 0) {
    lines.push(
      style.green(`✓ ${counts} valid`) +
        (warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''),
    );
  } else {
    lines.push(
      style.red(`✗ ${errors} error${errors === 1 ? '' : 's'}`) +
        ` in ${counts.replace(/^\d+ manifests? in /, '')}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The `--format json` document; its schema is `schemas/diagnostics.schema.json`. */
export function validationJson(summary: ValidationSummary): unknown {
  return {
    format_version: 1,
    valid: !summary.diagnostics.some((d) => d.severity === 'error'),
    files: summary.files,
    manifests: summary.manifests,
    diagnostics: summary.diagnostics,
  };
}
