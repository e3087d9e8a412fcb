import fs from 'node:fs';
import { defineModule } from '../define-module.js';
import { cellClassesFile, readCellClasses } from './definitions.js';
import { CellClassSchema } from './entities.js';
import { processCellClass, type CellClassParams } from './process.js';

/** Per cell: the classes (config/cell-classes.yml or MPCTL_CELL_CLASSES) whose criteria it meets. */
const declared = defineModule<CellClassParams>({
  name: 'cell_class',
  dependencies: ['experiment'],
  version: '1',
  scope: 'experiment',
  entities: [CellClassSchema],
  process: processCellClass,
});

// The definitions are the params, so editing them makes every cell_class job params-changed. They are
// read when asked for (again whenever the file changes, so a running worker sees an edit), not at import,
// so a bad file is a ConfigError of the command that uses it (exit 2), not a crash of every command.
let cached: { key: string; params: CellClassParams } | undefined;
export const cellClassModule = Object.defineProperty(declared, 'params', {
  enumerable: true,
  get(): CellClassParams {
    const file = cellClassesFile();
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    const key = `${file}\u0000${stat?.mtimeMs}\u0000${stat?.size}`;
    if (cached?.key !== key) cached = { key, params: { classes: readCellClasses(file) } };
    return cached.params;
  },
});
