#!/usr/bin/env node
/**
 * The `inferctl` command: dispatches to one module per command. The only place that touches the real
 * process (argv, streams, signals, exit code).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InferctlError } from '../errors.js';
import { diagnosticsOf } from '../core/session.js';
import { formatValidationText } from '../render/diagnostics.js';
import { styleFor } from './util.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { emulatorCommand } from './emulator.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { applyCommand } from './apply.js';
import { exportCommand } from './export.js';
import { driftCommand } from './drift.js';
import { adoptCommand, forgetCommand, unlockCommand } from './ownership.js';
import { VERSION } from '../version.js';

export const COMMANDS: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  driftCommand,
  exportCommand,
  adoptCommand,
  forgetCommand,
  unlockCommand,
  emulatorCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `inferctl ${VERSION} — Elasticsearch inference endpoints and OpenSearch ML Commons models as code

Usage: inferctl <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'inferctl <command> --help' for a command's options.`;
}

/**
 * Runs one invocation and returns the exit code. Errors with a code are the user's to fix and print as
 * one line plus a hint; anything else is a bug and says so.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp() + '\n');
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`inferctl: unknown command "${name}"\n${mainHelp()}\n`);
    return EXIT.error;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof InferctlError && error.code === 'invalid_manifests') {
      const diagnostics = diagnosticsOf(error);
      io.stderr.write(
        formatValidationText(
          {
            files: Number(error.context['files'] ?? 0),
            manifests: Number(error.context['manifests'] ?? 0),
            diagnostics,
          },
          styleFor(io.stderr, io.env),
        ),
      );
    }
    if (error instanceof InferctlError) {
      io.stderr.write(`inferctl ${name}: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return EXIT.error;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(
        `inferctl ${name}: ${error.message}\n  hint: run 'inferctl ${name} --help' for the usage\n`,
      );
      return EXIT.error;
    }
    io.stderr.write(
      `inferctl ${name}: internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in inferctl; please report it with the command you ran.\n`,
    );
    return EXIT.error;
  }
}

function isEntrypoint(): boolean {
  try {
    return (
      process.argv[1] !== undefined &&
      realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (isEntrypoint()) {
  const stopSignal = new Promise<string>((resolveStop) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolveStop(signal));
  });
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stopSignal,
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      // Commands that serve (the emulator) resolve after stopping; nothing else keeps the loop alive.
      if (code !== EXIT.ok) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`inferctl: internal error: ${String(error)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
