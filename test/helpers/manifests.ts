import { stringify } from 'yaml';
import type { EndpointManifest } from '../../src/manifest/load.js';
import { Secret } from '../../src/manifest/secrets.js';

/** Manifests back to YAML documents, secrets as references to `env` (one variable per secret field). */
export function toYaml(
  manifests: readonly EndpointManifest[],
  env: (m: EndpointManifest, field: string) => string,
): string {
  return manifests
    .map((m) => {
      const unref = (v: unknown, field: string): unknown =>
        v instanceof Secret
          ? { secretRef: { env: env(m, field) } }
          : v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(
                Object.entries(v).map(([k, x]) => [k, unref(x, field === '' ? k : `${field}.${k}`)]),
              )
            : v;
      const spec = unref(m.spec, '') as Record<string, unknown>;
      return stringify({
        apiVersion: 'inferctl/v1',
        kind: 'InferenceEndpoint',
        metadata: { name: m.id, ...(Object.keys(m.labels).length ? { labels: m.labels } : {}) },
        spec,
      });
    })
    .join('---\n');
}
