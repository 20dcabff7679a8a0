import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export const EXAMPLES = join(ROOT, 'examples');

/** Placeholder values for every `secretRef: { env }` in a directory, as a CI job would provide. */
export function secretEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/env:\s*([A-Z_][A-Z0-9_]*)/g))
          env[m[1]!] = `test-${m[1]}`;
      }
    }
  };
  walk(dir);
  delete env['INFERCTL_EXAMPLE_MISSING_VAR'];
  return env;
}
