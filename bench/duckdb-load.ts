/**
 * The import benchmark's baseline (bench/import-duckdb.bench.ts): DuckDB's `read_csv` of street CSVs
 * into a table of a fresh database file, with DuckDB's defaults (type sniffing, all its threads).
 *   node --import tsx bench/duckdb-load.ts '<folder>/**' <db file>   -> {"rows": N}
 */
import { DuckDBInstance } from "@duckdb/node-api";

async function main(): Promise<void> {
  const [glob, dbFile] = process.argv.slice(2);
  if (!glob || !dbFile) throw new Error("usage: duckdb-load.ts <csv glob> <db file>");
  const instance = await DuckDBInstance.create(dbFile);
  const connection = await instance.connect();
  const quoted = `'${glob.replace(/'/g, "''")}'`;
  await connection.run(`create table incident as select * from read_csv(${quoted}, header = true)`);
  const result = await connection.runAndReadAll("select count(*) from incident");
  const rows = Number(result.getRows()[0]![0]);
  connection.closeSync();
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
