/**
 * The Strategic Assessment document (`safecity assess --json`), version 1. One JSON object holding
 * every section, the parameters used and the data vintage, so any figure can be reproduced.
 *
 * Rules the schema enforces
 * - Every section is present with `status`: "ok", "insufficient" (too little data for the method,
 *   e.g. seasonality with < 24 months) or "unavailable" (nothing to compute on, e.g. no located
 *   incidents); `message` says why when not "ok". Data fields are null when not "ok".
 * - Missing months are listed (`vintage.missingMonths`), never counted as zero: monthly counts are
 *   `count: null` for them.
 * - Numbers are finite (no NaN/Infinity); the writer rounds them to 10 significant digits and
 *   sorts object keys (see canonical.ts). Wall-clock timings live only in `timings`.
 * The analytic results inside sections are the core functions' own results (their types are in
 * analytics/); the schema checks the envelope and the fields the document promises.
 */
import { z } from "zod";
import { OtherForcesSchema } from "../api/counts.schema.ts";
import { AREA_REF_LEVELS } from "../domain/area.ts";

export const ASSESSMENT_SCHEMA_VERSION = 1 as const;

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM");
const Num = z.number().finite();
const NullableNum = Num.nullable();
const Notes = z.array(z.string());
/** An analytic result from core, kept whole (its shape is its function's result type). */
const Result = z.record(z.string(), z.unknown());

export const SectionStatusSchema = z.enum(["ok", "insufficient", "unavailable"]);

function section<T extends z.ZodRawShape>(shape: T) {
  return z.object({ status: SectionStatusSchema, message: z.string().nullable(), notes: Notes, ...shape });
}

const MonthlyCountSchema = z.object({ month: Month, count: z.number().int().nonnegative().nullable() });

const TrendGroupSchema = z.object({
  group: z.string(),
  types: z.array(z.string()),
  total: z.number().int().nonnegative().nullable(),
  monthly: z.array(MonthlyCountSchema),
  series: Result,
  change: Result.nullable(),
  message: z.string().nullable(),
});

const PeerSideSchema = z.object({
  status: z.enum(["ok", "insufficient"]),
  message: z.string().nullable(),
  excluded: z.array(z.object({ code: z.string(), name: z.string(), reason: z.string() })),
  result: Result.nullable(),
});

const GiCellSchema = z.object({
  id: z.string(),
  count: Num,
  z: NullableNum,
  p: NullableNum,
  pAdjusted: NullableNum,
  class: z.enum(["hot-99", "hot-95", "hot-90", "none", "cold-90", "cold-95", "cold-99"]),
});

const EmergingCellSchema = z.object({
  id: z.string(),
  counts: z.array(Num),
  z: z.array(NullableNum),
  mannKendall: z.object({ s: Num, z: Num, p: Num, tau: Num }),
  category: z.string(),
});

