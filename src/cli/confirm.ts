import readline from 'node:readline/promises';
import { ConfigError } from '../errors/index.js';

/** Asks on a terminal; without one, refuses rather than guessing (scripts must pass --yes). */
export async function confirm(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY)
    throw new ConfigError('refusing to delete results without a terminal to confirm on; pass --yes');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
