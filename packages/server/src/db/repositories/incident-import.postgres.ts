import { once } from "node:events";
import type { Pool, PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { StreetRow } from "../../ingest/police/street-row.ts";
import type { Store } from "../database.ts";
import type { ImportResult, ImportTransaction, PreviousImport, RollupCell } from "./incident-import.repository.ts";

const COPY_SQL =
  "copy incident (import_id, crime_id, month, reported_by_id, falls_within_id, longitude, latitude, location, lsoa_code, crime_type_id, outcome_id, context) from stdin";

/** The incident columns after `id`, in the archive's order. */
const ARCHIVE_COLUMNS = "import_id, crime_id, month, reported_by_id, falls_within_id, longitude, latitude, location, lsoa_code, crime_type_id, outcome_id, context";

/**
 * A coordinate for COPY: the published text when it is a plain decimal (what police.uk publishes;
 * no number-to-text conversion per row), else the parsed number (`Number` also read `0x…`, `1e5`).
 */
function coordinate(text: string, value: number): string | number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || (c === 45 && i === 0))) return value;
  }
  return text;
}

/** incident_value ids by value, per pool: loaded once, then kept up to date by the importer. */
const valueIdCache = new WeakMap<Pool, Map<string, number>>();

/**
 * Ids of these values, adding the missing ones. Runs on its own pooled connection in autocommit, not
 * in the file's transaction (which is busy with its COPY): a value added for a file that is then
 * rolled back stays in the dictionary unused, which is harmless; concurrent importers agree through
 * the unique constraint.
 */
async function resolveValues(pool: Pool, ids: Map<string, number>, values: string[]): Promise<void> {
  const missing = [...new Set(values)].filter((v) => !ids.has(v));
  if (!missing.length) return;
  await pool.query("insert into incident_value (value) select unnest($1::text[]) order by 1 on conflict (value) do nothing", [missing]);
  const r = await pool.query("select id, value from incident_value where value = any($1::text[])", [missing]);
  for (const row of r.rows as { id: number; value: string }[]) ids.set(row.value, row.id);
}

/** COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N. */
function copyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/**
 * PostgreSQL: a dedicated pooled connection holds the transaction (every other statement on it
 * first ends the COPY: the connection runs one statement at a time); incidents stream in through one
 * COPY per file (rows are buffered into text and written with back-pressure), and a replaced file is
 * deleted by import_id through the BRIN index. Repeated texts become incident_value ids: a row with
 * a value not yet known waits (with every row after it, to keep the file's order) until `flush`
 * has looked it up.
 */
