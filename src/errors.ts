/**
 * Errors with a stable `code`, a `hint` that says what to do, and context. Callers branch on `code`;
 * the CLI maps codes to exit codes and prints `message` + `hint`.
 */
export class InferctlError extends Error {
  override readonly name = 'InferctlError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.context = options.context ?? {};
  }
}

/** A bug in inferctl rather than in the user's input: say so, and where to report it. */
export class InternalError extends InferctlError {
  constructor(message: string, cause?: unknown) {
    super('internal', `internal error: ${message}`, {
      hint: 'this is a bug in inferctl; please open an issue with the command you ran',
      cause,
    });
  }
}
