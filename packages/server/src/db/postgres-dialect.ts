import { type DatabaseIntrospector, type DatabaseMetadata, type Kysely, PostgresDialect, type SchemaMetadata, type TableMetadata, sql } from "kysely";

/**
 * Kysely's PostgreSQL dialect with an introspector that reads only the connection's own schema.
 *
 * The migrator asks the introspector whether its tables exist, and Kysely's default lists the
 * tables of every schema, calling `has_schema_privilege(name)` and `pg_get_serial_sequence` on
 * each: when another store's schema is dropped during that query (parallel tests, each in a
 * throw-away schema), PostgreSQL fails ours with `schema "t_…" does not exist`. Reading pg_catalog
 * by the current schema's name calls no function on other schemas, so it cannot fail that way.
 */
export class ScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const r = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return r.rows;
  }

  /** The current schema's tables and views with their columns, from pg_catalog (no function is called on other schemas). */
  async getTables(): Promise<TableMetadata[]> {
    const r = await sql<{ table: string; schema: string; kind: string; column: string | null; type: string | null; notnull: boolean | null; hasdef: boolean | null; identity: string | null }>`
      select c.relname as "table", n.nspname as schema, c.relkind as kind, a.attname as "column", t.typname as type,
        a.attnotnull as notnull, a.atthasdef as hasdef, a.attidentity as identity
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_catalog.pg_type t on t.oid = a.atttypid
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')
      order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of r.rows) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === "v" || row.kind === "m", columns: [] };
        tables.set(row.table, table);
      }
      if (row.column === null) continue;
      (table.columns as TableMetadata["columns"][number][]).push({
        name: row.column,
        dataType: row.type ?? "",
        isNullable: !row.notnull,
        isAutoIncrementing: Boolean(row.identity), // identity columns; a serial shows as a default (hasDefaultValue)
        hasDefaultValue: Boolean(row.hasdef),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
