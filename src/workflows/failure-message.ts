/** The innermost message of a failure chain (ChildWorkflowFailure → ActivityFailure → ApplicationFailure). */
export function messageOf(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}
