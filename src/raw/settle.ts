import path from 'node:path';
import { ConfigError } from '../errors/index.js';

/** How long raw files must stay unchanged before their jobs are planned. */
export interface SettleRule {
  seconds: number;
  /** Per data root (absolute path), from `dataRoots` entries in mpctl.config.json that name one. */
  byRoot?: Record<string, number>;
}

/** A minute covers a rig's pause between sweeps and a copy's pause between files. */
export const DEFAULT_SETTLE_SECONDS = 60;

export function settleSecondsFor(rule: SettleRule, root: string): number {
  return rule.byRoot?.[path.resolve(root)] ?? rule.seconds;
}

/** `MPCTL_SETTLE_SECONDS`, then the config file's `settleSeconds`, then the default. */
export function parseSettleSeconds(value: unknown, where: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new ConfigError(`${where}: settle time must be a number of seconds ≥ 0, got ${JSON.stringify(value)}`);
  return seconds;
}

/** For callers without a resolved config (tests building activities directly): the environment or the default. */
export function settleFromEnv(env: NodeJS.ProcessEnv = process.env): SettleRule {
  return { seconds: parseSettleSeconds(env.MPCTL_SETTLE_SECONDS, 'MPCTL_SETTLE_SECONDS') ?? DEFAULT_SETTLE_SECONDS };
}
