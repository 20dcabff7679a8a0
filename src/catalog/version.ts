import type { Since, Version } from './types.js';

/** A parsed version: `[major, minor, patch]`. */
export type VersionTuple = readonly [number, number, number];

/**
 * Parses `9.1.0`, `8.17`, `9.1.0-SNAPSHOT`. Throws on anything else.
 *
 * @example parseVersion('8.17.1') // [8, 17, 1]
 */
export function parseVersion(text: string): VersionTuple {
  const cached = parsed.get(text);
  if (cached) return cached;
  const tuple = parseUncached(text);
  if (parsed.size < 1000) parsed.set(text, tuple);
  return tuple;
}

/** Versions are compared constantly while planning (every field of every manifest): parse each once. */
const parsed = new Map<string, VersionTuple>();

function parseUncached(text: string): VersionTuple {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${JSON.stringify(text)}`);
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function compareVersions(a: string | VersionTuple, b: string | VersionTuple): number {
  const x = typeof a === 'string' ? parseVersion(a) : a;
  const y = typeof b === 'string' ? parseVersion(b) : b;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `major.minor` of a full version string. */
export function minorOf(version: string): Version {
  const [major, minor] = parseVersion(version);
  return `${major}.${minor}`;
}

/**
 * Does `version` have a feature available `since`? Each entry is the first release of one line that has
 * it. With one minimum per major (`['8.19', '9.1']`), a version uses the minimum of its own major; a major
 * newer than every listed one has the feature, an older one does not. With several minimums in one major
 * (a fix back-ported to several lines, `['9.1.7', '9.2.1']`) the entry of the version's own minor decides,
 * else the nearest older listed minor of its major (9.3.0 has it from the 9.2.1 line on); a minor older
 * than every listed one of its major does not have it (9.0.x).
 *
 * @example atLeast('9.0.3', ['8.19', '9.1']) // false — 9.0 predates the 9.x backport
 * @example atLeast('8.19.2', ['8.19', '9.1']) // true
 * @example atLeast('9.2.0', ['8.19.7', '9.1.7', '9.2.1']) // false — the 9.2 line got it in 9.2.1
 */
export function atLeast(version: string | VersionTuple, since: Since | undefined): boolean {
  if (since === undefined) return true;
  const v = typeof version === 'string' ? parseVersion(version) : version;
  const minimums = (typeof since === 'string' ? [since] : since).map((s) => parseVersion(s));
  const sameMajor = minimums.filter((m) => m[0] === v[0]);
  if (sameMajor.length > 0) {
    // The nearest listed line at or below the version's minor.
    const line = sameMajor.filter((m) => m[1] <= v[1]).sort((a, b) => b[1] - a[1] || a[2] - b[2])[0];
    return line !== undefined && compareVersions(v, line) >= 0;
  }
  const newer = minimums.filter((m) => m[0] > v[0]);
  if (newer.length === minimums.length) return false; // every minimum is in a later major
  if (newer.length === 0) return true; // a later major than every minimum
  // A major between listed ones with no entry of its own: it has the feature only if an older major did.
  return minimums.some((m) => m[0] < v[0]);
}

/**
 * Is `version` at most `until` (inclusive)? `major.minor` covers every patch of that minor (`9.3` includes
 * 9.3.8); `major.minor.patch` stops at that patch (`9.5.2` excludes 9.5.3).
 *
 * @example atMost('9.3.8', '9.3') // true
 * @example atMost('9.5.3', '9.5.2') // false
 */
export function atMost(version: string | VersionTuple, until: Version | undefined): boolean {
  if (until === undefined) return true;
  const v = typeof version === 'string' ? parseVersion(version) : version;
  const u = parseVersion(until);
  if (v[0] !== u[0]) return v[0] < u[0];
  if (v[1] !== u[1]) return v[1] < u[1];
  return !hasPatch(until) || v[2] <= u[2];
}

/**
 * Is `version` within `[from, to]` (both inclusive, `to` as in `atMost`)?
 *
 * @example between('9.5.1', '9.5.0', '9.5.2') // true
 */
export function between(version: string | VersionTuple, from: Version, to: Version): boolean {
  return compareVersions(version, from) >= 0 && atMost(version, to);
}

function hasPatch(version: string): boolean {
  return /^\d+\.\d+\.\d+/.test(version.trim());
}

/** Human form of a `Since`: `8.19 / 9.1`. */
export function formatSince(since: Since): string {
  return typeof since === 'string' ? since : since.join(' / ');
}
