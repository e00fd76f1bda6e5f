import {
  AppError,
  type DerivedIndicatorSpec,
  INDICATOR_UNITS,
  type Indicator,
  type IndicatorUnit,
  type IndicatorValue,
  PERIOD_TYPES,
  type PeriodType,
  type Polarity,
  type ProblemLine,
  RAG_RULES,
  type RagRule,
} from "@safecity/core";
import type { Store } from "../db/database.ts";
import { findAreaByCode } from "../db/repositories/area.repository.ts";
import {
  indicatorAreas,
  indicatorByKey,
  indicatorValues,
  insertIndicator,
  listIndicators,
  type NewIndicator,
} from "../db/repositories/plan-indicator.repository.ts";
import { inTransaction } from "../db/transaction.ts";
import { resolveGroup } from "./analysis-scope.ts";
import { resolveArea } from "./area.service.ts";
import { type Actor, audit } from "./audit.ts";
import type { DerivedSeriesCache, LeftOutPeriod } from "./derived-indicator.service.ts";
import { cachedDerivedSeries } from "./derived-series-cache.ts";
import { STANDARD_INDICATORS } from "./standard-indicators.ts";

export { listIndicators, STANDARD_INDICATORS };

const KEY_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Creates the built-in imported indicators that are not stored yet; returns the keys created. */
export async function ensureStandardIndicators(store: Store, opts: { actor: Actor; now: Date; demo?: boolean }): Promise<string[]> {
  return inTransaction(store, async (tx) => {
    const have = new Set((await listIndicators(tx)).map((i) => i.key));
    const created: string[] = [];
    for (const i of STANDARD_INDICATORS) {
      if (have.has(i.key)) continue;
      const id = await insertIndicator(tx, { ...i, demo: opts.demo ?? false });
      created.push(i.key);
      await auditIndicator(tx, opts, "indicator.create", id, { ...i, demo: opts.demo ?? false });
    }
    return created;
  });
}

export interface IndicatorDefinition {
  key: string;
  name: string;
  unit: string;
  polarity: string;
  periodType: string;
  ragRule?: string;
  tolerancePercent?: number;
  /** For a derived indicator: the area, crime type or group, and measure. Absent for an imported series. */
  derived?: { areaCode: string; crime: string; measure: string } | null;
  demo?: boolean;
}

/**
 * Defines an indicator after checking every field (all problems reported at once). A derived
 * indicator's area must resolve and its crime must be a police.uk type or group; its unit follows
 * its measure (count, rate_per_1000, rank).
 */
