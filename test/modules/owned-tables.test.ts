import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MikroORM } from '@mikro-orm/postgresql';
import { bookkeepingEntities } from '../../src/bookkeeping/entities.js';
import { tableShape } from '../../src/db/entity-rows.js';
import { createRegistry } from '../../src/modules/index.js';
import { ownedTables } from '../../src/modules/owned-tables.js';
import { paramsHash } from '../../src/planning/fingerprint.js';
import { ConfigError } from '../../src/errors/index.js';
import { ModuleRegistry } from '../../src/modules/registry.js';

// The ORM's discovered metadata, without a database: what every derivation below reads.
const registry = createRegistry();
let orm: MikroORM;
before(async () => {
  orm = await MikroORM.init({
    clientUrl: 'postgresql://nobody@127.0.0.1:1/none',
    entities: [...bookkeepingEntities, ...registry.entities],
    ensureDatabase: false,
  });
});
after(() => orm.close());

describe('a module folder states its schema once: its entities', () => {
  it('every module owns the tables of its entities, each table has one owner', () => {
    const owners = new Map<string, string>();
    for (const module of registry.ordered) {
      assert.deepEqual(
        module.tables,
        module.entities.map((e) => e.meta.tableName),
        module.name,
      );
      for (const table of module.tables) {
        assert.ok(!owners.has(table), `${table} owned by ${owners.get(table)} and ${module.name}`);
        owners.set(table, module.name);
      }
    }
  });

  it('the derived drop deletes a table before every owned table it references, by the job column', () => {
    for (const module of registry.ordered) {
      const order = ownedTables(orm.getMetadata(), module.name, module.scope, module.entities);
      assert.deepEqual(order.map((t) => t.table).sort(), [...module.tables].sort(), module.name);
      for (const [i, { table }] of order.entries()) {
        const meta = orm.getMetadata().get(module.entities.find((e) => e.meta.tableName === table)!);
        for (const prop of meta.props.filter((p) => p.kind === 'm:1')) {
          const target = order.findIndex((t) => t.table === prop.targetMeta!.tableName);
          assert.ok(target < 0 || target > i, `${module.name}: ${table} must go before ${prop.targetMeta!.tableName}`);
        }
      }
    }
    const experiment = registry.get('experiment');
    assert.deepEqual(ownedTables(orm.getMetadata(), 'experiment', 'experiment', experiment.entities).at(-1), {
      table: 'experiment',
      jobColumn: 'id',
    });
  });

  it('a table with no way to its job is a start-up error naming the module and the table', () => {
    const slice = registry.get('slice');
    // The slice table seen from a per-experiment module has no experiment column.
    assert.throws(
      () => ownedTables(orm.getMetadata(), 'odd', 'experiment', slice.entities),
      (e: Error) =>
        e instanceof ConfigError && /module "odd": table slice has no reference to experiment/.test(e.message),
    );
  });

  it('two modules claiming one table is a start-up error', () => {
    const intrinsic = registry.get('intrinsic');
    assert.throws(
      () => new ModuleRegistry([...registry.ordered, { ...intrinsic, name: 'intrinsic2' }]),
      /table "intrinsic" is owned by both "intrinsic" and "intrinsic2"/,
    );
  });

  it('bulk-insert columns and their types come from the entity', () => {
    const shape = tableShape(orm.em.fork(), registry.get('dataset').entities[0]!);
    assert.equal(shape.table, 'recording');
    const byName = Object.fromEntries(shape.columns.map((c) => [c.name, [c.key, c.type]]));
    assert.deepEqual(byName.experiment_id, ['experiment', 'text']);
    assert.deepEqual(byName.cell_id, ['cell', 'int4']);
    assert.deepEqual(byName.tp_input_resistance, ['tpInputResistance', 'float8']);
    assert.deepEqual(byName.qc_reasons, ['qcReasons', 'jsonb']);
    assert.ok(shape.columns.find((c) => c.name === 'id')!.generated);
  });

  it('the update_lock migration marks old records with exactly the parameters of version 1', () => {
    // Migration20261201235735 rewrites records written before parameters were declared; a change of
    // these defaults is a change of results and needs a version bump (and this test updated with it).
    // Version 2 of both (voltage clamp analysed as such) makes every version-1 record code-changed
    // whatever its hash; dataset's parameters are still those of version 1, pulse_response's gained vcMeasure.
    assert.equal(registry.get('dataset').version, '2');
    assert.equal(paramsHash(registry.get('dataset').params), '7907b117e1c1c1c6');
    assert.equal(registry.get('pulse_response').version, '2');
    assert.notEqual(paramsHash(registry.get('pulse_response').params), 'c9edcc4baee29375');
  });
});
