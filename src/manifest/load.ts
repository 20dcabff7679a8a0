/**
 * Loading manifests: find the files, parse every document with positions, validate against the schema
 * and the checks a schema cannot express, resolve secret references. All problems of all files are
 * collected in one pass; the caller acts only when there are none.
 */
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getService, type TaskType } from '../catalog/index.js';
import { semanticChecks } from './checks.js';
import { formatPath, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { isSecretRef, resolveSecretRef, Secret, type SecretSource } from './secrets.js';
import { schemaValidator, type DocumentProblem } from './schema-validator.js';
import { parseYaml, parseYamlFast, type ParsedDocument, type Position } from './yaml.js';

/** A manifest file larger than this is refused: it is a mistake or an attack, not a configuration. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The project file: skipped when walking directories (it configures inferctl, it is not a manifest). */
export const PROJECT_FILE = 'inferctl.yaml';

export interface SourceRef {
  /** The file as shown to the user (relative to the working directory when inside it). */
  readonly file: string;
  /** Index of the YAML document within the file. */
  readonly document: number;
  readonly line: number;
  readonly column: number;
}

/** The `spec` of an InferenceEndpoint: Elasticsearch's request body, with secrets as `Secret` values. */
export interface EndpointSpec {
  readonly task_type: TaskType;
  readonly service: string;
  readonly service_settings: Readonly<Record<string, unknown>>;
  readonly task_settings?: Readonly<Record<string, unknown>>;
  readonly chunking_settings?: Readonly<Record<string, unknown>>;
}

export interface EndpointManifest {
  readonly kind: 'InferenceEndpoint';
  /** `metadata.name`: the inference id. */
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly protect: boolean;
  readonly spec: EndpointSpec;
  readonly source: SourceRef;
  /** The source position of a path inside the document, for diagnostics raised after loading. */
  readonly locate: (path: readonly (string | number)[], options?: { key?: boolean }) => Position;
}

export type Manifest = EndpointManifest;

export interface LoadOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Validate for this Elasticsearch version (fields it lacks are errors); default: any version. */
  readonly version?: string;
  readonly allowLiteralSecrets?: boolean;
  /** Resolve secret references (default true). `false` checks only their shape. */
  readonly resolveSecrets?: boolean;
}

export interface LoadResult {
  readonly manifests: readonly Manifest[];
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly string[];
}

/**
 * Loads and validates every manifest under `paths` (files, or directories walked for `*.yaml` / `*.yml`).
 *
 * @example
 * const { manifests, diagnostics } = loadManifests(['manifests/'], { cwd: process.cwd(), env: process.env });
 * if (diagnostics.some((d) => d.severity === 'error')) // report and stop
 */
export function loadManifests(paths: readonly string[], options: LoadOptions): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const files = collectFiles(paths, options.cwd, diagnostics);
  const manifests: Manifest[] = [];
  const declarations: Declaration[] = [];
  for (const file of files) {
    const text = readSource(file, diagnostics);
    if (text === undefined) continue;
    const result = parseManifests(text, file.display, file.absolute, options);
    manifests.push(...result.manifests);
    declarations.push(...result.declarations);
    diagnostics.push(...result.diagnostics);
  }
  if (files.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      code: 'no_manifests',
      severity: 'error',
      file: paths.join(' ') || '.',
      line: 1,
      column: 1,
      path: '',
      message: 'no manifests found (looked for *.yaml and *.yml)',
      hint: 'pass the files or directories that hold your manifests',
    });
  }
  diagnostics.push(...duplicateNames(declarations));
  return { manifests, diagnostics: sortDiagnostics(diagnostics), files: files.map((f) => f.display) };
}

/**
 * Parses and validates the manifests in one file's text. Pure but for secret resolution, which reads
 * the environment and files through `options`.
 */