export async function defineIndicator(store: Store, def: IndicatorDefinition, opts: { actor: Actor; now: Date }): Promise<Indicator> {
  const problems: ProblemLine[] = [];
  const bad = (field: string, message: string) => problems.push({ file: "indicator", field, message });
  const key = def.key.trim().toLowerCase();
  if (!KEY_RE.test(key)) bad("key", `\`${def.key}\` is not a usable key: use lower-case letters, digits and hyphens, e.g. violence-rate`);
  if (!def.name.trim()) bad("name", "give the indicator a name, e.g. Violence against the person per 1,000 residents");
  if (!(INDICATOR_UNITS as readonly string[]).includes(def.unit)) bad("unit", `unit must be one of ${INDICATOR_UNITS.join(", ")}; got \`${def.unit}\``);
  if (def.polarity !== "lower_is_better" && def.polarity !== "higher_is_better") bad("polarity", `polarity must be lower_is_better or higher_is_better; got \`${def.polarity}\``);
  if (!(PERIOD_TYPES as readonly string[]).includes(def.periodType)) bad("periodType", `period type must be one of ${PERIOD_TYPES.join(", ")}; got \`${def.periodType}\``);
  const ragRule = def.ragRule ?? "default";
  if (!(RAG_RULES as readonly string[]).includes(ragRule)) bad("ragRule", `RAG rule must be one of ${RAG_RULES.join(", ")}; got \`${ragRule}\``);
  const tolerance = def.tolerancePercent ?? 5;
  if (!Number.isFinite(tolerance) || tolerance < 0) bad("tolerancePercent", `tolerance must be a percent of 0 or more; got ${tolerance}`);
  let derived: DerivedIndicatorSpec | null = null;
  if (def.derived) {
    const measures = { count: "count", rate_per_1000: "rate_per_1000", msg_rank: "rank" } as const;
    const measure = def.derived.measure as keyof typeof measures;
    if (!(measure in measures)) bad("measure", `measure must be count, rate_per_1000 or msg_rank; got \`${def.derived.measure}\``);
    else if (def.unit !== measures[measure]) bad("unit", `a ${measure} indicator has unit ${measures[measure]}; got \`${def.unit}\``);
    let crime = def.derived.crime;
    try {
      crime = resolveGroup(def.derived.crime).name;
    } catch (e) {
      bad("crime", (e as Error).message);
    }
    let areaCode = def.derived.areaCode;
    try {
      const area = await resolveArea(store, def.derived.areaCode);
      // Without reference data an area is known only by its police.uk name: kept as given, resolved again at each read.
      if (area.ref.code) areaCode = area.ref.code;
      else if (measure === "msg_rank") bad("area", `${area.ref.name} has no ONS code: a most-similar-group rank needs reference data (\`safecity reference install\`)`);
      if (measure === "msg_rank" && area.ref.level !== "lad" && area.ref.level !== "csp") bad("area", `a most-similar-group rank is for a local authority or CSP; ${area.ref.name} is a ${area.ref.level}`);
    } catch (e) {
      bad("area", (e as Error).message);
    }
    derived = { areaCode, crime, measure };
  }
  if (!problems.length && (await indicatorByKey(store, key))) bad("key", `an indicator \`${key}\` already exists: choose another key`);
  if (problems.length) throw new AppError("input.invalid", `the indicator cannot be defined: ${problems.length} problem${problems.length === 1 ? "" : "s"}`, { problems });
  const indicator: NewIndicator = {
    key,
    name: def.name.trim(),
    unit: def.unit as IndicatorUnit,
    polarity: def.polarity as Polarity,
    periodType: def.periodType as PeriodType,
    ragRule: ragRule as RagRule,
    tolerancePercent: tolerance,
    source: derived ? "derived" : "imported",
    derived,
    demo: def.demo ?? false,
  };
  return inTransaction(store, async (tx) => {
    const id = await insertIndicator(tx, indicator);
    await auditIndicator(tx, opts, "indicator.create", id, indicator);
    return { id, ...indicator };
  });
}

export async function requireIndicator(store: Store, key: string): Promise<Indicator> {
  const i = await indicatorByKey(store, key.trim().toLowerCase());
  if (!i) {
    const keys = (await listIndicators(store)).map((x) => x.key);
    throw new AppError("indicator.not_found", `no indicator \`${key}\``, {
      hint: keys.length ? `use one of: ${keys.join(", ")}` : "none is defined yet: `safecity indicators import <file.csv>` creates the built-in ones",
    });
  }
  return i;
}

export interface IndicatorSeries {
  indicator: Indicator;
  area: { code: string | null; name: string };
  values: IndicatorValue[];
  /** Derived indicators: periods left out because their data is incomplete. */
  leftOut: LeftOutPeriod[];
  notes: string[];
}

/**
 * The series of an indicator for an area: stored values for an imported indicator, computed from
 * the roll-up now for a derived one. `areaCode` defaults to a derived indicator's own area; an
 * imported indicator needs it. Series read together may share a `cache` of area data; derived
 * series are kept until the data version changes (derived-series-cache.ts).
 */
export async function indicatorSeries(store: Store, indicator: Indicator, areaCode?: string, cache?: DerivedSeriesCache): Promise<IndicatorSeries> {
  if (indicator.source === "derived") {
    const d = await cachedDerivedSeries(store, indicator, areaCode, cache ?? new Map());
    return { indicator, area: { code: d.area.code, name: d.area.name }, values: d.values, leftOut: d.leftOut, notes: d.notes };
  }
  if (!areaCode) {
    const areas = await indicatorAreas(store, indicator.id);
    throw new AppError("input.invalid", `${indicator.key} is imported by area: give --area`, {
      hint: areas.length ? `areas with values: ${areas.map((a) => `${a.areaCode} (${a.periods})`).join(", ")}` : "no values are imported yet",
    });
  }
  const code = areaCode.trim().toUpperCase();
  const values = await indicatorValues(store, indicator.id, code);
  const notes = values.length ? [] : [`no values of ${indicator.key} are imported for ${code}`];
  // The area's name where reference data knows it (a page says "Southampton", not E06000045).
  const name = (await findAreaByCode(store, code))?.name ?? code;
  return { indicator, area: { code, name }, values, leftOut: [], notes };
}

function auditIndicator(store: Store, opts: { actor: Actor; now: Date }, action: string, id: number, after: unknown): Promise<void> {
  return audit(store, opts.actor, opts.now, action, `indicator:${id}`, { after });
}
