import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MigrationObject } from '@mikro-orm/core';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The generated migrations in this folder, in name (= time) order: `npm run migration:create`
 * writes a new file and nothing else needs editing. (MikroORM's own `migrations.path` discovery
 * uses `fs.globSync`, which Node 20 lacks.)
 */
export async function loadMigrations(): Promise<MigrationObject[]> {
  const files = fs
    .readdirSync(here)
    .filter((file) => /^Migration\d+_\w+\.js$/.test(file))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const name = file.replace(/\.js$/, '');
      const exported = (await import(pathToFileURL(path.join(here, file)).href)) as Record<
        string,
        MigrationObject['class']
      >;
      const migration = exported[name];
      if (!migration) throw new Error(`${file} does not export a class named ${name}`);
      return { name, class: migration };
    }),
  );
}
