import { EntitySchema, type EntitySchemaMetadata } from '@mikro-orm/core';
import { Cell, Experiment, Pair } from '../modules/experiment/entities.js';
import type { ColumnTypeName, ReferenceTable } from './manifest-schema.js';
import type { ModuleManifest } from './manifest.js';

/** The PostgreSQL type of each declared column type (docs/modules.md's table). */
const COLUMN_TYPE: Record<ColumnTypeName, string> = {
  text: 'text',
  integer: 'int',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  'float32[]': 'bytea',
};

const REFERENCED = { experiment: () => Experiment, cell: () => Cell, pair: () => Pair } satisfies Record<
  ReferenceTable,
  () => unknown
>;

/**
 * MikroORM entities for an external module's declared tables, so that MikroORM's schema tooling
 * creates and compares them. Property names are the column names (`fieldName` pins them against
 * the naming strategy). Rows are written by the row sink's bulk insert, not through these entities.
 */
export function tableEntities(manifest: ModuleManifest): EntitySchema[] {
  return Object.entries(manifest.tables).map(([table, declaration]) => {
    const properties: EntitySchemaMetadata<Record<string, unknown>>['properties'] = {
      id: { type: 'integer', primary: true, autoincrement: true, fieldName: 'id' },
      experiment_id: {
        kind: 'm:1',
        entity: REFERENCED.experiment,
        fieldName: 'experiment_id',
        index: `${table}_experiment_id_index`,
      },
    };
    for (const [name, column] of Object.entries(declaration.columns)) {
      properties[name] = column.references
        ? {
            kind: 'm:1',
            entity: REFERENCED[column.references],
            fieldName: name,
            nullable: !column.required,
            index: `${table}_${name}_index`,
          }
        : { type: 'unknown', columnType: COLUMN_TYPE[column.type], fieldName: name, nullable: !column.required };
    }
    return new EntitySchema({ name: entityName(table), tableName: table, properties } as never);
  });
}

/** A class name for the table that no built-in entity uses. */
function entityName(table: string): string {
  return `External_${table}`;
}
