import { ApplicationFailure } from '@temporalio/activity';
import { errorTypeOf, NON_RETRYABLE_ERROR_TYPES, sourceFileOf } from '../errors/index.js';

/**
 * Turns a job's error into what Temporal should do with it: bad input and bad configuration
 * fail at once (non-retryable, typed, with the file named); anything else is retried.
 */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const file = sourceFileOf(error);
  const type = errorTypeOf(error);
  if (file !== undefined || NON_RETRYABLE_ERROR_TYPES.includes(type)) {
    return ApplicationFailure.create({
      message: (error as Error).message,
      type,
      nonRetryable: NON_RETRYABLE_ERROR_TYPES.includes(type),
      details: [{ sourceFile: file ?? null }],
    });
  }
  return error;
}
