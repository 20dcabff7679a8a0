/**
 * Loading manifests: find the files, parse every document with positions, validate against the schema
 * and the checks a schema cannot express, resolve secret references. All problems of all files are
 * collected in one pass; the caller acts only when there are none.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getService, type TaskType } from '../catalog/index.js';
import { semanticChecks } from './checks.js';
import { formatPath, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import {
  isSecretRef,
  MAX_SECRET_BYTES,
  resolveSecretRef,
  Secret,
  secretFileError,
  type SecretSource,
} from './secrets.js';
import { schemaValidator, type DocumentProblem } from './schema-validator.js';
import { parseYaml, parseYamlFast, type ParsedDocument, type Position } from './yaml.js';
import type { OpenSearchManifest } from '../opensearch/kinds.js';
import { buildOpenSearchManifest, checkReferences, isOpenSearchDocument } from '../opensearch/manifest.js';

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
  /** Valid OpenSearch ML Commons manifests (connectors, model groups, models), references checked. */
  readonly openSearch: readonly OpenSearchManifest[];
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
  const openSearch: OpenSearchManifest[] = [];
  const declarations: Declaration[] = [];
  for (const file of files) {
    const text = readSource(file, diagnostics);
    if (text === undefined) continue;
    const result = parseManifests(text, file.display, file.absolute, options);
    manifests.push(...result.manifests);
    openSearch.push(...result.openSearch);
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
  // References between OpenSearch manifests resolve only across all files; an invalid manifest that
  // is referenced has been reported already, so only references among valid ones are checked.
  if (openSearch.length) {
    diagnostics.push(...checkReferences(openSearch, new Set(declarations.map((d) => `${d.kind}/${d.id}`))));
  }
  return {
    manifests,
    openSearch,
    diagnostics: sortDiagnostics(collidingSuggestions(diagnostics, declarations)),
    files: files.map((f) => f.display),
  };
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
): {
  manifests: Manifest[];
  openSearch: OpenSearchManifest[];
  diagnostics: Diagnostic[];
  declarations: Declaration[];
} {
  const diagnostics: Diagnostic[] = [];
  const manifests: Manifest[] = [];
  const openSearch: OpenSearchManifest[] = [];
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
    if (isOpenSearchDocument(document.value)) {
      const os = buildOpenSearchManifest(
        document,
        displayFile,
        dirname(absoluteFile),
        options,
        secretSource,
        resolve,
      );
      problems.push(...os.problems);
      for (const problem of problems) diagnostics.push({ ...problem, file: displayFile });
      if (problems.length === 0) openSearch.push(os.manifest);
      continue;
    }
    // Secret references are resolved even when the document has other problems, so that one run
    // reports a missing variable together with everything else.
    const built = resolvable(document.value)
      ? buildManifest(document, displayFile, absoluteFile, options, secretSource)
      : undefined;
    problems.push(...(built?.problems ?? []));
    for (const problem of problems) diagnostics.push({ ...problem, file: displayFile });
    if (built && problems.length === 0) manifests.push(built.manifest);
  }
  return { manifests, openSearch, diagnostics, declarations };
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

/**
 * An invalid id whose suggested fix (`My-Endpoint` → `my-endpoint`) is already declared elsewhere: the
 * hint says so, rather than suggesting a duplicate.
 */
function collidingSuggestions(diagnostics: Diagnostic[], declarations: readonly Declaration[]): Diagnostic[] {
  const declared = new Map<string, Declaration>();
  for (const d of declarations) if (!declared.has(d.id)) declared.set(d.id, d);
  return diagnostics.map((d) => {
    const suggested =
      d.code === 'invalid_id' ? /^did you mean "([^"]+)"\?$/.exec(d.hint ?? '')?.[1] : undefined;
    const other = suggested === undefined ? undefined : declared.get(suggested);
    if (!other) return d;
    const at = other.locate(['metadata', 'name']);
    return {
      ...d,
      hint: `"${suggested}" is the valid spelling, but it is already declared at ${other.file}:${at.line}:${at.column}; choose another id or delete this copy`,
    };
  });
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
        `cannot read: ${describeFsError(error)}`,
        explicit ? 'check the path' : undefined,
      );
      return;
    }
    if (stat.isDirectory()) {
      if (visiting.has(real)) {
        // A symlink loop: this directory is already being walked. Its files are read once; say why the
        // link is not followed.
        diagnostics.push({
          code: 'file_unreadable',
          severity: 'warning',
          file: display(absolute),
          line: 1,
          column: 1,
          path: '',
          message: `symbolic link loop: this is ${display(real)}, which contains it; not followed again`,
        });
        return;
      }
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
        } catch (error) {
          // A dangling symlink inside a directory: report it only if it looks like a manifest.
          if (/\.ya?ml$/.test(name)) {
            const broken = (error as NodeJS.ErrnoException).code === 'ENOENT';
            fileProblem(
              display(child),
              `cannot read: ${broken ? 'broken symbolic link (its target does not exist)' : describeFsError(error)}`,
            );
          }
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
  const problem = (
    code: Diagnostic['code'],
    message: string,
    hint?: string,
    at: { line: number; column: number } = { line: 1, column: 1 },
  ) => {
    diagnostics.push({
      code,
      severity: 'error',
      file: file.display,
      ...at,
      path: '',
      message,
      ...(hint ? { hint } : {}),
    });
    return undefined;
  };
  const read = readBounded(file.absolute, MAX_FILE_BYTES);
  if ('error' in read) {
    if (read.error === 'EFBIG') {
      return problem(
        'file_too_large',
        `file is ${read.size} bytes (${mib(read.size)}); manifests larger than ${mib(MAX_FILE_BYTES)} are refused`,
        'split it into several files',
      );
    }
    return problem('file_unreadable', `cannot read: ${read.detail}`);
  }
  const decoded = decodeUtf8(read.bytes);
  if (typeof decoded === 'string') return decoded;
  return problem('file_not_utf8', decoded.message, decoded.hint, decoded.at);
}

