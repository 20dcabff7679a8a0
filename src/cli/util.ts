import { InferctlError } from '../errors.js';
import { ansi, plain, type Style } from '../render/diagnostics.js';

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  return stream.isTTY && !env['NO_COLOR'] && env['TERM'] !== 'dumb' ? ansi : plain;
}

export function usageError(message: string): InferctlError {
  return new InferctlError('usage', message, { hint: 'run with --help for the usage' });
}
