import fs from 'node:fs';
import path from 'node:path';

/** What a running embedded stack publishes under MPCTL_HOME so that every other command finds it. */
export interface StackState {
  supervisorPid: number;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  uiUrl: string;
  taskQueue: string;
  dataRoots: string[];
  pids: { temporal?: number; postgres?: number; worker?: number };
  workerHealthUrl?: string;
  startedAt: string;
}

export const stackStateFile = (home: string) => path.join(home, 'stack.json');

/** Returns the stack state when its supervisor is alive; a stale file (crashed supervisor) reads as no stack. */
export function readStackState(home: string, { includeStale = false } = {}): StackState | undefined {
  const file = stackStateFile(home);
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as StackState;
    if (!includeStale && !isAlive(state.supervisorPid)) return undefined;
    return state;
  } catch {
    return undefined;
  }
}

export function writeStackState(home: string, state: StackState): void {
  const file = stackStateFile(home);
  fs.writeFileSync(file + '.tmp', JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(file + '.tmp', file);
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
