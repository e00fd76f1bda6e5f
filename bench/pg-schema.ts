/** PostgreSQL for the benchmarks: one client for a call, and a throw-away schema for a run. */
import crypto from "node:crypto";
import pg from "pg";

export const PG_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

export async function withPg<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a URL whose search_path is a fresh schema, dropped afterwards. */
export async function inPgSchema<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const schema = `bench_${crypto.randomBytes(5).toString("hex")}`;
  await withPg((c) => c.query(`create schema ${schema}`));
  try {
    const url = new URL(PG_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    return await fn(url.toString());
  } finally {
    await withPg((c) => c.query(`drop schema if exists ${schema} cascade`));
  }
}

