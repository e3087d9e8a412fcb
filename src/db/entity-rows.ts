import type {
  EntityMetadata,
  EntityProperty,
  EntitySchema,
  InferEntity,
  Opt,
  Primary,
  PrimaryKeyProp,
} from '@mikro-orm/core';
import { ConfigError } from '../errors/index.js';
import type { Em } from './orm.js';
import { bulkInsert, sql, type ColumnType, type InsertColumn } from './sql.js';

// Rows keyed by the entity's property names, so the entity is the one statement of a table's
// schema: its columns, their SQL types and their names all come from the ORM's metadata.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entity schema, whatever its properties
export type AnySchema = EntitySchema<any, any>;

/** A relation's column holds the referenced row's primary key. */
type ColumnValue<V> = V extends { [PrimaryKeyProp]?: unknown } ? Primary<V> : V;
/** Nullable properties and those the database fills (autoincrement ids, defaults) may be left out. */
type IsOptional<V> = undefined extends V ? true : typeof Opt.__optional extends keyof V ? true : false;
type Keys<E> = Extract<keyof E, string>;
type OptionalKeys<E> = { [K in Keys<E>]: IsOptional<E[K]> extends true ? K : never }[Keys<E>];
type RequiredKeys<E> = Exclude<Keys<E>, OptionalKeys<E>>;

/** One row of a table as its entity declares it: a misspelt or missing column is a compile error. */
export type InsertRow<S extends AnySchema> = { [K in RequiredKeys<InferEntity<S>>]: ColumnValue<InferEntity<S>[K]> } & {
  [K in OptionalKeys<InferEntity<S>>]?: ColumnValue<Exclude<InferEntity<S>[K], undefined>> | null;
};

/** The columns of a row read back (RETURNING or SELECT … AS property). */
export type ReadRow<S extends AnySchema, K extends Keys<InferEntity<S>>> = {
  [P in K]: ColumnValue<Exclude<InferEntity<S>[P], undefined>>;
};

export type PropertyOf<S extends AnySchema> = Keys<InferEntity<S>>;

export interface TableColumn extends InsertColumn {
  /** The entity property this column stores (the row key). */
  key: string;
  /** The database fills it when the row leaves it out (autoincrement id). */
  generated: boolean;
}

export interface TableShape {
  table: string;
  columns: TableColumn[];
  byProperty: Map<string, TableColumn>;
}

const shapes = new WeakMap<EntityMetadata, TableShape>();

/** The table and columns of an entity, from the ORM's discovered metadata (cached per ORM). */
export function tableShape(em: Em, schema: AnySchema): TableShape {
  const meta = em.getMetadata().get(schema);
  let shape = shapes.get(meta);
  if (!shape) {
    const columns = meta.props.filter(isStored).map((prop) => columnOf(meta, prop));
    shape = { table: meta.tableName, columns, byProperty: new Map(columns.map((c) => [c.key, c])) };
    shapes.set(meta, shape);
  }
  return shape;
}

function isStored(prop: EntityProperty): boolean {
  return (prop.kind === 'scalar' || prop.kind === 'm:1' || prop.kind === '1:1') && prop.persist !== false;
}

function columnOf(meta: EntityMetadata, prop: EntityProperty): TableColumn {
  if (prop.fieldNames.length !== 1) {
    throw new ConfigError(`${meta.tableName}.${prop.name}: composite columns are not supported by the bulk insert`);
  }
  return {
    name: prop.fieldNames[0]!,
    key: prop.name,
    type: castOf(meta.tableName, prop.name, prop.columnTypes[0]!),
    generated: Boolean(prop.autoincrement),
  };
}

/** The array type each column's values travel as (unnest over one array parameter per column). */
function castOf(table: string, property: string, columnType: string): ColumnType {
  const type = columnType.toLowerCase();
  if (type === 'serial' || type === 'int' || type === 'integer' || type === 'int4' || type === 'smallint')
    return 'int4';
  if (type === 'bigint' || type === 'bigserial' || type === 'int8') return 'int8';
  if (type === 'double precision' || type === 'float8') return 'float8';
  if (type === 'real' || type === 'float4') return 'float4';
  if (type === 'text' || type.startsWith('varchar') || type.startsWith('character varying')) return 'text';
  if (type === 'boolean' || type === 'bool') return 'bool';
  if (type === 'jsonb' || type === 'json') return 'jsonb';
  if (type === 'bytea') return 'bytea';
  if (type.startsWith('timestamptz') || type.startsWith('timestamp with time zone')) return 'timestamptz';
  throw new ConfigError(`${table}.${property}: column type "${columnType}" is not supported by the bulk insert`);
}

/**
 * Inserts rows in one statement through the measured unnest path of `bulkInsert`, with the
 * columns the entity declares. `returning` names properties; rows come back keyed by them.
 */
export async function insertRows<S extends AnySchema, R extends PropertyOf<S> = never>(
  em: Em,
  schema: S,
  rows: InsertRow<S>[],
  returning: R[] = [],
): Promise<ReadRow<S, R>[]> {
  const shape = tableShape(em, schema);
  // Generated columns are sent only when every row sets them; otherwise the database fills them.
  const columns = shape.columns.filter(
    (c) => !c.generated || (rows.length > 0 && rows.every((r) => hasValue(r, c.key))),
  );
  const back = returning.map((property) => columnFor(shape, property));
  const written = await bulkInsert(
    em,
    shape.table,
    columns,
    rows as Record<string, unknown>[],
    back.map((c) => c.name),
  );
  if (back.length === 0) return [];
  return written.map((row) => Object.fromEntries(back.map((c) => [c.key, row[c.name]])) as ReadRow<S, R>);
}

const hasValue = (row: object, key: string) => (row as Record<string, unknown>)[key] !== undefined;

function columnFor(shape: TableShape, property: string): TableColumn {
  const column = shape.byProperty.get(property);
  if (!column) throw new ConfigError(`${shape.table} has no property "${property}"`);
  return column;
}

/** The SQL name of one property's column, for hand-written statements over an entity's table. */
export function columnName<S extends AnySchema>(em: Em, schema: S, property: PropertyOf<S>): string {
  return columnFor(tableShape(em, schema), property).name;
}

/** `alias.column AS "property"` for the given properties: a SELECT whose rows come back keyed like the entity. */
export function selectAs<S extends AnySchema>(em: Em, schema: S, alias: string, properties: readonly PropertyOf<S>[]) {
  const shape = tableShape(em, schema);
  return sql.join(properties.map((p) => sql`${sql.ref(`${alias}.${columnFor(shape, p).name}`)} AS ${sql.id(p)}`));
}
