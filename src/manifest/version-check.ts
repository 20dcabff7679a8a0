/**
 * Once the cluster's version is known: does every manifest ask only for what that version has? A
 * catalog walk (no schema compile), so that `plan` on 10,000 endpoints stays fast; `validate
 * --es-version` gives the same verdicts through the version's full schema.
 */
import { capabilitiesFor, type Capabilities } from '../catalog/capabilities.js';
import { CHUNKING, type ChunkingStrategy } from '../catalog/chunking.js';
import {
  fieldApplies,
  getService,
  isRequired,
  supportedTaskTypes,
  takesChunking,
  type FieldSpec,
} from '../catalog/index.js';
import { atLeast, formatSince, minorOf } from '../catalog/version.js';
import { formatPath, type Diagnostic } from './diagnostics.js';
import type { EndpointManifest } from './load.js';

export function checkForVersion(
  manifests: readonly EndpointManifest[],
  version: string,
  capabilities?: Capabilities,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const minor = minorOf(version);
  const caps = capabilities ?? capabilitiesFor(version);
  if (caps.allocationsAlwaysAdaptive) out.push(...checkAlwaysAdaptive(manifests));
  for (const m of manifests) {
    const service = getService(m.spec.service)!;
    const report = (segments: (string | number)[], message: string, key = true) => {
      const at = m.locate(segments, { key });
      out.push({
        code: 'not_on_version',
        severity: 'error',
        file: m.source.file,
        line: at.line,
        column: at.column,
        path: formatPath(segments),
        message,
        hint: `the cluster runs Elasticsearch ${version}`,
      });
    };
    if (!atLeast(version, service.since)) {
      report(
        ['spec', 'service'],
        `the ${service.name} service needs Elasticsearch ${formatSince(service.since)} or later`,
        false,
      );
      continue;
    }
    if (!supportedTaskTypes(service, version).includes(m.spec.task_type)) {
      const entry = service.taskTypes.find((t) => t.taskType === m.spec.task_type);
      report(
        ['spec', 'task_type'],
        !entry
          ? `the ${service.name} service has no task type ${m.spec.task_type} on any release`
          : entry.since && !atLeast(version, entry.since)
            ? `task type ${m.spec.task_type} of the ${service.name} service needs Elasticsearch ${formatSince(entry.since)} or later; ${minor} does not have it`
            : `Elasticsearch ${minor} does not know the task type ${m.spec.task_type} (a later release added it)`,
        false,
      );
      continue;
    }
    const sections: [
      string,
      Readonly<Record<string, unknown>> | undefined,
      Readonly<Record<string, FieldSpec>>,
    ][] = [
      ['service_settings', m.spec.service_settings, service.serviceSettings],
      ['task_settings', m.spec.task_settings, service.taskSettings],
    ];
    for (const [section, values, fields] of sections) {
      for (const name of Object.keys(values ?? {})) {
        const field = fields[name];
        if (field && !fieldApplies(field, m.spec.task_type, version)) {
          report(
            ['spec', section, name],
            field.since && !atLeast(version, field.since)
              ? `${name} needs Elasticsearch ${formatSince(field.since)} or later`
              : `${name} was removed after Elasticsearch ${field.until}`,
          );
        }
      }
    }
    for (const [name, field] of Object.entries(service.serviceSettings)) {
      if (!fieldApplies(field, m.spec.task_type, version) || !isRequired(field, m.spec.task_type, version))
        continue;
      if (!(name in m.spec.service_settings)) {
        report(['spec', 'service_settings'], `Elasticsearch ${minor} requires service_settings.${name}`);
      }
    }
    const chunking = m.spec.chunking_settings;
    if (chunking) {
      if (!caps.chunking || !takesChunking(service, m.spec.task_type, version)) {
        report(
          ['spec', 'chunking_settings'],
          `chunking_settings is not accepted here on Elasticsearch ${minor}`,
        );
      } else {
        const strategy = chunking['strategy'] as ChunkingStrategy;
        const spec = CHUNKING[strategy];
        if (!caps.chunkingStrategies.includes(strategy)) {
          report(
            ['spec', 'chunking_settings', 'strategy'],
            `chunking strategy ${strategy} needs Elasticsearch ${formatSince(spec.since)} or later`,
            false,
          );
        } else if (
          spec.maxChunkSize?.maximumUntil &&
          caps.chunkSizeCapped &&
          typeof chunking['max_chunk_size'] === 'number' &&
          chunking['max_chunk_size'] > spec.maxChunkSize.maximum
        ) {
          report(
            ['spec', 'chunking_settings', 'max_chunk_size'],
            `max_chunk_size is at most ${spec.maxChunkSize.maximum} on Elasticsearch ${minor}`,
            false,
          );
        }
      }
    }
  }
  return out;
}

/**
 * Elastic Cloud Serverless scales every trained-model deployment itself: allocations are always adaptive
 * (docs-content issue #2928), and a fixed count is refused — "[number_of_allocations] cannot be set if
 * adaptive allocations is enabled;" (elastic/elasticsearch issue #128758). A manifest that fixes the count, or
 * turns adaptive allocations off, asks for what the platform does not do.
 */
export function checkAlwaysAdaptive(manifests: readonly EndpointManifest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of manifests) {
    const settings = m.spec.service_settings;
    const adaptive = settings['adaptive_allocations'] as { enabled?: unknown } | undefined;
    const offending: (string | number)[][] = [];
    if (settings['num_allocations'] !== undefined)
      offending.push(['spec', 'service_settings', 'num_allocations']);
    if (adaptive?.enabled === false)
      offending.push(['spec', 'service_settings', 'adaptive_allocations', 'enabled']);
    for (const segments of offending) {
      const at = m.locate(segments, { key: true });
      out.push({
        code: 'not_on_serverless',
        severity: 'error',
        file: m.source.file,
        line: at.line,
        column: at.column,
        path: formatPath(segments),
        message:
          'Elastic Cloud Serverless always scales deployments adaptively: a fixed num_allocations (or adaptive_allocations.enabled: false) is refused',
        hint: 'remove it; adaptive_allocations.min_number_of_allocations / max_number_of_allocations bound the scaling',
      });
    }
  }
  return out;
}
