import { BadInputError } from '../errors/index.js';

/**
 * Bad NWB input: a BadInputError, so the job fails at once (non-retryable) and its record
 * names the file. Retrying a malformed file can never succeed.
 */
export class NwbFormatError extends BadInputError {
  constructor(file: string, problem: string) {
    super(file, problem);
    this.name = 'NwbFormatError';
  }
}
