import type { Em } from '../db/orm.js';
import { dropOwnedRows, ownedTables, type OwnedTable } from './owned-tables.js';
import type { ModuleDeclaration, ModuleParams, PipelineModule } from './types.js';

/**
 * A module from its folder's declaration: the owned tables come from its entities, and so does
 * its drop (children first, by foreign key) unless it declares one.
 */
export function defineModule<P extends ModuleParams = Record<string, never>>(
  declaration: ModuleDeclaration<P>,
): PipelineModule<P> {
  const order = new WeakMap<object, OwnedTable[]>();
  // The order needs the ORM's discovered metadata, so it is worked out on the first drop of each ORM.
  const tablesFor = (em: Em) => {
    const metadata = em.getMetadata();
    let tables = order.get(metadata);
    if (!tables) {
      tables = ownedTables(metadata, declaration.name, declaration.scope, declaration.entities);
      order.set(metadata, tables);
    }
    return tables;
  };
  return {
    ...declaration,
    params: declaration.params ?? ({} as P),
    tables: declaration.entities.map((schema) => schema.meta.tableName!),
    rawInputs: declaration.rawInputs ?? (() => []),
    drop: declaration.drop ?? ((em, jobIds) => dropOwnedRows(em, tablesFor(em), jobIds)),
  };
}
