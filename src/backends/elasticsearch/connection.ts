/**
 * Where the cluster is and how to authenticate, from flags and environment variables (* "Connection"). A pure function of (flags, env, readFile): the CLI passes `process.env` and `fs`, tests pass
 * literals. Credentials are held in `Secret`s from the moment they are read, so a connection can be logged,
 * printed or serialised without leaking them.
 */
import { InferctlError } from '../../errors.js';
import { Secret } from '../../manifest/secrets.js';

/** The connection flags of every command that talks to a cluster. Empty strings count as not given. */
export interface ConnectionFlags {
  readonly url?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly cloudId?: string | undefined;
  /** Path of a PEM file with the CA certificate(s) to trust (as given; `readFile` resolves it). */
  readonly caCert?: string | undefined;
  /** Skip TLS certificate verification. Only from the flag: never from the environment. */
  readonly insecure?: boolean | undefined;
}

export type ConnectionEnv = Readonly<Record<string, string | undefined>>;

/** Reads a file's text, or returns an Error saying why it cannot (same contract as `SecretSource.readFile`). */
export type ReadFile = (path: string) => string | Error;

export const ENV = {
  url: 'ELASTICSEARCH_URL',
  apiKey: 'ELASTICSEARCH_API_KEY',
  username: 'ELASTICSEARCH_USERNAME',
  password: 'ELASTICSEARCH_PASSWORD',
  cloudId: 'ELASTIC_CLOUD_ID',
} as const;

export type ConnectionAuth =
  | { readonly kind: 'none' }
  /** `apiKey` is the encoded key sent as `Authorization: ApiKey <apiKey>`. */
  | { readonly kind: 'api_key'; readonly apiKey: Secret }
  | { readonly kind: 'basic'; readonly username: string; readonly password: Secret };

export interface ConnectionTls {
  /** PEM text of the CA certificate(s) from `--ca-cert` (public data, not a secret). */
  readonly ca?: string;
  readonly caFile?: string;
  /** False only with `--insecure`. */
  readonly rejectUnauthorized: boolean;
}

export interface Connection {
  /** `scheme://host[:port][/path-prefix]`, without credentials, query or trailing slash. */
  readonly url: string;
  readonly auth: ConnectionAuth;
  readonly tls: ConnectionTls;
  /** Things the caller should print before connecting (`--insecure`, credentials on the command line, …). */
  readonly warnings: readonly string[];
  /** Where the URL and the credentials came from: `--url`, `ELASTIC_CLOUD_ID`, … */
  readonly source: { readonly url: string; readonly auth?: string };
  /** `https://host:9200 (api key from ELASTICSEARCH_API_KEY)`: never a credential. */
  toString(): string;
}

