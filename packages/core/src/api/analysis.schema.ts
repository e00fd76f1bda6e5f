import { z } from "zod";
import { OTHER_FORCES_RULES } from "../domain/forces.ts";
import { AREA_QUERY_MAX_LENGTH, MonthSchema, TEXT_QUERY_MAX_LENGTH } from "./common.schema.ts";
import { AreaRefSchema } from "./counts.schema.ts";

/** Query of every analysis page and endpoint: an area and an optional period. */
export const AnalysisQuerySchema = z.object({
  area: z.string().min(1).max(AREA_QUERY_MAX_LENGTH).describe("area code (E06000045), name (Southampton) or level-qualified name (csp:Southampton, ward:Bevois)"),
  from: MonthSchema.optional().describe("first month (default, with no `to` either: the first of the latest 12 complete months of the area's force without a gap; with `to` only: the first month imported)"),
  to: MonthSchema.optional().describe("last month (default: the last month of the force loaded)"),
  otherForces: z
    .enum(OTHER_FORCES_RULES)
    .optional()
    .describe("rows from other forces' files in the area (decision 0022): complete (default: counted only when that force's files cover every month of the period), all (counted in the months imported), none (the area's own force only)"),
});

/** An analytic result from core, kept whole (its shape is its function's result type; see the CLI's --json). */
const Result = z.record(z.string(), z.unknown());

export const PeerPositionSummarySchema = z
  .object({
    source: z.enum(["ONS", "police.uk"]),
    rank: z.number().int(),
    of: z.number().int(),
    quartileLabel: z.string().describe("quarter of the group by rate: lowest, second-lowest, second-highest or highest quarter"),
    standing: z.string().describe("the position in words, e.g. \"the 2nd highest rate of 14, among the highest quarter\" (rank 1 = lowest rate)"),
    rate: z.number(),
    groupMean: z.number(),
    verdict: z.string(),
  })
  .meta({ id: "PeerPositionSummary" });

export const HeadlineSchema = z
  .object({
    group: z.string(),
    total: z.number().int().nullable().describe("sum over the months of the period with data"),
    latest: z.object({ period: z.string(), count: z.number().int().nullable() }).nullable(),
    previous: z.object({ period: z.string(), count: z.number().int().nullable() }).nullable(),
    change: z.number().nullable(),
    changePct: z.number().nullable(),
    significance: z.string().nullable().describe("the exact Poisson test's verdict on the change"),
    reason: z.string().nullable().describe("why no change is given, when it is not"),
    yearOnYear: z
      .object({
        current: z.object({ label: z.string(), count: z.number().int().nullable() }),
        previous: z.object({ label: z.string(), count: z.number().int().nullable() }),
        comparableMonths: z.number().int().describe("months of the current year compared with the same month a year earlier (both loaded)"),
        change: z.number().nullable(),
        changePct: z.number().nullable(),
        significance: z.string().nullable().describe("the exact Poisson test's verdict"),
        reason: z.string().nullable().describe("why no comparison is made, when it is not"),
      })
      .nullable()
      .describe("the 12 months to the period's end against the 12 before, over months with data in both years"),
    peer: PeerPositionSummarySchema.nullable().describe("position in the peer group (Most Similar Group)"),
  })
  .meta({ id: "Headline" });

/** `GET /api/v1/overview`. */
export const OverviewSchema = z
  .object({
    area: AreaRefSchema,
    from: MonthSchema,
    to: MonthSchema,
    trendPeriod: z.string(),
    periodWarning: z.string().nullable().describe("said at the top when months of the period have no police data: which, and that totals cover only the months loaded"),
    keyMessages: z.array(z.object({ id: z.string(), text: z.string() })),
    headlines: z.array(HeadlineSchema),
    peerGroup: z.object({ source: z.enum(["computed", "given"]).nullable(), members: z.number().int() }),
    freshness: z.object({
      principalForce: z.string().nullable(),
      monthsCovered: z.array(MonthSchema),
      missingMonths: z.array(MonthSchema).describe("months of the period with no file from the principal force: unknown, not zero"),
      latestMonth: MonthSchema.nullable(),
      importedFiles: z.number().int(),
    }),
    notes: z.array(z.string()),
  })
  .meta({ id: "Overview" });

