import { parseManifests } from '../../src/manifest/load.js';
import type { SecretSource } from '../../src/manifest/secrets.js';

/** Validates YAML text as if it were the file `m.yaml` in /tmp/manifests. */
export function check(
  text: string,
  options: {
    env?: Record<string, string>;
    files?: Record<string, string>;
    version?: string;
    allowLiteralSecrets?: boolean;
  } = {},
) {
  const source: SecretSource = {
    env: (name) => options.env?.[name],
    readFile: (path) => options.files?.[path] ?? new Error('ENOENT'),
  };
  return parseManifests(
    text,
    'm.yaml',
    '/tmp/manifests/m.yaml',
    {
      env: options.env ?? {},
      ...(options.version ? { version: options.version } : {}),
      allowLiteralSecrets: options.allowLiteralSecrets ?? false,
    },
    source,
  );
}

/** The diagnostics as `line:col code path` strings: compact, exact, and readable in a failing test. */
export function where(text: string, options: Parameters<typeof check>[1] = {}): string[] {
  return check(text, options).diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.path}`);
}

export const header = 'apiVersion: inferctl/v1\nkind: InferenceEndpoint\n';