export function parseManifests(
  text: string,
  displayFile: string,
  absoluteFile: string,
  options: Omit<LoadOptions, 'cwd'>,
  secretSource: SecretSource = defaultSecretSource(options.env),
): { manifests: Manifest[]; diagnostics: Diagnostic[]; declarations: Declaration[] } {
  const diagnostics: Diagnostic[] = [];
  const manifests: Manifest[] = [];
  const declarations: Declaration[] = [];
  const parsed = parseYamlFast(text) ?? parseYaml(text);
  for (const p of parsed.problems) {
    diagnostics.push({
      code: p.code,
      severity: 'error',
      file: displayFile,
      ...p.position,
      path: '',
      message: p.message,
    });
  }
  const validator = schemaValidator({
    ...(options.version !== undefined ? { version: options.version } : {}),
    allowLiteralSecrets: Boolean(options.allowLiteralSecrets),
  });
  for (const document of parsed.documents) {
    const declared = declarationOf(document, displayFile);
    if (declared) declarations.push(declared);
    const problems: DocumentProblem[] = [...validator.validate(document), ...semanticChecks(document)];
    // Secret references are resolved even when the document has other problems, so that one run
    // reports a missing variable together with everything else.
    const built = resolvable(document.value)
      ? buildManifest(document, displayFile, absoluteFile, options, secretSource)
      : undefined;
    problems.push(...(built?.problems ?? []));
    for (const problem of problems) diagnostics.push({ ...problem, file: displayFile });
    if (built && problems.length === 0) manifests.push(built.manifest);
  }
  return { manifests, diagnostics, declarations };
}

/**
 * A `kind` + `metadata.name` pair, recorded for every document that has them — valid or not — so that a
 * duplicate id is reported even when one of its copies has other problems.
 */
export interface Declaration {
  readonly kind: string;
  readonly id: string;
  readonly file: string;
  readonly locate: ParsedDocument['locate'];
}

function declarationOf(document: ParsedDocument, file: string): Declaration | undefined {
  const value = document.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
  if (typeof value?.kind !== 'string' || typeof value.metadata?.name !== 'string') return undefined;
  return { kind: value.kind, id: value.metadata.name, file, locate: document.locate };
}

/** Is the document shaped enough (an endpoint with a service_settings map) to resolve its secrets? */
function resolvable(value: unknown): boolean {
  const v = value as { kind?: unknown; spec?: { service?: unknown; service_settings?: unknown } } | null;
  return (
    v?.kind === 'InferenceEndpoint' &&
    typeof v.spec?.service === 'string' &&
    typeof v.spec.service_settings === 'object' &&
    v.spec.service_settings !== null &&
    !Array.isArray(v.spec.service_settings)
  );
}

function buildManifest(
  document: ParsedDocument,
  displayFile: string,
  absoluteFile: string,
  options: Omit<LoadOptions, 'cwd'>,
  secretSource: SecretSource,
): { manifest: Manifest; problems: DocumentProblem[] } {
  const value = document.value as {
    metadata: { name: string; labels?: Record<string, string>; protect?: boolean };
    spec: Record<string, unknown> & {
      task_type: TaskType;
      service: string;
      service_settings: Record<string, unknown>;
    };
  };
  const problems: DocumentProblem[] = [];
  const service = getService(value.spec.service);
  const settings: Record<string, unknown> = { ...value.spec.service_settings };
  const resolveOne = (raw: unknown, path: string[]): unknown => {
    if (isSecretRef(raw)) {
      const ref = raw.secretRef;
      // A malformed reference is the schema's to report; resolve only well-formed ones.
      if ((typeof ref.env === 'string') === (typeof ref.file === 'string')) return undefined;
      if (options.resolveSecrets === false) return new Secret('', `unresolved ${formatPath(path)}`);
      const result = resolveSecretRef(ref, formatPath(path), dirname(absoluteFile), secretSource, resolve);
      if (result.ok) return result.secret;
      const at = document.locate([...path, 'secretRef'], { key: false });
      problems.push({
        code: result.code,
        severity: 'error',
        ...at,
        path: formatPath(path),
        message: result.message,
        hint: result.hint,
      });
      return undefined;
    }
    if (typeof raw === 'string') return new Secret(raw, 'literal'); // only reachable with --allow-literal-secrets
    return raw;
  };
  for (const [name, field] of Object.entries(service?.serviceSettings ?? {})) {
    if (!field.secret || !(name in settings)) continue;
    const path = ['spec', 'service_settings', name];
    const raw = settings[name];
    if (field.type === 'string_map' && raw && typeof raw === 'object' && !isSecretRef(raw)) {
      settings[name] = Object.fromEntries(
        Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, resolveOne(v, [...path, k])]),
      );
    } else {
      settings[name] = resolveOne(raw, path);
    }
  }
  const { task_type, service: serviceName, task_settings, chunking_settings } = value.spec;
  const spec: EndpointSpec = {
    task_type,
    service: serviceName,
    service_settings: settings,
    ...(task_settings !== undefined ? { task_settings: task_settings as Record<string, unknown> } : {}),
    ...(chunking_settings !== undefined
      ? { chunking_settings: chunking_settings as Record<string, unknown> }
      : {}),
  };
  // The position is computed on first use: on the fast path that parses the file again, which only
  // messages about this manifest need.
  const source: SourceRef = {
    file: displayFile,
    document: document.index,
    get line() {
      return document.locate(['metadata', 'name']).line;
    },
    get column() {
      return document.locate(['metadata', 'name']).column;
    },
  };
  return {
    problems,
    manifest: {
      kind: 'InferenceEndpoint',
      id: value.metadata.name,
      labels: value.metadata.labels ?? {},
      protect: value.metadata.protect ?? false,
      spec,
      source,
      locate: document.locate,
    },
  };
}

