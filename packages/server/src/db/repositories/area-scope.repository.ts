import { type Expression, type SqlBool, sql } from "kysely";
import type { AreaScope } from "./area.repository.ts";

/**
 * `<column> in (select lsoa_code from lsoa_geo where <scope>)` for an area scope: the LSOAs of an
 * area, for queries on tables keyed by LSOA code. Column names come from the AreaScope union only.
 */
export function inAreaLsoas(column: string, scope: AreaScope): Expression<SqlBool> {
  if ("lsoaCodes" in scope) {
    const codes = scope.lsoaCodes.length ? [...scope.lsoaCodes] : [""];
    return sql<SqlBool>`${sql.ref(column)} in (${sql.join(codes)})`;
  }
  return sql<SqlBool>`${sql.ref(column)} in (select lsoa_code from lsoa_geo where ${sql.ref(scope.column)} = ${scope.value})`;
}

/**
 * Columns declared `real` are 4-byte floats on PostgreSQL but 8-byte on SQLite, so the same stored
 * value reads back differently (124.6789532 vs 124.67895). Values from such columns are read as the
 * nearest 4-byte float on both (Math.fround: PostgreSQL's float4 text round-trips to that float),
 * so analyses agree exactly across databases; about 7 significant digits survive.
 */
export function fromReal(v: number): number {
  return Math.fround(Number(v));
}
