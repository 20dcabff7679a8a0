import { parseArgs } from 'node:util';
import { SERVERLESS_CURRENT_VERSION } from '../catalog/capabilities.js';
import { LATEST_VERSION, OLDEST_SUPPORTED_VERSION } from '../catalog/index.js';
import { compareVersions, minorOf } from '../catalog/version.js';
import { loadManifests } from '../manifest/load.js';
import { checkAlwaysAdaptive } from '../manifest/version-check.js';
import { openSearchCapabilitiesFor } from '../catalog/opensearch-capabilities.js';
import { checkOpenSearchVersion } from '../opensearch/manifest.js';
import { formatValidationText, validationJson } from '../render/diagnostics.js';
import { styleFor, usageError } from './util.js';
import { EXIT, type CliIO, type Command } from './command.js';

const help = `Usage: inferctl validate [PATH...] [options]

Checks manifests without touching a cluster: YAML syntax, apiVersion and kind, the endpoint id,
every field of every service against its JSON Schema, cross-field rules, duplicate names across
files, and that every secret reference resolves. Reports all problems in one run, each as
file:line:col: path: message, with a hint where one helps.

PATH is a file or a directory (searched recursively for *.yaml and *.yml); default: the current directory.

Options:
  --format text|json         output format (default text; json is described by schemas/diagnostics.schema.json)
  --es-version VERSION       validate for this Elasticsearch version (e.g. 8.18): fields it does not
                             have are errors; serverless = Elastic Cloud Serverless (the newest
                             release inferctl knows, allocations always adaptive). Default: accept
                             any version inferctl knows.
  --opensearch-version VERSION
                             validate OpenSearch manifests for this version (e.g. 2.12 or 3.1.0):
                             fields it drops are errors, values it requires (space_type from 3.1)
                             too; values it ignores harmlessly are warnings
  --allow-literal-secrets    accept secrets written in the manifest (throw-away clusters only)
  --skip-secrets             check secretRef shapes but do not read the variables or files
  -h, --help                 show this help

Exit status: 0 valid, 1 invalid.`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check manifests (schema, ids, secrets) without touching a cluster',
  help,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'es-version': { type: 'string' },
        'opensearch-version': { type: 'string' },
        'allow-literal-secrets': { type: 'boolean', default: false },
        'skip-secrets': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(help + '\n');
      return EXIT.ok;
    }
    if (values.format !== 'text' && values.format !== 'json')
      throw usageError(`--format must be text or json, not "${values.format}"`);
    const serverless = values['es-version'] === 'serverless';
    const version = serverless ? SERVERLESS_CURRENT_VERSION : values['es-version'];
    if (version !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(version))
      throw usageError(`--es-version must look like 8.18 or 9.1.0 (or be serverless), not "${version}"`);
    const esVersion = version === undefined ? undefined : checkedEsVersion(version, io);
    const osVersion = values['opensearch-version'];
    if (osVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(osVersion))
      throw usageError(`--opensearch-version must look like 2.19 or 3.1.0, not "${osVersion}"`);
    const loaded = loadManifests(positionals.length ? positionals : ['.'], {
      cwd: io.cwd,
      env: io.env,
      ...(esVersion ? { version: esVersion } : {}),
      allowLiteralSecrets: values['allow-literal-secrets'],
      resolveSecrets: !values['skip-secrets'],
    });
    const extra = [
      ...(serverless ? checkAlwaysAdaptive(loaded.manifests) : []),
      ...(osVersion ? checkOpenSearchVersion(loaded.openSearch, openSearchCapabilitiesFor(osVersion)) : []),
    ];
    const result = { ...loaded, diagnostics: [...loaded.diagnostics, ...extra] };
    const summary = {
      files: result.files.length,
      manifests: result.manifests.length + result.openSearch.length,
      diagnostics: result.diagnostics,
    };
    if (values.format === 'json') io.stdout.write(JSON.stringify(validationJson(summary), null, 2) + '\n');
    else io.stdout.write(formatValidationText(summary, styleFor(io.stdout, io.env)));
    return result.diagnostics.some((d) => d.severity === 'error') ? EXIT.error : EXIT.ok;
  },
};

/**
 * The version to validate for: older than the first release with the inference API inferctl reads (8.12) is a
 * usage error; newer than the newest release the catalog models is validated as that one, with a warning.
 */
function checkedEsVersion(version: string, io: CliIO): string {
  if (compareVersions(version, '8.12') < 0) {
    throw usageError(
      `--es-version ${version}: inferctl models Elasticsearch 8.12 – ${LATEST_VERSION} (plan reads 8.12 – 8.14, apply needs ${OLDEST_SUPPORTED_VERSION}); ${version} has no inference API it can manage`,
    );
  }
  if (compareVersions(minorOf(version), LATEST_VERSION) > 0) {
    io.stderr.write(
      `warning: Elasticsearch ${version} is newer than the newest release inferctl models (${LATEST_VERSION}); validating as ${LATEST_VERSION} — what changed after it is not checked\n`,
    );
    return LATEST_VERSION;
  }
  return version;
}
