/**
 * Bad NWB input. Carries the file and the problem so the pipeline can map it to its
 * non-retryable BadInput failure: retrying a malformed file can never succeed.
 */
export class NwbFormatError extends Error {
  /** Same value as ErrorTypes.BadInput, so `errorTypeOf()` classifies it without a mapping. */
  readonly errorType = 'BadInput' as const;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'NwbFormatError';
  }
}
