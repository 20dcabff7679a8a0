/**
 * Secrets: references in manifests (`{ secretRef: { env } }` / `{ secretRef: { file } }`), resolved at run
 * time into `Secret` values that refuse to be printed. The value leaves a `Secret` only through
 * `reveal()`, which the request compiler calls when it builds a request body.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

export interface SecretRef {
  readonly env?: string;
  readonly file?: string;
}

/** What a secret's value is replaced with in every output. */
export const REDACTED = '(secret)';

/**
 * A secret value. `String(secret)`, `JSON.stringify(secret)`, `util.inspect(secret)` and template
 * literals all give `(secret)`; only `reveal()` gives the value.
 */
export class Secret {
  readonly #value: string;
  /** Where it came from, for messages: `env OPENAI_API_KEY`, `file ./keys/openai`, `literal`. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  /**
   * Salted SHA-256 of the value, hex: lets inferctl notice a rotated secret without storing it.
   *
   * @example new Secret('sk-1', 'env K').fingerprint('salt') !== new Secret('sk-2', 'env K').fingerprint('salt')
   */
  fingerprint(salt: string): string {
    return createHash('sha256').update(salt).update('\u0000').update(this.#value).digest('hex');
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function isSecretRef(value: unknown): value is { secretRef: SecretRef } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'secretRef' in value &&
    typeof (value as { secretRef: unknown }).secretRef === 'object'
  );
}

/** A secret file larger than this is refused unread: secrets are a few hundred bytes, this is a wrong path. */
export const MAX_SECRET_BYTES = 64 * 1024;

/** Where secret values come from: the environment and files. Injected so tests need neither. */
export interface SecretSource {
  env(name: string): string | undefined;
  /**
   * The file's text, or an Error saying why it cannot be read, with the reason as its `code` (`ENOENT`,
   * `EISDIR`, `EACCES`, `EFBIG` for a file over `MAX_SECRET_BYTES`, `ENOTREG` for a device or pipe,
   * `EILSEQ` for bytes that are not UTF-8) — or, from simpler sources, as its message.
   */
  readFile(absolutePath: string): string | Error;
}

/** An Error for `SecretSource.readFile`: `code` says why, `message` says it in words. */
export function secretFileError(code: string, detail: string): Error {
  return Object.assign(new Error(detail), { code });
}

export type SecretResolution =
  | { readonly ok: true; readonly secret: Secret }
  | {
      readonly ok: false;
      readonly code: 'secret_env_missing' | 'secret_file_missing' | 'secret_empty';
      readonly message: string;
      readonly hint: string;
    };

/**
 * Resolves one reference. A file's content loses one trailing newline (editors add one; API keys never
 * end with one); an empty value is an error, since Elasticsearch rejects empty secrets.
 */
export function resolveSecretRef(
  ref: SecretRef,
  field: string,
  manifestDir: string,
  source: SecretSource,
  resolvePath: (dir: string, file: string) => string,
): SecretResolution {
  if (ref.env !== undefined) {
    const value = source.env(ref.env);
    if (value === undefined) {
      return {
        ok: false,
        code: 'secret_env_missing',
        message: `environment variable ${ref.env} is not set`,
        hint: `export ${ref.env}=… before running inferctl (in GitHub Actions: env: ${ref.env}: \${{ secrets.${ref.env} }})`,
      };
    }
    if (value === '') {
      return {
        ok: false,
        code: 'secret_empty',
        message: `environment variable ${ref.env} is empty`,
        hint: `set ${ref.env} to the secret's value`,
      };
    }
    return { ok: true, secret: new Secret(value, `env ${ref.env}`) };
  }
  const file = ref.file ?? '';
  const absolute = resolvePath(manifestDir, file);
  const text = source.readFile(absolute);
  if (text instanceof Error)
    return { ok: false, code: 'secret_file_missing', ...unreadable(text, file, absolute) };
  // A byte order mark is an editor's, not part of the secret.
  const value = text.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (value === '') {
    return {
      ok: false,
      code: 'secret_empty',
      message: `secret file ${file} is empty`,
      hint: `write the secret into ${absolute}`,
    };
  }
  return { ok: true, secret: new Secret(value, `file ${file}`) };
}

/** Why a secret file cannot be used, in words, and what to do about it. Never quotes the file's content. */
function unreadable(error: Error, file: string, absolute: string): { message: string; hint: string } {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  switch (code) {
    case 'ENOENT':
      return {
        message: `cannot read secret file ${file} (ENOENT: no such file)`,
        hint: `the path is relative to the manifest; create ${absolute} or fix the path`,
      };
    case 'EISDIR':
      return {
        message: `secret file ${file} is a directory`,
        hint: `point secretRef.file at the file that holds the secret, not at the directory ${absolute}`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        message: `cannot read secret file ${file} (${code}: permission denied)`,
        hint: `make ${absolute} readable by the user running inferctl`,
      };
    case 'EFBIG':
      return {
        message: `secret file ${file} is larger than ${MAX_SECRET_BYTES / 1024} KiB; inferctl does not read it`,
        hint: `a secret file holds only the secret (an API key is a few hundred bytes at most); check that ${absolute} is the right file`,
      };
    case 'ENOTREG':
      return {
        message: `secret file ${file} is ${error.message}; inferctl reads secrets only from regular files`,
        hint: `write the secret into a file and point secretRef.file at it, or use secretRef.env`,
      };
    case 'EILSEQ':
      return {
        message: `secret file ${file} is not valid UTF-8`,
        hint: `save ${absolute} as UTF-8 text`,
      };
    case 'ELOOP':
      return {
        message: `cannot read secret file ${file} (ELOOP: symbolic link loop)`,
        hint: `fix the symbolic links at ${absolute}`,
      };
    default:
      return {
        message: `cannot read secret file ${file} (${code})`,
        hint: `the path is relative to the manifest; check ${absolute}`,
      };
  }
}
