import { parse } from 'yaml';
import type { LiveEndpoint } from '../../src/backends/elasticsearch/api.js';
import type { EndpointManifest } from '../../src/manifest/load.js';
import { check } from './yaml.js';

export const SECRET_ENV = {
  OPENAI_API_KEY: 'sk-openai-canary',
  COHERE_API_KEY: 'co-canary',
  AWS_AK: 'ak-canary',
  AWS_SK: 'sk-aws-canary',
};

/** A validated manifest from a YAML spec (the `spec:` part), id `id`. */
export function manifest(
  id: string,
  spec: string,
  extra: { protect?: boolean; env?: Record<string, string> } = {},
): EndpointManifest {
  const indented = spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const text = `apiVersion: inferctl/v1\nkind: InferenceEndpoint\nmetadata:\n  name: ${id}\n${extra.protect ? '  protect: true\n' : ''}spec:\n${indented}\n`;
  const result = check(text, { env: { ...SECRET_ENV, ...extra.env } });
  if (result.diagnostics.length) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.manifests[0]!;
}

/** A live endpoint as GET returns it, from YAML (JSON is YAML). */
export function live(text: string): LiveEndpoint {
  return parse(text) as LiveEndpoint;
}
