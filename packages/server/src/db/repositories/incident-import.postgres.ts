import { once } from "node:events";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { StreetRow } from "../../ingest/police/street-row.ts";
import type { Store } from "../database.ts";
import type { ImportResult, ImportTransaction, PreviousImport, RollupCell } from "./incident-import.repository.ts";

const COPY_SQL =
  "copy incident (import_id, crime_id, month, reported_by, falls_within, longitude, latitude, location, lsoa_code, crime_type_id, outcome, context) from stdin";

/** COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N. */
function copyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/**
 * PostgreSQL: a dedicated pooled connection holds the transaction (every other statement on it
 * first ends the COPY: the connection runs one statement at a time); incidents stream in through one
 * COPY per file (rows are buffered into text and written with back-pressure), and a replaced file is
 * deleted by import_id through the BRIN index.
 */
export async function openPostgresImportTransaction(store: Store, importId: number): Promise<ImportTransaction> {
  const client: PoolClient = await store.pool!.connect();
  let released = false;
  const release = (err?: Error) => {
    if (!released) client.release(err);
    released = true;
  };
  await client.query("begin");
  const copy = client.query(copyFrom(COPY_SQL));
  const copyDone = new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
  });
  copyDone.catch(() => {});
  let buffer = "";
  let pending = 0;
  let copyOpen = true;
  const prefix = `${importId}\t`;

  const write = async () => {
    if (!buffer) return;
    const ok = copy.write(buffer);
    buffer = "";
    pending = 0;
    if (!ok) await Promise.race([once(copy, "drain"), copyDone]);
  };

  const endCopy = async () => {
    if (!copyOpen) return;
    await write();
    copyOpen = false;
    copy.end();
    await copyDone;
  };

  return {
    add(row: StreetRow) {
      buffer += `${prefix}${row.crimeId === null ? "\\N" : row.crimeId}\t${row.month}\t${copyText(row.reportedBy)}\t${copyText(row.fallsWithin)}\t${
        row.longitude === null ? "\\N" : row.longitude
      }\t${row.latitude === null ? "\\N" : row.latitude}\t${copyText(row.location)}\t${row.lsoaCode}\t${row.crimeTypeId}\t${copyText(row.outcome)}\t${copyText(row.context)}\n`;
      pending++;
    },
    get pending() {
      return pending;
    },
    flush: write,
    async findSameContent(sha256: string) {
      await endCopy();
      const r = await client.query("select id from import_file where sha256 = $1 and status = 'imported' limit 1", [sha256]);
      return (r.rows[0]?.id as number | undefined) ?? null;
    },
    async findForceMonth(force: string, month: string) {
      await endCopy();
      const r = await client.query(
        "select id, first_incident_id, last_incident_id from import_file where force_slug = $1 and month = $2 and status = 'imported' limit 1",
        [force, month],
      );
      const row = r.rows[0];
      return row ? { id: row.id, firstIncidentId: row.first_incident_id, lastIncidentId: row.last_incident_id } : null;
    },
    async supersede(previous: PreviousImport, byImportId: number) {
      await endCopy();
      await client.query("delete from incident where import_id = $1", [previous.id]);
      await client.query("delete from rollup where import_id = $1", [previous.id]);
      await client.query("update import_file set status = 'superseded', message = $1 where id = $2", [`replaced by import ${byImportId}`, previous.id]);
    },
    async writeRollup(cells: RollupCell[]) {
      await endCopy();
      if (!cells.length) return;
      await client.query(
        `insert into rollup (import_id, lsoa_code, crime_type_id, month, n)
         select $1, * from unnest($2::text[], $3::smallint[], $4::text[], $5::int[])`,
        [importId, cells.map((c) => c.lsoaCode), cells.map((c) => c.crimeTypeId), cells.map((c) => c.month), cells.map((c) => c.n)],
      );
    },
    async addLsoaNames(names) {
      await endCopy();
      if (!names.size) return;
      const codes = [...names.keys()];
      await client.query(
        `insert into lsoa_geo (lsoa_code, lsoa_name, lad_name, source)
         select code, name, lad, 'police' from unnest($1::text[], $2::text[], $3::text[]) as t(code, name, lad)
         on conflict (lsoa_code) do nothing`,
        [codes, codes.map((c) => names.get(c)!.name), codes.map((c) => names.get(c)!.ladName)],
      );
    },
    async upsertForce(slug: string, name: string | null) {
      await endCopy();
      await client.query("insert into force (slug, name) values ($1, $2) on conflict (slug) do update set name = coalesce(excluded.name, force.name)", [
        slug,
        name,
      ]);
    },
    async commit(result: ImportResult) {
      await endCopy();
      const ids = await client.query("select min(id) as first, max(id) as last from incident where import_id = $1", [importId]);
      await client.query(
        `update import_file set status = 'imported', rows = $1, rejected_rows = $2, no_location_rows = $3, sha256 = $4,
         finished_at = $5, first_incident_id = $6, last_incident_id = $7, message = $8, force_slug = $10, month = $11 where id = $9`,
        [
          result.rows,
          result.rejectedRows,
          result.noLocationRows,
          result.sha256,
          result.finishedAt,
          ids.rows[0]?.first ?? null,
          ids.rows[0]?.last ?? null,
          result.message,
          importId,
          result.force,
          result.month,
        ],
      );
      await client.query("commit");
      release();
    },
    async rollback() {
      if (released) return;
      try {
        if (copyOpen) {
          copyOpen = false;
          copy.destroy(new Error("import rolled back"));
          await copyDone.catch(() => {});
        }
        await client.query("rollback");
        release();
      } catch (e) {
        release(e as Error);
      }
    },
  };
}
