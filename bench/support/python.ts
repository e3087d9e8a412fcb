import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Pinned so the reference is the same program on every machine. */
const REQUIREMENTS = ['h5py==3.16.0', 'numpy==2.4.6'];
const VENV = path.join(os.homedir(), '.cache', 'mpctl', 'pyenv');

/**
 * A Python with h5py and numpy for the reference implementations: the venv under
 * ~/.cache/mpctl/pyenv, created and filled from PyPI on first use (a fresh clone or CI has none).
 */
export function referencePython(): string {
  const python = path.join(VENV, 'bin', 'python');
  const has = () => {
    try {
      execFileSync(python, ['-c', 'import h5py, numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (fs.existsSync(python) && has()) return python;
  console.error(`installing ${REQUIREMENTS.join(' ')} into ${VENV}…`);
  if (!fs.existsSync(python)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', ...REQUIREMENTS], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!has()) throw new Error(`h5py/numpy still missing from ${VENV}`);
  return python;
}
