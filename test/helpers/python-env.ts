import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIREMENTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/python-requirements.txt',
);
const MODULES = 'h5py, numpy, pynwb, scipy, pandas, pyarrow, pytest';
export const PYTHON_ENV = path.join(os.homedir(), '.cache', 'mpctl', 'pyenv');

function imports(python: string, modules: string): boolean {
  try {
    execFileSync(python, ['-c', `import ${modules}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The venv of scripts/python-requirements.txt (h5py, numpy, pynwb, scipy, pandas, pyarrow, pytest; pinned), created and filled
 * from PyPI on first use: a fresh clone or CI has none. Throws, saying why, when that fails.
 */
export function devPython(): string {
  const python = path.join(PYTHON_ENV, 'bin', 'python');
  if (fs.existsSync(python) && imports(python, MODULES)) return python;
  console.error(`installing ${path.basename(REQUIREMENTS)} into ${PYTHON_ENV}…`);
  if (!fs.existsSync(python))
    execFileSync('python3', ['-m', 'venv', PYTHON_ENV], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!imports(python, MODULES)) throw new Error(`${MODULES} still missing from ${PYTHON_ENV}`);
  return python;
}
