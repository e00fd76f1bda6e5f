import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.ts";

/* One migration set for both dialects; the few differences are named where they occur. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const autoId = pg ? "serial" : "integer";

  await db.schema
    .createTable("force")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text")
    .execute();

  await db.schema
    .createTable("area")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("vintage", "text")
    .addColumn("parent_code", "text")
    .execute();
  await db.schema.createIndex("area_level_name").on("area").columns(["level", "name"]).execute();
  await db.schema.createIndex("area_parent").on("area").column("parent_code").execute();

  await db.schema
    .createTable("lsoa_geo")
    .addColumn("lsoa_code", "text", (c) => c.primaryKey())
    .addColumn("lsoa_name", "text", (c) => c.notNull())
    .addColumn("vintage", "text")
    .addColumn("ward_code", "text")
    .addColumn("lad_code", "text")
    .addColumn("lad_name", "text", (c) => c.notNull())
    .addColumn("csp_code", "text")
    .addColumn("pfa_code", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .execute();
  for (const col of ["ward_code", "lad_code", "lad_name", "csp_code", "pfa_code"]) {
    await db.schema.createIndex(`lsoa_geo_${col}`).on("lsoa_geo").column(col).execute();
  }

  await db.schema
    .createTable("lsoa_map_11_21")
    .addColumn("lsoa11_code", "text", (c) => c.notNull())
    .addColumn("lsoa21_code", "text", (c) => c.notNull())
    .addColumn("change_code", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lsoa_map_11_21_pk", ["lsoa11_code", "lsoa21_code"])
    .execute();

  await db.schema
    .createTable("population")
    .addColumn("area_code", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("persons", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("population_pk", ["area_code", "year"])
    .execute();

  await db.schema
    .createTable("imd")
    .addColumn("lsoa_code", "text", (c) => c.notNull())
    .addColumn("edition", "text", (c) => c.notNull())
    .addColumn("decile", "integer")
    .addColumn("rank", "integer")
    .addColumn("score", pg ? "double precision" : "real")
    .addColumn("crime_decile", "integer")
    .addPrimaryKeyConstraint("imd_pk", ["lsoa_code", "edition"])
    .execute();

  await db.schema
    .createTable("boundary")
    .addColumn("area_code", "text", (c) => c.primaryKey())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("geometry", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("ons_crime")
    .addColumn("table_name", "text", (c) => c.notNull())
    .addColumn("year_ending", "text", (c) => c.notNull())
    .addColumn("area_code", "text", (c) => c.notNull())
    .addColumn("area_name", "text", (c) => c.notNull())
    .addColumn("offence", "text", (c) => c.notNull())
    .addColumn("value", pg ? "double precision" : "real")
    .addColumn("marker", "text")
    .addPrimaryKeyConstraint("ons_crime_pk", ["table_name", "year_ending", "area_code", "offence"])
    .execute();

  await db.schema
    .createTable("reference_dataset")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull())
    .addColumn("installed_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("import_file")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("force_slug", "text")
    .addColumn("month", "text")
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("no_location_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("imported_by", "text", (c) => c.notNull())
    .addColumn("first_incident_id", "bigint")
    .addColumn("last_incident_id", "bigint")
    .addColumn("message", "text")
    .execute();
  await db.schema.createIndex("import_file_force_month").on("import_file").columns(["force_slug", "month"]).execute();
  await db.schema.createIndex("import_file_sha256").on("import_file").column("sha256").execute();

  // Incidents carry no secondary index on SQLite (bulk load speed; a file is deleted by its rowid
  // range). PostgreSQL deletes by import_id through a BRIN index, which costs almost nothing to keep
  // because import ids only grow as rows are appended.
  // Rows are stored compactly (import speed is mostly bytes written): the repeated texts (`Reported
  // by`, `Falls within`, `Last outcome category`) are ids into incident_value, the month is the
  // integer YYYYMM, and on SQLite a 64-digit lowercase crime id is its 32 bytes (a BLOB; any other
  // crime id stays text). The incident_row view gives back the police.uk columns exactly.
  await db.schema
    .createTable("incident_value")
    .addColumn("id", autoId as "integer", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable("incident")
    .addColumn("id", pg ? "bigserial" : "integer", (c) => c.primaryKey())
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("crime_id", pg ? "text" : "blob")
    .addColumn("month", "integer", (c) => c.notNull())
    .addColumn("reported_by_id", "integer", (c) => c.notNull())
    .addColumn("falls_within_id", "integer", (c) => c.notNull())
    .addColumn("longitude", pg ? "double precision" : "real")
    .addColumn("latitude", pg ? "double precision" : "real")
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("lsoa_code", "text", (c) => c.notNull())
    .addColumn("crime_type_id", "smallint", (c) => c.notNull())
    .addColumn("outcome_id", "integer", (c) => c.notNull())
    .addColumn("context", "text", (c) => c.notNull())
    .execute();
  if (pg) {
    await sql`create index incident_import_brin on incident using brin (import_id)`.execute(db);
  }
  const crimeId = pg ? sql`i.crime_id` : sql`case when typeof(i.crime_id) = 'blob' then lower(hex(i.crime_id)) else i.crime_id end`;
  const month = pg
    ? sql`(i.month / 100)::text || '-' || lpad((i.month % 100)::text, 2, '0')`
    : sql`(i.month / 100) || '-' || substr('0' || (i.month % 100), -2)`;
  await sql`create view incident_row as
    select i.id, i.import_id, ${crimeId} as crime_id, ${month} as month, rb.value as reported_by, fw.value as falls_within,
      i.longitude, i.latitude, i.location, i.lsoa_code, i.crime_type_id, o.value as outcome, i.context
    from incident i
    join incident_value rb on rb.id = i.reported_by_id
    join incident_value fw on fw.id = i.falls_within_id
    join incident_value o on o.id = i.outcome_id`.execute(db);

  // The roll-up is read by area and month: on SQLite it is one clustered b-tree (WITHOUT ROWID) keyed
  // that way, so queries read neighbouring pages and imports insert in key order.
  let rollup = db.schema
    .createTable("rollup")
    .addColumn("lsoa_code", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("crime_type_id", "smallint", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rollup_pk", ["lsoa_code", "month", "crime_type_id", "import_id"]);
  if (!pg) rollup = rollup.modifyEnd(sql`without rowid`);
  await rollup.execute();
  await db.schema.createIndex("rollup_import").on("rollup").column("import_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view if exists incident_row`.execute(db);
  for (const t of ["rollup", "incident", "incident_value", "import_file", "reference_dataset", "ons_crime", "boundary", "imd", "population", "lsoa_map_11_21", "lsoa_geo", "area", "force"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