export const AssessmentSchema = z
  .object({
    schemaVersion: z.literal(ASSESSMENT_SCHEMA_VERSION),
    kind: z.literal("safecity.strategic-assessment"),
    area: z.object({ code: z.string().nullable(), name: z.string(), level: z.enum(AREA_REF_LEVELS) }),
    period: z.object({ from: Month, to: Month, months: z.number().int().positive() }),
    parameters: z.object({
      group: z.string(),
      trendPeriod: z.string(),
      grid: z.string(),
      step: z.enum(["month", "quarter"]),
      /** funnel, dispersionModel, quartiles: added by issue 13 (optional, so earlier version-1 documents still read). */
      peers: z.object({
        source: z.enum(["computed", "given"]),
        k: z.number().int().nullable(),
        codes: z.array(z.string()),
        funnel: z.enum(["overdispersed", "poisson"]).optional(),
        dispersionModel: z.enum(["multiplicative", "additive"]).optional(),
        quartiles: z.enum(["rank", "iquanta"]).optional(),
      }),
      top: z.number().int().positive(),
      /** The crime rate priority areas rank (issue 13 item 5, decision 0024; optional, so earlier version-1 documents still read). */
      priorityRates: z.enum(["raw", "empirical-bayes"]).optional(),
      populationSource: z.string(),
      imdEdition: z.string(),
      /** The priority areas' deprivation measure (issue 13 item 6, decision 0023; optional, so earlier version-1 documents still read). */
      priorityDeprivation: z.enum(["imd-without-crime", "imd"]).optional(),
      /** Rows from other forces' files: the rule and what it decided (issue 13 item 8, decision 0022; optional, so earlier version-1 documents still read). */
      otherForces: OtherForcesSchema.optional(),
      /** hotspotMethod, emergingMethod: issue 13 items 1, 3, 4 (optional, so earlier version-1 documents still read). */
      hotspotMethod: z
        .object({ inference: z.enum(["permutation", "normal"]), permutations: z.number().int().nullable(), seed: z.number().int().nullable(), clip: z.enum(["boundary", "none"]), clippedTo: z.string().nullable() })
        .optional(),
      emergingMethod: z
        .object({
          adjust: z.enum(["fdr", "none"]),
          trendTest: z.enum(["mann-kendall", "hamed-rao"]),
          rules: z.enum(["esri", "sfdep"]),
          firstSteps: z.enum(["partial", "exclude"]),
          clip: z.enum(["boundary", "none"]),
          clippedTo: z.string().nullable(),
        })
        .optional(),
    }),
    vintage: z.object({
      monthsCovered: z.array(Month),
      missingMonths: z.array(Month),
      principalForce: z.string().nullable(),
      forces: z.array(z.object({ force: z.string(), n: z.number().int() })),
      imports: z.array(
        z.object({ id: z.number().int(), fileName: z.string(), force: z.string().nullable(), month: z.string().nullable(), sha256: z.string(), rows: z.number().int() }),
      ),
      reference: z.array(z.object({ name: z.string(), fileName: z.string(), sha256: z.string(), rows: z.number().int() })),
      /**
       * The data quality checks on the principal force (decision 0016) over the period and the 12 months
       * before it: months flagged as unusual and every finding. Added by issue 11 (optional, so earlier
       * version-1 documents still read).
       */
      dataQuality: z
        .object({
          flaggedMonths: z.array(Month),
          findings: z.array(
            z.object({
              check: z.enum(["count", "share", "missing-months", "repeated-ids"]),
              severity: z.enum(["unusual", "note"]),
              force: z.string(),
              month: Month.nullable(),
              months: z.array(Month),
              measure: z.string(),
              value: Num,
              usual: z.object({ months: z.number().int(), median: Num, lowest: Num, highest: Num, low: Num, high: Num }).nullable(),
              ratio: NullableNum,
              text: z.string(),
            }),
          ),
        })
        .optional(),
    }),
    trends: section({ groups: z.array(TrendGroupSchema).nullable(), population: z.record(z.string(), Num).nullable() }),
    seasonality: section({ group: z.string(), monthly: z.array(MonthlyCountSchema).nullable(), profile: Result.nullable() }),
    peers: section({
      level: z.enum(["lad", "csp"]).nullable(),
      groupSource: z.enum(["computed", "given"]).nullable(),
      similarity: Result.nullable(),
      members: z.array(Result).nullable(),
      groups: z.array(z.object({ group: z.string(), policeUk: PeerSideSchema.extend({ months: z.array(Month) }), ons: PeerSideSchema.extend({ yearEnding: z.string(), offences: z.array(z.string()), publishedRates: z.array(z.object({ code: z.string(), rate: NullableNum })) }) })).nullable(),
      sourcesNote: z.string(),
    }),
    hotspots: section({
      params: Result.nullable(),
      summary: z.record(z.string(), z.number().int()).nullable(),
      points: Result.nullable(),
      /** Hot and cold cells only (every cell: `safecity hotspots --json`). */
      cells: z.array(GiCellSchema).nullable(),
      cellCount: z.number().int().nullable(),
      lsoas: z.array(z.object({ code: z.string(), points: z.number().int(), inHotCells: z.number().int(), share: Num, hotspot: z.boolean() })).nullable(),
    }),
    emerging: section({
      step: z.enum(["month", "quarter"]),
      steps: z.array(z.string()).nullable(),
      stepsExcluded: z.array(z.string()),
      params: Result.nullable(),
      summary: z.record(z.string(), z.number().int()).nullable(),
      /** Cells with a pattern only (every cell: `safecity emerging --json`). */
      cells: z.array(EmergingCellSchema).nullable(),
      cellCount: z.number().int().nullable(),
    }),
    concentration: section({ lsoas: Result.nullable(), cells: Result.nullable() }),
    priorityAreas: section({
      params: Result.nullable(),
      areas: z.array(Result).nullable(),
      excluded: z.array(z.object({ code: z.string(), name: z.string(), reason: z.string() })),
      overlap: Result.nullable(),
    }),
    keyMessages: section({
      messages: z.array(z.object({ id: z.string(), text: z.string(), figures: z.record(z.string(), z.union([Num, z.string()])) })),
    }),
    attribution: z.string(),
    notes: Notes,
    /** Wall-clock milliseconds per step: the one field that differs between runs (tests remove it). */
    timings: z.record(z.string(), Num),
  })
  .strict();

export type Assessment = z.infer<typeof AssessmentSchema>;
export type AssessmentSectionStatus = z.infer<typeof SectionStatusSchema>;
