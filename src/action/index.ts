/**
 * The Action's entry point, bundled into `dist/index.js`: only wires the real process to `run`.
 */
import { processDeps, run } from './main.js';

/* istanbul ignore next */
run(processDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stdout.write(`::error title=inferctl::internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
