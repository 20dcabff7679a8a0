/**
 * Secret rotation without reading secrets back: a salted SHA-256 fingerprint of each secret value is
 * recorded after a successful apply; a later plan compares the manifest's current values with it.
 */
import { secretFields, type ServiceSpec } from '../catalog/index.js';
import type { EndpointManifest } from '../manifest/load.js';
import { Secret } from '../manifest/secrets.js';

/** Fingerprints recorded per endpoint id: field → hex digest (`secret_parameters.key` for secret maps). */
export type RecordedSecrets = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * The fingerprints of a manifest's secrets, by field. A secret map (custom `secret_parameters`) gets one
 * fingerprint over all its entries, since Elasticsearch replaces the whole map.
 */
export function secretFingerprints(
  manifest: EndpointManifest,
  service: ServiceSpec,
  salt: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of secretFields(service)) {
    const value = manifest.spec.service_settings[name];
    if (value instanceof Secret) out[name] = value.fingerprint(salt);
    else if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter((e): e is [string, Secret] => e[1] instanceof Secret)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      out[name] = new Secret(
        entries.map(([k, s]) => `${k}=${s.fingerprint(salt)}`).join('\n'),
        'map',
      ).fingerprint(salt);
    }
  }
  return out;
}
