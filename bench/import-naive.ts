/**
 * The naive baseline the import benchmark compares against, run as a child process:
 *   node --import tsx bench/import-naive.ts sqlite <input> <db file> [--limit N]
 *   node --import tsx bench/import-naive.ts postgres <input> <postgres url> [--limit N]
 * One prepared INSERT per row into a plain TEXT table, all in one transaction; the simple
 * split/quote-aware parser of police-input.ts. Prints `{ rows, elapsedMs, peakRssMb }` as JSON.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { lineBatches, splitCsvLine, streetCsvStreams } from "./police-input.ts";

const COLUMNS = [
  "crime_id", "month", "reported_by", "falls_within", "longitude", "latitude",
  "location", "lsoa_code", "lsoa_name", "crime_type", "last_outcome_category", "context",
];
const CREATE = `create table street_naive (${COLUMNS.map((c) => `${c} text`).join(", ")})`;
const INSERT = `insert into street_naive values (${COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;

async function* rowsOf(input: string, limit: number): AsyncGenerator<string[][]> {
  let n = 0;
  for await (const { stream } of streetCsvStreams(input)) {
    let header = true;
    for await (const lines of lineBatches(stream)) {
      const rows: string[][] = [];
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        if (line === "") continue;
        const f = splitCsvLine(line);
        while (f.length < 12) f.push("");
        rows.push(f.length > 12 ? f.slice(0, 12) : f);
      }
      n += rows.length;
      if (n >= limit) {
        yield rows.slice(0, rows.length - (n - limit));
        stream.destroy();
        return;
      }
      yield rows;
    }
  }
}

async function loadSqlite(input: string, file: string, limit: number): Promise<number> {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.exec(CREATE);
  const insert = db.prepare(INSERT.replace(/\$\d+/g, "?"));
  let rows = 0;
  db.exec("begin");
  for await (const batch of rowsOf(input, limit)) {
    for (const r of batch) insert.run(r);
    rows += batch.length;
  }
  db.exec("commit");
  db.close();
  return rows;
}

async function loadPostgres(input: string, url: string, limit: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  try {
    await client.query(CREATE);
    await client.query("begin");
    for await (const batch of rowsOf(input, limit)) {
      for (const r of batch) await client.query({ name: "insert_naive", text: INSERT, values: r });
      rows += batch.length;
    }
    await client.query("commit");
  } finally {
    await client.end();
  }
  return rows;
}

const [store, input, target, ...rest] = process.argv.slice(2);
const limitAt = rest.indexOf("--limit");
const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : Number.POSITIVE_INFINITY;
if (!input || !target || (store !== "sqlite" && store !== "postgres")) {
  process.stderr.write("usage: import-naive.ts sqlite|postgres <input> <db file|postgres url> [--limit N]\n");
  process.exit(2);
}
const started = performance.now();
const rows = store === "sqlite" ? await loadSqlite(input, target, limit) : await loadPostgres(input, target, limit);
const elapsedMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify({ rows, elapsedMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
