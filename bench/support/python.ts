import { devPython } from '../../test/helpers/python-env.js';

/** A Python with h5py and numpy for the reference implementations (the project's pinned venv). */
export const referencePython = devPython;
