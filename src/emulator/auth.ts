/**
 * Authentication when the emulator is started with an API key or basic credentials: like ES
 * security, a request without valid credentials gets 401 `security_exception` with `WWW-Authenticate`
 * challenges, in the standard envelope (the challenges are also in `error.header`).
 */
import { EsError } from './errors.js';
import type { EmulatorOptions } from './options.js';
import type { EmuRequest } from './types.js';

const CHALLENGES = ['Basic realm="security", charset="UTF-8"', 'ApiKey'];

function unauthorized(reason: string): EsError {
  return new EsError(401, 'security_exception', reason, {
    extra: { header: { 'WWW-Authenticate': CHALLENGES } },
    headers: { 'www-authenticate': CHALLENGES.join(', ') },
  });
}

/** Throws the 401 unless the request carries accepted credentials (or none are configured). */
export function authenticate(options: EmulatorOptions, req: EmuRequest): void {
  if (options.apiKey === undefined && options.basicAuth === undefined) return;
  const header = req.headers.authorization;
  if (!header) throw unauthorized(`missing authentication credentials for REST request [${req.uri}]`);
  const [scheme = '', value = ''] = header.split(/\s+/, 2);
  if (scheme.toLowerCase() === 'apikey' && options.apiKey !== undefined) {
    const accepted = [options.apiKey, Buffer.from(options.apiKey).toString('base64')];
    if (accepted.includes(value)) return;
  }
  if (scheme.toLowerCase() === 'basic' && options.basicAuth !== undefined) {
    const expected = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString(
      'base64',
    );
    if (value === expected) return;
  }
  throw unauthorized(
    'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
  );
}
