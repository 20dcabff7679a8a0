/**
 * The GitHub Actions runner protocol, the little of it the Action needs: inputs from `INPUT_*`, workflow
 * commands on stdout (`::add-mask::`, `::error file=…::`), outputs appended to `GITHUB_OUTPUT`, the job
 * summary appended to `GITHUB_STEP_SUMMARY`. Written out here rather than taken from `@actions/core`
 * (https://github.com/actions/toolkit/tree/main/packages/core), whose behaviour this follows, so that
 * the bundle carries no dependency for a few dozen lines.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import type { Writable } from 'node:stream';

export type Env = Readonly<Record<string, string | undefined>>;

/** The runner sets `INPUT_<NAME>`: upper case, spaces as `_`, hyphens kept (`INPUT_API-KEY`). */
export function inputName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input, trimmed; `''` when not given. */
export function getInput(env: Env, name: string): string {
  return (env[inputName(name)] ?? '').trim();
}

/** One value a line, blank lines dropped (`paths`, `allow-disruption`); commas separate too. */
export function getListInput(env: Env, name: string): string[] {
  return getInput(env, name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** YAML 1.2 core schema booleans, as `core.getBooleanInput` accepts them; anything else is an error. */
export function getBooleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = getInput(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new TypeError(`input ${name} must be true or false, not "${value}"`);
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationProperties {
  readonly title?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
}

/** The runner's side of the Action: where commands, outputs and the summary go. */
export class Runner {
  readonly #stdout: Writable;
  readonly #env: Env;
  readonly #masked = new Set<string>();

  constructor(stdout: Writable, env: Env) {
    this.#stdout = stdout;
    this.#env = env;
  }

  #command(name: string, properties: Record<string, string | number | undefined>, message: string): void {
    const props = Object.entries(properties)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(',');
    this.#stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
  }

  /**
   * Tells the runner to replace `secret` with `***` in the log from now on. Each line of a multi-line
   * value is masked too (the runner matches line by line).
   */
  mask(secret: string | undefined): void {
    if (!secret) return;
    for (const part of [secret, ...secret.split(/\r?\n/)]) {
      const value = part.trim();
      if (value.length < 4 || this.#masked.has(value)) continue;
      this.#masked.add(value);
      this.#command('add-mask', {}, value);
    }
  }

  /** `text` with every masked value replaced, for what does not pass through the log (comments, files). */
  redact(text: string): string {
    let out = text;
    for (const secret of [...this.#masked].sort((a, b) => b.length - a.length))
      out = out.split(secret).join('***');
    return out;
  }

  info(message: string): void {
    this.#stdout.write(message + EOL);
  }

  debug(message: string): void {
    this.#command('debug', {}, message);
  }

  error(message: string, properties: AnnotationProperties = {}): void {
    this.#command('error', { ...properties }, message);
  }

  warning(message: string, properties: AnnotationProperties = {}): void {
    this.#command('warning', { ...properties }, message);
  }

  notice(message: string, properties: AnnotationProperties = {}): void {
    this.#command('notice', { ...properties }, message);
  }

  group(title: string): void {
    this.#command('group', {}, title);
  }

  endGroup(): void {
    this.#command('endgroup', {}, '');
  }

  /** Appends `name<<DELIMITER` … to `GITHUB_OUTPUT` (a delimiter the value cannot contain). */
  setOutput(name: string, value: string): void {
    const file = this.#env['GITHUB_OUTPUT'];
    if (!file) {
      // Outside a runner (a local run): show the output rather than lose it.
      this.info(`output ${name}=${value}`);
      return;
    }
    let delimiter = `ghadelimiter_${randomUUID()}`;
    while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  }

  /** Appends markdown to the job summary (`GITHUB_STEP_SUMMARY`); ignored outside a runner. */
  appendSummary(markdown: string): void {
    const file = this.#env['GITHUB_STEP_SUMMARY'];
    if (file) appendFileSync(file, this.redact(markdown) + EOL, 'utf8');
  }
}
