// The restart rule of the embedded stack's supervisor. Hand-written on purpose: retry libraries
// (p-retry, exponential-backoff) wrap a promise until it succeeds, while a worker never
// "succeeds"; it runs until it crashes, and only the delay before each restart is in question.

export interface RestartPolicy {
  /** Delay before the first restart; it doubles after each further crash. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive crashes after which the supervisor stops restarting. */
  maxCrashes: number;
  /** A worker that ran this long before crashing starts the count again. */
  healthyAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  maxCrashes: 10,
  healthyAfterMs: 120_000,
};

export type RestartDecision = { restart: true; delayMs: number; crashes: number } | { restart: false; crashes: number };

/** Counts consecutive crashes and answers, for each, when to restart (1, 2, 4 … capped) or to give up. */
export class RestartBackoff {
  private crashes = 0;

  constructor(private readonly policy: RestartPolicy = defaultRestartPolicy) {}

  /** `ranMs`: how long the process ran before this crash. */
  crashed(ranMs: number): RestartDecision {
    this.crashes = ranMs >= this.policy.healthyAfterMs ? 1 : this.crashes + 1;
    if (this.crashes >= this.policy.maxCrashes) return { restart: false, crashes: this.crashes };
    const delayMs = Math.min(this.policy.initialDelayMs * 2 ** (this.crashes - 1), this.policy.maxDelayMs);
    return { restart: true, delayMs, crashes: this.crashes };
  }
}