function mib(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

/** What a failed file system call means, in words. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'ENOENT: no such file or directory';
    case 'ELOOP':
      return 'ELOOP: symbolic link loop (the link leads, through other links, back to itself)';
    case 'EACCES':
    case 'EPERM':
      return `${code}: permission denied`;
    case 'EISDIR':
      return 'EISDIR: is a directory';
    default:
      return code ?? (error as Error).message;
  }
}

function fileKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export type BoundedRead =
  | { readonly bytes: Buffer }
  | {
      /** `EFBIG`: more than the limit; `ENOTREG`: a directory, device or pipe; else the system's code. */
      readonly error: string;
      readonly detail: string;
      readonly size: number;
    };

/**
 * Reads a regular file of at most `limit` bytes, without ever holding more than `limit + 1` bytes, and
 * without blocking on a named pipe or reading forever from a device (`/dev/zero`): those are refused
 * after `fstat`, before any read. The size is checked first and again while reading (a file can grow).
 */
export function readBounded(path: string, limit: number): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused just below).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { error: code, detail: describeFsError(error), size: 0 };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = fileKind(stat);
      return {
        error: stat.isDirectory() ? 'EISDIR' : 'ENOTREG',
        detail: stat.isDirectory() ? 'is a directory' : `${kind}, not a regular file`,
        size: 0,
      };
    }
    if (stat.size > limit) return { error: 'EFBIG', detail: `larger than ${limit} bytes`, size: stat.size };
    const buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stat.size + 1, 4096)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const n = readSync(fd, chunk, length, chunk.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return { error: 'EFBIG', detail: `larger than ${limit} bytes`, size: length };
    return { bytes: chunk.subarray(0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { error: code, detail: describeFsError(error), size: 0 };
  } finally {
    closeSync(fd);
  }
}

interface DecodeProblem {
  readonly message: string;
  readonly hint: string;
  readonly at?: { line: number; column: number };
}

/**
 * The text of a UTF-8 file (a UTF-8 byte order mark is dropped), or why it is not one: UTF-16 and UTF-32
 * (with a byte order mark, or UTF-16 recognised by its zero bytes) are named as such; other bytes are
 * pointed at, by line and column.
 */
export function decodeUtf8(bytes: Uint8Array): string | DecodeProblem {
  const wide = wideEncoding(bytes);
  if (wide) {
    return {
      message: `file is ${wide}; inferctl reads manifests as UTF-8`,
      hint: 'save it as UTF-8 (in most editors: Save with Encoding → UTF-8; or iconv -f UTF-16 -t UTF-8)',
    };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
    // The column counts characters, as an editor does: the line's valid start decoded.
    const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
    const column = before.replace(/^\uFEFF/, '').length + 1;
    const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      message: `file is not valid UTF-8: byte 0x${byte} at line ${line}, column ${column} (Latin-1 or Windows-1252 text?)`,
      hint: 're-save it as UTF-8 (iconv -f WINDOWS-1252 -t UTF-8)',
      at: { line, column },
    };
  }
}

/** `UTF-16 (little-endian, with a byte order mark)` and the like, or undefined. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32 (little-endian, with a byte order mark)';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32 (big-endian, with a byte order mark)';
  if (a === 0xff && b === 0xfe) return 'UTF-16 (little-endian, with a byte order mark)';
  if (a === 0xfe && b === 0xff) return 'UTF-16 (big-endian, with a byte order mark)';
  // Without a mark: ASCII text in UTF-16 has a zero byte in every other position.
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.1)
    return 'UTF-16 (little-endian, without a byte order mark)';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.1)
    return 'UTF-16 (big-endian, without a byte order mark)';
  return undefined;
}

/** Offset of the first byte that does not start (or continue) a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: sequence length and the range of the second byte (RFC 3629: no overlongs, no surrogates).
    const [length, low, high] =
      b >= 0xc2 && b <= 0xdf
        ? [2, 0x80, 0xbf]
        : b === 0xe0
          ? [3, 0xa0, 0xbf]
          : b === 0xed
            ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [3, 0x80, 0xbf]
              : b === 0xf0
                ? [4, 0x90, 0xbf]
                : b === 0xf4
                  ? [4, 0x80, 0x8f]
                  : b >= 0xf1 && b <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : [0, 0, 0];
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * Secrets from the environment and from files. A secret file is read only when it is a regular file of at
 * most `MAX_SECRET_BYTES` (64 KiB): a directory, a device such as `/dev/zero`, a named pipe or a large
 * file (a wrong path, usually) is refused before it is read.
 */
export function defaultSecretSource(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return {
    env: (name) => env[name],
    readFile: (path) => {
      const read = readBounded(path, MAX_SECRET_BYTES);
      if ('error' in read) return secretFileError(read.error, read.detail);
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(read.bytes);
      } catch {
        return secretFileError('EILSEQ', 'not valid UTF-8');
      }
    },
  };
}
