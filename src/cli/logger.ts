/**
 * The CLI's pino logger: JSON lines, or a short human form on a terminal, always on stderr (stdout is
 * for results). Every secret path and `Authorization` is redacted whatever a caller logs.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { secretFields, SERVICES } from '../catalog/index.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Paths pino redacts: every secret field name of every service, anywhere two levels deep, and auth headers. */
export function redactPaths(): string[] {
  const names = new Set(SERVICES.flatMap((s) => secretFields(s)));
  names.add('password');
  names.add('apiKey');
  const paths = [
    'authorization',
    'Authorization',
    'headers.authorization',
    'headers.Authorization',
    '*.headers.authorization',
  ];
  for (const n of names) paths.push(n, `*.${n}`, `*.*.${n}`);
  return paths;
}

export function createLogger(options: {
  level: string;
  format: 'json' | 'pretty';
  stream: Writable;
}): Logger {
  const destination = options.format === 'json' ? options.stream : prettyStream(options.stream);
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: redactPaths(), censor: '(secret)' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

const LABELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** A destination that turns pino's JSON lines into `WARN message key=value …`. */
function prettyStream(out: Writable): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const { level, time: _time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
          const fields = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          out.write(
            `${LABELS[level as number] ?? 'LOG'} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`,
          );
        } catch {
          out.write(line + '\n');
        }
        newline = pending.indexOf('\n');
      }
      callback();
    },
  });
}