/** Query of the trends endpoint: a crime group or one police.uk type shown beside every group. */
export const TrendsQuerySchema = AnalysisQuerySchema.extend({
  type: z
    .string()
    .max(TEXT_QUERY_MAX_LENGTH)
    .optional()
    .describe("a police.uk crime type (Shoplifting) added beside the groups, and the seasonal profile's subject (default All crime)"),
});

/** `GET /api/v1/trends`. */
export const TrendsSchema = z
  .object({
    area: AreaRefSchema,
    from: MonthSchema,
    to: MonthSchema,
    missingMonths: z.array(MonthSchema),
    periodWarning: z.string().nullable().describe("said at the top when months of the period have no police data: which, and that totals cover only the months loaded"),
    period: z.string(),
    groups: z.array(
      z.object({
        group: z.string(),
        types: z.array(z.string()),
        total: z.number().int().nullable(),
        monthly: z.array(z.object({ month: MonthSchema, count: z.number().int().nullable() })),
        series: Result,
        change: Result.nullable(),
        message: z.string().nullable(),
      }),
    ),
    seasonality: z.object({ group: z.string(), status: z.enum(["ok", "insufficient"]), message: z.string().nullable(), profile: Result }),
    comparisons: z
      .array(
        z.object({
          group: z.string(),
          yearOnYear: Result.describe("the 12 months to the period's end against the 12 before, over months with data in both years, with the exact Poisson test"),
          sameQuarterLastYear: Result.describe("the 3 months to the period's end against the same 3 months a year earlier"),
          rolling12: z
            .array(z.object({ month: MonthSchema, total: z.number().int().nullable(), monthsWithData: z.number().int() }))
            .describe("12-month totals ending at each month; null unless all 12 months have data"),
          financialYears: z.array(Result).describe("up to 5 financial years (April–March), each with its change on the year before"),
          calendarYears: z.array(Result).describe("up to 5 calendar years, each with its change on the year before"),
        }),
      )
      .describe("comparisons reaching before the period chosen (up to 6 years of the roll-up), per crime group"),
    notes: z.array(z.string()),
  })
  .meta({ id: "Trends" });

export const PeerMethodSchema = z
  .object({
    funnel: z.enum(["overdispersed", "poisson"]),
    dispersionModel: z.enum(["multiplicative", "additive"]),
    quartiles: z.enum(["rank", "iquanta"]),
  })
  .meta({ id: "PeerMethod" });

/** `GET /api/v1/peers`. */
export const PeersSchema = z
  .object({
    area: AreaRefSchema,
    from: MonthSchema,
    to: MonthSchema,
    periodWarning: z.string().nullable().describe("said at the top when months of the period have no police data: which, and that totals cover only the months loaded"),
    level: z.enum(["lad", "csp"]),
    groupSource: z.enum(["computed", "given"]),
    savedGroup: z
      .object({ setBy: z.string(), setAt: z.string(), note: z.string().nullable() })
      .nullable()
      .describe("the group saved for the area on the Peers page, used unless peers are given: who saved it, when, its note; null when the group was given or computed"),
    similarity: Result.nullable(),
    members: z.array(Result),
    groups: z.array(Result),
    sourcesNote: z.string(),
    method: PeerMethodSchema.describe("how positions were judged: funnel limits, over-dispersion model, quartile rule (each group's result has funnelMethod and dispersion: phi, tau2)"),
    notes: z.array(z.string()),
  })
  .meta({ id: "Peers" });

export const PeersQuerySchema = AnalysisQuerySchema.extend({
  type: z.string().max(TEXT_QUERY_MAX_LENGTH).optional().describe("crime group (default: every group)"),
  funnel: z.enum(["overdispersed", "poisson"]).optional().describe("funnel limits: overdispersed (Spiegelhalter 2005, default) or poisson (exact Poisson)"),
  dispersion: z.enum(["multiplicative", "additive"]).optional().describe("over-dispersion model: multiplicative (phi, default) or additive (random effects, tau2)"),
  quartiles: z.enum(["rank", "iquanta"]).optional().describe("quartile rule: rank (ceil(4 rank / N), default) or iquanta (QUARTILE.INC cut points of the rates)"),
});

