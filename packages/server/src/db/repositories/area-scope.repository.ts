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

