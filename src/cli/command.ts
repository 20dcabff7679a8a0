/**
 * The contract every CLI command implements. Commands are thin: parse flags, call the core, render,
 * return an exit code. They write only to the streams they are given, so tests run them in-process.
 */
import type { Writable } from 'node:stream';

export interface CliIO {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  /** Standard input, for confirmations; absent when there is none to read. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Resolves when the user asks the process to stop (SIGINT / SIGTERM); commands that serve await it. */
  readonly stopSignal: Promise<string>;
}

export interface Command {
  readonly name: string;
  /** One line for `inferctl --help`. */
  readonly summary: string;
  /** The full `inferctl <name> --help` text. */
  readonly help: string;
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** Exit codes, as Terraform's: 0 ok / no changes, 1 error, 2 changes present (or drift). */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;