export const CONNECTION_ERROR_CODES = [
  'connection_url_missing',
  'connection_url_invalid',
  'connection_cloud_id_invalid',
  'connection_conflict',
  'connection_auth_incomplete',
  'connection_ca_cert_unreadable',
  'connection_ca_cert_invalid',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

function fail(code: ConnectionErrorCode, message: string, hint: string): InferctlError {
  return new InferctlError(code, message, { hint });
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Hides `user:password@` in a URL-ish string so that it can be quoted in a message. Everything up to the
 * last `@` goes: an unparseable value may have a password with a raw `@` or no `//` at all.
 */
function withoutUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  return `${scheme}(credentials)@${text.slice(at + 1)}`;
}

/**
 * Decodes an Elastic Cloud id to the cluster URL exactly as `@elastic/elasticsearch` 8.19 does
 * (`lib/client.js`): `name:base64("<cloudUrl>$<esId>[$<kibanaId>]")` → `https://<esId>.<cloudUrl>`; a
 * `:port` on the cloud URL is kept, the Kibana id is ignored. The only difference: surrounding whitespace
 * (a trailing newline from a secret store) is trimmed.
 *
 * @example decodeCloudId('my:' + btoa('us-east-1.aws.found.io$abc$def')) // { url: 'https://abc.us-east-1.aws.found.io', name: 'my' }
 */
export function decodeCloudId(cloudId: string): { url: string; name: string } | InferctlError {
  const hint = 'copy the Cloud ID from the deployment page of the Elastic Cloud console (name:base64…)';
  const parts = cloudId.trim().split(':');
  if (parts.length !== 2 || parts[1] === '') {
    return fail(
      'connection_cloud_id_invalid',
      'the Cloud ID must be in the format "name:base64string"',
      hint,
    );
  }
  const decoded = Buffer.from(parts[1] ?? '', 'base64')
    .toString('utf8')
    .split('$');
  const [cloudUrl = '', esId = ''] = decoded;
  if (decoded.length < 2 || cloudUrl === '' || esId === '') {
    return fail(
      'connection_cloud_id_invalid',
      'the Cloud ID must decode to at least two "$"-separated parts: "<cloudUrl>$<esId>[$<kibanaId>]"',
      hint,
    );
  }
  let url: URL;
  try {
    url = new URL(`https://${esId}.${cloudUrl}`);
  } catch {
    return fail('connection_cloud_id_invalid', 'the Cloud ID does not decode to a valid host name', hint);
  }
  return { url: url.origin, name: parts[0] ?? '' };
}

/**
 * The API key as sent in `Authorization: ApiKey …`: the encoded form Kibana shows, or `id:api_key` (what the
 * create-API-key response returns separately), which is encoded here like the official clients do.
 */
function encodeApiKey(raw: string): string {
  const value = raw.trim().replace(/^ApiKey\s+/i, '');
  // base64 has no ':'; a key with one is the `id:api_key` pair.
  return value.includes(':') ? Buffer.from(value, 'utf8').toString('base64') : value;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

interface UrlChoice {
  readonly url: URL;
  readonly source: string;
}

function parseUrl(raw: string, source: string): UrlChoice | InferctlError {
  const text = raw.trim();
  const shown = withoutUserinfo(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(
      'connection_url_invalid',
      `${source}: "${shown}" is not a URL`,
      'give the full URL with its scheme, e.g. https://localhost:9200',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // `localhost:9200` parses with the scheme `localhost:`.
    return fail(
      'connection_url_invalid',
      `${source}: "${shown}" is not an http:// or https:// URL`,
      text.includes('://')
        ? 'Elasticsearch is reached over http:// or https://'
        : `include the scheme: https://${shown} (or http:// for a cluster without TLS)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    return fail(
      'connection_url_invalid',
      `${source}: the URL must not have a query string or fragment`,
      'give only scheme, host, port and (behind a proxy) a path prefix',
    );
  }
  return { url, source };
}

function chooseUrl(flags: ConnectionFlags, env: ConnectionEnv): UrlChoice | InferctlError {
  const flagUrl = given(flags.url);
  const flagCloud = given(flags.cloudId);
  const envUrl = given(env[ENV.url]);
  const envCloud = given(env[ENV.cloudId]);
  // Flags beat the environment as a whole: `--url` wins over ELASTIC_CLOUD_ID and vice versa.
  const [url, cloud, urlSource, cloudSource] =
    flagUrl !== undefined || flagCloud !== undefined
      ? [flagUrl, flagCloud, '--url', '--cloud-id']
      : [envUrl, envCloud, ENV.url, ENV.cloudId];
  if (url !== undefined && cloud !== undefined) {
    return fail(
      'connection_conflict',
      `both ${urlSource} and ${cloudSource} are set`,
      `give one of them: ${cloudSource} is decoded to the cluster URL`,
    );
  }
  if (cloud !== undefined) {
    const decoded = decodeCloudId(cloud);
    if (decoded instanceof InferctlError) {
      return new InferctlError(decoded.code, `${cloudSource}: ${decoded.message}`, {
        ...(decoded.hint !== undefined ? { hint: decoded.hint } : {}),
      });
    }
    return { url: new URL(decoded.url), source: cloudSource };
  }
  if (url !== undefined) return parseUrl(url, urlSource);
  return fail(
    'connection_url_missing',
    'no Elasticsearch URL given',
    `pass --url https://host:9200 or set ${ENV.url} (for Elastic Cloud: --cloud-id or ${ENV.cloudId})`,
  );
}

interface AuthChoice {
  readonly auth: ConnectionAuth;
  readonly source?: string;
  readonly warnings: readonly string[];
}

function chooseAuth(
  flags: ConnectionFlags,
  env: ConnectionEnv,
  fromUrl: { username: string; password: string } | undefined,
): AuthChoice | InferctlError {
  const flagKey = given(flags.apiKey);
  const flagUser = given(flags.username);
  const flagPassword = given(flags.password);
  const warnings: string[] = [];
  const visible = (flag: string, variable: string) =>
    warnings.push(
      `${flag} on the command line is visible to other users of this machine (ps, shell history); prefer ${variable}`,
    );

  const fromFlags = flagKey !== undefined || flagUser !== undefined || flagPassword !== undefined;
  if (fromFlags && fromUrl) {
    return fail(
      'connection_conflict',
      'the URL contains credentials and credential flags are given too',
      'remove user:password@ from the URL',
    );
  }
  if (flagKey !== undefined && (flagUser !== undefined || flagPassword !== undefined)) {
    return fail(
      'connection_conflict',
      'both --api-key and --username/--password are given',
      'authenticate with one of them',
    );
  }
  if (flagKey !== undefined) {
    visible('--api-key', ENV.apiKey);
    return {
      auth: { kind: 'api_key', apiKey: new Secret(encodeApiKey(flagKey), 'flag --api-key') },
      source: '--api-key',
      warnings,
    };
  }

  // A username from a flag may take its password from the environment (keeping it off the command line).
  const username = flagUser ?? (fromFlags ? undefined : given(env[ENV.username]));
  const password = flagPassword ?? given(env[ENV.password]);
  if (fromFlags) {
    if (flagPassword !== undefined) visible('--password', ENV.password);
    if (username === undefined) {
      return fail(
        'connection_auth_incomplete',
        '--password is given without --username',
        `add --username (or set ${ENV.username})`,
      );
    }
    if (password === undefined) {
      return fail(
        'connection_auth_incomplete',
        '--username is given without a password',
        `set ${ENV.password} (or pass --password)`,
      );
    }
    return {
      auth: {
        kind: 'basic',
        username,
        password: new Secret(
          password,
          flagPassword !== undefined ? 'flag --password' : `env ${ENV.password}`,
        ),
      },
      source: '--username',
      warnings,
    };
  }

  const envKey = given(env[ENV.apiKey]);
  if (fromUrl && (envKey !== undefined || username !== undefined)) {
    return fail(
      'connection_conflict',
      `the URL contains credentials and ${envKey !== undefined ? ENV.apiKey : ENV.username} is set too`,
      'remove user:password@ from the URL or unset the variable',
    );
  }
  if (fromUrl) {
    return {
      auth: { kind: 'basic', username: fromUrl.username, password: new Secret(fromUrl.password, 'url') },
      source: 'the URL',
      warnings,
    };
  }
  if (envKey !== undefined && username !== undefined) {
    return fail(
      'connection_conflict',
      `both ${ENV.apiKey} and ${ENV.username} are set`,
      'unset one of them, or pass --api-key / --username to choose',
    );
  }
  if (envKey !== undefined) {
    return {
      auth: { kind: 'api_key', apiKey: new Secret(encodeApiKey(envKey), `env ${ENV.apiKey}`) },
      source: ENV.apiKey,
      warnings,
    };
  }
  if (username !== undefined || password !== undefined) {
    if (username === undefined) {
      return fail(
        'connection_auth_incomplete',
        `${ENV.password} is set without ${ENV.username}`,
        `set ${ENV.username} too`,
      );
    }
    if (password === undefined) {
      return fail(
        'connection_auth_incomplete',
        `${ENV.username} is set without ${ENV.password}`,
        `set ${ENV.password} too`,
      );
    }
    return {
      auth: { kind: 'basic', username, password: new Secret(password, `env ${ENV.password}`) },
      source: ENV.username,
      warnings,
    };
  }
  return { auth: { kind: 'none' }, warnings };
}

function describeAuth(auth: ConnectionAuth, source: string | undefined): string {
  const from = source !== undefined ? ` from ${source}` : '';
  switch (auth.kind) {
    case 'none':
      return 'no credentials';
    case 'api_key':
      return `api key${from}`;
    case 'basic':
      return `user ${auth.username}${from}`;
  }
}

/**
 * Resolves the connection: `--url`/`ELASTICSEARCH_URL` or `--cloud-id`/`ELASTIC_CLOUD_ID`; `--api-key`/
 * `ELASTICSEARCH_API_KEY` or `--username`+`--password`/`ELASTICSEARCH_USERNAME`+`ELASTICSEARCH_PASSWORD`
 * (or `user:password@` in the URL); `--ca-cert FILE`; `--insecure`. Flags win over the environment. Returns
 * an `InferctlError` (code from `CONNECTION_ERROR_CODES`, with a hint naming the flag or variable) instead
 * of throwing; no credential ever appears in an error, a warning or `toString()`.
 *
 * @example
 * const c = resolveConnection({ insecure: true }, process.env, (p) => readFileSync(p, 'utf8'));
 * if (c instanceof InferctlError) fail(c);
 * else for (const w of c.warnings) log.warn(w);
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: ConnectionEnv,
  readFile: ReadFile,
): Connection | InferctlError {
  const chosen = chooseUrl(flags, env);
  if (chosen instanceof InferctlError) return chosen;
  const url = new URL(chosen.url.href);
  const fromUrl =
    url.username !== '' || url.password !== ''
      ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
      : undefined;
  url.username = '';
  url.password = '';
  if (fromUrl && (fromUrl.username === '' || fromUrl.password === '')) {
    return fail(
      'connection_auth_incomplete',
      `${chosen.source}: the URL has a user name or a password but not both`,
      'write https://user:password@host, or better, use --username and ELASTICSEARCH_PASSWORD',
    );
  }
  const auth = chooseAuth(flags, env, fromUrl);
  if (auth instanceof InferctlError) return auth;

  const warnings = [...auth.warnings];
  const https = url.protocol === 'https:';
  const base = url.origin + url.pathname.replace(/\/+$/, '');

  let tls: ConnectionTls = { rejectUnauthorized: true };
  const caFile = given(flags.caCert);
  if (caFile !== undefined) {
    const text = readFile(caFile);
    if (text instanceof Error) {
      return fail(
        'connection_ca_cert_unreadable',
        `--ca-cert: cannot read ${caFile} (${text.message})`,
        'give the path of the PEM file with the CA certificate that signed the cluster certificate',
      );
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      return fail(
        'connection_ca_cert_invalid',
        `--ca-cert: ${caFile} is not a PEM certificate`,
        'give a PEM file (-----BEGIN CERTIFICATE-----), e.g. config/certs/http_ca.crt of the cluster',
      );
    }
    tls = { ...tls, ca: text, caFile };
    if (!https) warnings.push(`--ca-cert is ignored: ${base} does not use TLS`);
  }
  if (flags.insecure === true) {
    if (https) {
      tls = { ...tls, rejectUnauthorized: false };
      warnings.push(
        `TLS certificate verification is disabled (--insecure): anyone between here and ${url.host} can read and change the traffic, credentials included; prefer --ca-cert FILE`,
      );
    } else {
      warnings.push(`--insecure has no effect: ${base} does not use TLS`);
    }
  }
  if (!https && auth.auth.kind !== 'none' && !isLoopback(url.hostname)) {
    warnings.push(`credentials are sent unencrypted to ${url.host} over http://; use https://`);
  }

  const description = `${base} (${describeAuth(auth.auth, auth.source)})`;
  return {
    url: base,
    auth: auth.auth,
    tls,
    warnings,
    source: { url: chosen.source, ...(auth.source !== undefined ? { auth: auth.source } : {}) },
    toString: () => description,
  };
}

/**
 * The `Authorization` header for the connection's credentials (the only place they are revealed, apart from
 * `credentialValues`).
 *
 * @example authorizationHeader({ kind: 'basic', username: 'u', password: new Secret('p', 'x') }) === 'Basic dTpw'
 */
export function authorizationHeader(auth: ConnectionAuth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'api_key':
      return `ApiKey ${auth.apiKey.reveal()}`;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password.reveal()}`, 'utf8').toString('base64')}`;
  }
}

/**
 * Every form in which the credentials could come back in server text, so that the client can redact them:
 * the key as sent and decoded, the password, the Basic token.
 */
export function credentialValues(auth: ConnectionAuth): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'api_key': {
      const key = auth.apiKey.reveal();
      // The encoded key is base64("id:api_key"); its secret half could be quoted on its own. Only a clean
      // decode counts, so that a key in another format does not add random fragments to redact.
      const decoded = Buffer.from(key, 'base64').toString('utf8');
      const clean = /^[\x21-\x7e]+:[\x21-\x7e]+$/.test(decoded);
      return clean ? [key, decoded, decoded.slice(decoded.indexOf(':') + 1)] : [key];
    }
    case 'basic': {
      const header = authorizationHeader(auth) ?? '';
      return [auth.password.reveal(), header.slice('Basic '.length)];
    }
  }
}
