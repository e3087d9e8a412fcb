import ms from 'ms';
import { ConfigError } from '../errors/index.js';

/** `5s`, `5m`, `1h`, `1.5 hours` (the `ms` package's syntax, as Temporal takes) in milliseconds; a bad value is a usage error. */
export function parseDuration(text: string, flag: string): number {
  const value = ms(text as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ConfigError(`${flag} "${text}" is not a duration; write it like 30s, 5m or 1h`);
  return value;
}
