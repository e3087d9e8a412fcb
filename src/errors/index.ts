/**
 * The one place that names failure types. Activities turn these into non-retryable Temporal
 * failures with the same type, so a bad file fails its own job at once instead of being retried.
 */
export const ErrorTypes = {
  /** A raw file is missing, unreadable or malformed. */
  BadInput: 'BadInput',
  /** An ignore.txt asked for the job to fail. */
  Ignored: 'Ignored',
  /** Configuration is wrong (unknown module, bad selection): retrying cannot help. */
  Config: 'ConfigError',
  /** One or more modules of an experiment failed. */
  ModulesFailed: 'ModulesFailed',
  /** Not run because an upstream module of the same experiment failed (a job record's type). */
  Skipped: 'Skipped',
  /** Cancelled while it ran (a job record's type). */
  Cancelled: 'Cancelled',
  /** An external module printed a row that does not fit its declared tables. */
  BadOutput: 'BadOutput',
  /** An external module's processes went past its declared memory limit. */
  MemoryLimit: 'MemoryLimit',
  /** A raw file failed to read while it was still changing (being written or copied): retried, not bad input. */
  Settling: 'Settling',
  /** Another update holds the update lock: retried until it is free. */
  UpdateLockHeld: 'UpdateLockHeld',
} as const;

export type ErrorType = (typeof ErrorTypes)[keyof typeof ErrorTypes];

export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorTypes.BadInput,
  ErrorTypes.Ignored,
  ErrorTypes.Config,
  ErrorTypes.BadOutput,
  ErrorTypes.MemoryLimit,
];

/** A job's input is bad: names the file and the problem. */
export class BadInputError extends Error {
  readonly errorType: ErrorType = ErrorTypes.BadInput;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'BadInputError';
  }
}

/** An ignore.txt in the job's folder: the job fails on purpose with the file's text. */
export class IgnoredError extends BadInputError {
  override readonly errorType: ErrorType = ErrorTypes.Ignored;
  constructor(file: string, text: string) {
    super(file, `ignored: ${text.trim() || '(no reason given)'}`);
    this.name = 'IgnoredError';
  }
}

/** A file that failed to read was changed within the settle time: retryable, and no failure is recorded. */
export class SettlingError extends Error {
  readonly errorType: ErrorType = ErrorTypes.Settling;
  constructor(
    readonly file: string,
    problem: string,
    ageSeconds: number,
  ) {
    super(`${file}: still changing (${Math.floor(ageSeconds)} s ago); will retry once it has settled (${problem})`);
    this.name = 'SettlingError';
  }
}

export class ConfigError extends Error {
  readonly errorType: ErrorType = ErrorTypes.Config;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** An external module's output broke its declaration (a row of an unknown table, a wrong value…); retrying repeats it. */
export class BadOutputError extends Error {
  readonly errorType: ErrorType = ErrorTypes.BadOutput;
  constructor(message: string) {
    super(message);
    this.name = 'BadOutputError';
  }
}

/** An external module's processes used more memory than it declared. */
export class MemoryLimitError extends Error {
  readonly errorType: ErrorType = ErrorTypes.MemoryLimit;
  constructor(message: string) {
    super(message);
    this.name = 'MemoryLimitError';
  }
}

export function errorTypeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'errorType' in error)
    return String((error as { errorType: string }).errorType);
  if (error instanceof Error) return error.name || 'Error';
  return 'Error';
}

export function sourceFileOf(error: unknown): string | undefined {
  return error instanceof BadInputError ? error.file : undefined;
}
