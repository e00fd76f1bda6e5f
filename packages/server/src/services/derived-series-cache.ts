import type { Indicator } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { dataVersion } from "../db/repositories/data-version.repository.ts";
import { type DerivedSeries, type DerivedSeriesCache, derivedSeries } from "./derived-indicator.service.ts";

/**
 * Derived series kept per store until the loaded data changes, as the analysis pages keep their
 * results (`dataVersion`: import register and reference installs). A derived series is computed
 * from the roll-up, areas, population and open indicators only, so its definition (crime, measure,
 * area, period type) and the data version fix it; a performance report with MSG ranks then costs
 * its first reader seconds on a national database, and the readers after it nothing. Concurrent
 * reads share one computation; one computed while the data changed is not kept. Callers must not
 * change the series they get (it is shared).
 */

interface StoreSeries {
  version: string;
  entries: Map<string, Promise<DerivedSeries>>;
}
const caches = new WeakMap<Store, StoreSeries>();
/** The data version, read once per read (a report's derived series share its `DerivedSeriesCache`). */
const readVersions = new WeakMap<DerivedSeriesCache, Promise<string>>();
const MAX_ENTRIES = 500;

/** `derivedSeries`, computed once per definition and area until the data version changes. */
export async function cachedDerivedSeries(store: Store, indicator: Indicator, areaCode: string | undefined, areaData: DerivedSeriesCache): Promise<DerivedSeries> {
  // Inside a transaction the data may be uncommitted: compute, never keep.
  if (store.db.isTransaction) return derivedSeries(store, indicator, areaCode, areaData);
  let v = readVersions.get(areaData);
  if (!v) {
    v = dataVersion(store);
    readVersions.set(areaData, v);
  }
  const version = await v;
  let cache = caches.get(store);
  if (!cache || cache.version !== version) {
    cache = { version, entries: new Map() };
    caches.set(store, cache);
  }
  const key = JSON.stringify([indicator.derived, indicator.periodType, areaCode ?? null]);
  const hit = cache.entries.get(key);
  if (hit) return hit;
  const entries = cache.entries;
  const computing = derivedSeries(store, indicator, areaCode, areaData);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, computing);
  try {
    await computing;
    if ((await dataVersion(store)) !== version) entries.delete(key);
  } catch {
    entries.delete(key);
  }
  return computing;
}