function duplicateNames(declarations: readonly Declaration[]): Diagnostic[] {
  const seen = new Map<string, Declaration>();
  const out: Diagnostic[] = [];
  for (const d of declarations) {
    const key = `${d.kind}/${d.id}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, d);
      continue;
    }
    // Positions are looked up only here, for the duplicates (on the fast path that parses the file again).
    const at = d.locate(['metadata', 'name']);
    const firstAt = first.locate(['metadata', 'name']);
    out.push({
      code: 'duplicate_name',
      severity: 'error',
      file: d.file,
      line: at.line,
      column: at.column,
      path: 'metadata.name',
      message: `duplicate ${d.kind} "${d.id}": also defined at ${first.file}:${firstAt.line}:${firstAt.column}`,
      hint: 'each endpoint id may be declared once; rename one or delete the copy',
      related: { file: first.file, line: firstAt.line, column: firstAt.column },
    });
  }
  return out;
}

interface FileRef {
  readonly display: string;
  readonly absolute: string;
}

/** Expands paths into manifest files: sorted, each once, symlink loops and hidden directories skipped. */
export function collectFiles(paths: readonly string[], cwd: string, diagnostics: Diagnostic[]): FileRef[] {
  const out: FileRef[] = [];
  const seen = new Set<string>();
  const display = (absolute: string) => {
    const rel = relative(cwd, absolute);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : absolute;
  };
  const fileProblem = (file: string, message: string, hint?: string) =>
    diagnostics.push({
      code: 'file_unreadable',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      path: '',
      message,
      ...(hint ? { hint } : {}),
    });
  const walk = (absolute: string, explicit: boolean, visiting: Set<string>) => {
    let real: string;
    let stat;
    try {
      real = realpathSync(absolute);
      stat = statSync(real);
    } catch (error) {
      fileProblem(
        display(absolute),
        `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        explicit ? 'check the path' : undefined,
      );
      return;
    }
    if (stat.isDirectory()) {
      if (visiting.has(real)) return; // a symlink loop: this directory is already being walked
      const next = new Set(visiting).add(real);
      let entries: string[];
      try {
        entries = readdirSync(absolute).sort();
      } catch (error) {
        fileProblem(
          display(absolute),
          `cannot list directory: ${(error as NodeJS.ErrnoException).code ?? ''}`,
        );
        return;
      }
      for (const name of entries) {
        if (name.startsWith('.') || name === 'node_modules') continue;
        const child = join(absolute, name);
        let childStat;
        try {
          childStat = statSync(child);
        } catch {
          // A dangling symlink inside a directory: report it only if it looks like a manifest.
          if (/\.ya?ml$/.test(name)) fileProblem(display(child), 'cannot read: broken symbolic link');
          continue;
        }
        if (childStat.isDirectory()) walk(child, false, next);
        else if (/\.ya?ml$/.test(name) && name !== PROJECT_FILE) walk(child, false, next);
      }
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ display: display(absolute), absolute });
  };
  for (const p of paths) walk(resolve(cwd, p), true, new Set());
  return out;
}

function readSource(file: FileRef, diagnostics: Diagnostic[]): string | undefined {
  const problem = (code: Diagnostic['code'], message: string, hint?: string) => {
    diagnostics.push({
      code,
      severity: 'error',
      file: file.display,
      line: 1,
      column: 1,
      path: '',
      message,
      ...(hint ? { hint } : {}),
    });
    return undefined;
  };
  let bytes: Buffer;
  try {
    const size = statSync(file.absolute).size;
    if (size > MAX_FILE_BYTES) {
      return problem(
        'file_too_large',
        `file is ${size} bytes; manifests larger than ${MAX_FILE_BYTES} bytes are refused`,
        'split it into several files',
      );
    }
    bytes = readFileSync(file.absolute);
  } catch (error) {
    return problem(
      'file_unreadable',
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return problem(
      'file_not_utf8',
      `file is not valid UTF-8 (first bad byte at offset ${offset})`,
      're-save it as UTF-8',
    );
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export function defaultSecretSource(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return {
    env: (name) => env[name],
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        return new Error((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      }
    },
  };
}
