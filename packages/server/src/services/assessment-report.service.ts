import type { Assessment } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areaNames, boundariesByCode, boundariesWithinArea } from "../db/repositories/boundary.repository.ts";
import { isDemoAreaCode } from "../demo/demo-city.ts";
import { type AssessmentReport, buildAssessmentReport } from "../publish/assessment-report.ts";
import { loadAnalysisScope } from "./analysis-scope.ts";
import { type AssessQuery, assessArea } from "./assessment.service.ts";

/**
 * The Strategic Assessment report of an area and period (publish/assessment-report.ts): the
 * assessment document (assessArea, as `safecity assess`), the boundaries of the area, its wards and
 * its LSOAs for the maps, and the names of the LSOAs in the tables. Area and period errors are
 * assessArea's (area.not_found, area.ambiguous, input.invalid, data.missing).
 */
export async function assessmentReportOf(store: Store, query: AssessQuery, opts: { now: Date }): Promise<{ doc: Assessment; report: AssessmentReport }> {
  const doc = await assessArea(store, query);
  const scope = await loadAnalysisScope(store, query);
  const own = doc.area.code ? await boundariesByCode(store, [doc.area.code]) : [];
  const within = await boundariesWithinArea(store, scope.scope);
  const codes = [...own, ...within].map((b) => b.code);
  const names = await areaNames(store, [...codes, ...(doc.hotspots.lsoas ?? []).map((l) => l.code)]);
  const boundaries = [...own, ...within].map((b) => ({ ...b, name: names.get(b.code) ?? b.code }));
  const report = buildAssessmentReport({ doc, boundaries, names, demo: doc.area.code !== null && isDemoAreaCode(doc.area.code), now: opts.now });
  return { doc, report };
}
