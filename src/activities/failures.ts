import { ApplicationFailure } from '@temporalio/activity';
import { BadInputError, ConfigError, ErrorTypes, errorTypeOf, NON_RETRYABLE_ERROR_TYPES } from '../errors/index.js';

/** Bad input from any layer (e.g. the NWB reader's NwbFormatError): typed BadInput and naming its file. */
function fileOfBadInput(error: unknown): string | undefined {
  if (error instanceof BadInputError) return error.file;
  if (error instanceof Error && (error as { errorType?: unknown }).errorType === ErrorTypes.BadInput) {
    const file = (error as { file?: unknown }).file;
    if (typeof file === 'string') return file;
  }
  return undefined;
}

/**
 * Turns a job's error into what Temporal should do with it: bad input and bad configuration
 * fail at once (non-retryable, typed, with the file named); anything else is retried.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const file = fileOfBadInput(error);
  if (file !== undefined || error instanceof ConfigError) {
    const type = errorTypeOf(error);
    return ApplicationFailure.create({
      message: (error as Error).message,
      type,
      nonRetryable: NON_RETRYABLE_ERROR_TYPES.includes(type),
      details: [{ sourceFile: file ?? null }],
    });
  }
  return error;
}