export async function openPostgresImportTransaction(store: Store, importId: number): Promise<ImportTransaction> {
  const pool = store.pool!;
  let ids = valueIdCache.get(pool);
  if (!ids) {
    const r = await pool.query("select id, value from incident_value");
    ids = new Map((r.rows as { id: number; value: string }[]).map((row) => [row.value, row.id]));
    valueIdCache.set(pool, ids);
  }
  const valueIds = ids;
  const client: PoolClient = await pool.connect();
  let released = false;
  const release = (err?: Error) => {
    if (!released) client.release(err);
    released = true;
  };
  await client.query("begin");
  // The sequence only grows (and is not rolled back), so every id given from here on is above this.
  const seq = await client.query("select case when is_called then last_value else last_value - 1 end as v from incident_id_seq");
  const idsAfter = Number(seq.rows[0]?.v ?? 0);
  const copy = client.query(copyFrom(COPY_SQL));
  const copyDone = new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
  });
  copyDone.catch(() => {});
  let buffer = "";
  let pending = 0;
  let copyOpen = true;
  /** Rows waiting for a value id, in file order. */
  const waiting: StreetRow[] = [];
  const prefix = `${importId}\t`;

  const line = (row: StreetRow, reportedBy: number, fallsWithin: number, outcome: number) =>
    `${prefix}${row.crimeId === null ? "\\N" : row.crimeId}\t${row.monthKey}\t${reportedBy}\t${fallsWithin}\t${
      row.longitude === null ? "\\N" : coordinate(row.longitudeText, row.longitude)
    }\t${row.latitude === null ? "\\N" : coordinate(row.latitudeText, row.latitude)}\t${copyText(row.location)}\t${row.lsoaCode}\t${row.crimeTypeId}\t${outcome}\t${copyText(row.context)}\n`;

  const write = async () => {
    if (waiting.length) {
      await resolveValues(
        pool,
        valueIds,
        waiting.flatMap((r) => [r.reportedBy, r.fallsWithin, r.outcome]),
      );
      for (const r of waiting) buffer += line(r, valueIds.get(r.reportedBy)!, valueIds.get(r.fallsWithin)!, valueIds.get(r.outcome)!);
      waiting.length = 0;
    }
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
      pending++;
      if (waiting.length === 0) {
        const reportedBy = valueIds.get(row.reportedBy);
        const fallsWithin = valueIds.get(row.fallsWithin);
        const outcome = valueIds.get(row.outcome);
        if (reportedBy !== undefined && fallsWithin !== undefined && outcome !== undefined) {
          buffer += line(row, reportedBy, fallsWithin, outcome);
          return;
        }
      }
      waiting.push({ ...row });
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
        "select id, rows, first_incident_id, last_incident_id from import_file where force_slug = $1 and month = $2 and status = 'imported' limit 1",
        [force, month],
      );
      const row = r.rows[0];
      return row ? { id: row.id, rows: row.rows, firstIncidentId: row.first_incident_id, lastIncidentId: row.last_incident_id } : null;
    },
    async supersede(previous: PreviousImport, byImportId: number) {
      await endCopy();
      // Moved to the archive (restorable with `import undo`), through the primary key when the range
      // is known (the BRIN index reads unsummarised ranges whole).
      const range = previous.firstIncidentId !== null && previous.lastIncidentId !== null;
      await client.query(
        `with moved as (delete from incident where import_id = $1${range ? " and id between $2 and $3" : ""} returning *)
         insert into incident_archive (id, ${ARCHIVE_COLUMNS}) select id, ${ARCHIVE_COLUMNS} from moved`,
        range ? [previous.id, previous.firstIncidentId, previous.lastIncidentId] : [previous.id],
      );
      await client.query(
        `with moved as (delete from rollup where import_id = $1 returning *)
         insert into rollup_archive (lsoa_code, month, crime_type_id, import_id, n) select lsoa_code, month, crime_type_id, import_id, n from moved`,
        [previous.id],
      );
      await client.query("update import_file set status = 'superseded', message = $1 where id = $2", [`replaced by import ${byImportId}`, previous.id]);
      await client.query("update import_file set replaced_import_id = $1 where id = $2", [previous.id, importId]);
    },
    async writeRollup(cells: RollupCell[]) {
      await endCopy();
      if (!cells.length) return;
      // COPY too: cheaper for the server than unpacking five arrays of a thousand or more elements.
      const rollupCopy = client.query(copyFrom("copy rollup (import_id, lsoa_code, crime_type_id, month, n) from stdin"));
      const done = new Promise<void>((resolve, reject) => {
        rollupCopy.on("finish", resolve);
        rollupCopy.on("error", reject);
      });
      let text = "";
      for (const c of cells) text += `${importId}\t${copyText(c.lsoaCode)}\t${c.crimeTypeId}\t${c.month}\t${c.n}\n`;
      rollupCopy.end(text);
      await done;
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
      // The ids this file's rows were given are all above `idsAfter` (read before its COPY): the primary
      // key finds them without reading the table (import_id's BRIN index cannot skip unsummarised
      // ranges, and the newest range never is summarised yet: that scan grew with the table).
      const ids = await client.query("select min(id) as first, max(id) as last from incident where id > $2 and import_id = $1", [importId, idsAfter]);
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