const FeatureCollection = z
  .object({
    type: z.literal("FeatureCollection"),
    features: z.array(z.object({ type: z.literal("Feature"), id: z.string(), geometry: Result, properties: Result })),
  })
  .meta({ id: "FeatureCollection" });

export const MapQuerySchema = AnalysisQuerySchema.extend({
  type: z.string().max(TEXT_QUERY_MAX_LENGTH).optional().describe("crime group or police.uk type (default All crime)"),
  grid: z.string().max(TEXT_QUERY_MAX_LENGTH).optional().describe("square (default, automatic size), square:<metres>, h3 or h3:<resolution>"),
  cells: z.enum(["all", "marked"]).optional().describe("`marked`: only Gi* hot/cold cells, KDE cells at 5% of the peak density or more, emerging cells with a pattern (default all)"),
  clip: z.enum(["boundary", "none"]).optional().describe("`boundary` (default): only the grid cells that meet the area's boundary, when installed; `none`: the points' bounding box"),
  inference: z.enum(["normal", "permutation"]).optional().describe("Gi* p-values: `normal` (default) or `permutation` (999 conditional permutations, seed 1)"),
  deprivation: z
    .enum(["imd-without-crime", "imd"])
    .optional()
    .describe("priority areas' deprivation: `imd-without-crime` (default: the IMD rebuilt without its crime domain, so crime is not counted twice) or `imd` (the published IMD); `params.deprivationMeasure` says which was used"),
});

/** `GET /api/v1/boundaries`: the area's, its wards' and its LSOAs' boundaries (WGS84) where installed. */
export const BoundariesSchema = z
  .object({
    type: z.literal("FeatureCollection"),
    features: z.array(
      z.object({
        type: z.literal("Feature"),
        id: z.string(),
        geometry: Result,
        properties: z.object({
          code: z.string(),
          level: z.string(),
          name: z.string(),
          label: z.tuple([z.number(), z.number()]).optional().describe("wards: a point inside the ward for its name [longitude, latitude]"),
          source: z.string().optional().describe("wards and outlines: `boundary file`, or the outline of its LSOAs (a MultiLineString) where no boundary of the lookup's ward code is installed"),
        }),
      }),
    ),
  })
  .meta({ id: "Boundaries" });

/** `GET /api/v1/hotspots`: Gi* and KDE cells as GeoJSON (WGS84), with the summary and parameters. */
export const HotspotsSchema = z
  .object({
    area: AreaRefSchema,
    from: MonthSchema,
    to: MonthSchema,
    grid: z.string(),
    summary: z.record(z.string(), z.number().int()),
    params: Result,
    gistar: FeatureCollection,
    kde: FeatureCollection.nullable(),
    lsoas: z.array(Result),
    notes: z.array(z.string()),
  })
  .meta({ id: "Hotspots" });

/** `GET /api/v1/emerging`. */
export const EmergingSchema = z
  .object({
    area: AreaRefSchema,
    step: z.enum(["month", "quarter"]),
    steps: z.array(z.string()),
    stepsExcluded: z.array(z.string()),
    summary: z.record(z.string(), z.number().int()),
    params: Result,
    cells: FeatureCollection,
    notes: z.array(z.string()),
  })
  .meta({ id: "Emerging" });

/** `GET /api/v1/priority-areas`: LSOAs ranked with their boundaries as GeoJSON where installed. */
export const PriorityAreasSchema = z
  .object({
    area: AreaRefSchema,
    status: z.enum(["ok", "unavailable"]),
    message: z.string().nullable(),
    areas: z.array(Result),
    overlap: Result.nullable(),
    boundaries: FeatureCollection,
    params: Result,
    notes: z.array(z.string()),
  })
  .meta({ id: "PriorityAreas" });
