import { AppError, isAppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { listReferenceDatasets, referenceTableCounts, writeReferenceData } from "../db/repositories/reference.repository.ts";
import { byHandHint } from "../ingest/reference/download.ts";
import { type PlannedDataset, planInstall } from "../ingest/reference/install-plan.ts";
import { officialSources } from "../ingest/reference/official-sources.ts";
import { buildReferencePayload } from "../ingest/reference/payload.ts";
import { emptyReferenceData } from "../ingest/reference/reference-data.ts";
import { fetchMirror, isUrl, type MirrorDir, openMirrorDir } from "../ingest/reference/source.ts";
import { isDemoLoaded } from "./demo.service.ts";
import { checkSourcesFed, fetchOfficialSources, type OfficialFetch, type SourceDownloadReport } from "./reference-sources.ts";

export interface ReferenceDatasetReport {
  name: string;
  description: string;
  required: boolean;
  /** Mirror candidate files, best first (empty for a dataset only a publisher's file supplied). */
  files: string[];
  /** installed: read and written; missing: no file for it in the folder. */
  status: "installed" | "missing";
  /** The file read: mirror-relative path, or a publisher's file (`book.xlsx [Table C2]`, `census2021-ts021.zip!…-lsoa.csv`); null when missing. */
  file: string | null;
  /** The file on disk it came from (the workbook or zip of a sheet or entry). */
  source: string | null;
  /** Records read from the file (rows for tables, features for GeoJSON). */
  rows: number;
  sha256: string | null;
  /** Candidates present but not read because a better one was (e.g. IoD2019 File_2). */
  alternativesNotUsed: string[];
}

export interface ReferenceInstallReport {
  source: string;
  datasets: ReferenceDatasetReport[];
  /** Row counts of the reference tables after the install. */
  tables: Record<string, number>;
  /** Known mirror files deliberately not loaded, with why. */
  notLoaded: { file: string; why: string }[];
  /** Files (sheets, zip entries) of the folder not recognised as any dataset, with why. */
  ignored: { file: string; why: string }[];
  /** Official sources fetched (install without `--from`), each with its URL, licence, sha256 or failure. */
  downloads: SourceDownloadReport[];
  /** lsoa_geo rows first derived from police data and now replaced by reference rows. */
  policeGeoReplaced: number;
  installedAt: string;
  elapsedMs: number;
}

export interface InstallReferenceOptions {
  /** Clock for `installed_at` (default: the system clock). */
  now?: () => Date;
  /** HTTP client for `--from <url>` and the official sources (default: global fetch). */
  fetchImpl?: typeof fetch;
  /** Without `from`: the folder the official downloads are kept in (required then). */
  cacheDir?: string;
  /** Without `from`: a mirror of the official sources (`<base>/<publisher's file name>`) instead of their URLs. */
  sourcesUrl?: string;
  /** Without `from`: download again even what the cache holds. */
  refresh?: boolean;
}

/**
 * `safecity reference install [--from <dir|url>]`: reads a folder (mirror layout and/or the
 * publishers' own files, recognised by their columns), a mirror over HTTP, or, without `from`,
 * the official sources downloaded into the cache; then replaces all reference data in one
 * transaction. Any bad file aborts before anything is written; a failure while writing rolls back.
 */
export async function installReference(store: Store, from: string | undefined, opts: InstallReferenceOptions = {}): Promise<ReferenceInstallReport> {
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  if (from !== undefined && !from.trim()) throw new AppError("input.invalid", "`--from` must be a directory or an http(s) URL of a reference mirror");
  // Installing replaces every reference table, the demo city's geography included: its imports
  // would be left with no areas, populations or deprivation. Refuse instead of losing it quietly.
  if (await isDemoLoaded(store))
    throw new AppError("demo.refused", "reference data cannot be installed while the demo partnership is loaded: it would replace the demo city's geography", {
      hint: "remove the demo first (`safecity demo --remove`, or 'Remove demo data' on the status page), then install reference data",
    });
  let official: OfficialFetch | undefined;
  let mirror: MirrorDir;
  if (from === undefined) {
    if (!opts.cacheDir) throw new AppError("input.invalid", "installing from the official sources needs a cache folder");
    official = await fetchOfficialSources({ cacheDir: opts.cacheDir, ...(opts.sourcesUrl ? { mirrorBase: opts.sourcesUrl } : {}), ...(opts.refresh ? { refresh: true } : {}), ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}) });
    mirror = official.mirror;
  } else mirror = isUrl(from) ? await fetchMirror(from, opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}) : openMirrorDir(from);
  try {
    const plan = await planInstall(mirror);
    if (official) checkSourcesFed(official, plan);
    const data = emptyReferenceData();
    const datasets: ReferenceDatasetReport[] = [];
    for (const p of plan.datasets) {
      if (!p.load && p.required) {
        throw new AppError("reference.not_found", `required reference data missing: ${p.name} (${p.description}); looked for ${p.files.map((f) => mirror.urlOf(f)).join(" or ")} and for a file with its columns`, {
          hint: `the folder must contain ${p.files.join(" or ")}, or the publisher's own file (see docs/reference-data.md)`,
        });
      }
      datasets.push(readDataset(p, data, official, mirror));
    }
    const payload = buildReferencePayload(data);
    const installedAt = now().toISOString();
    const installed = datasets.filter((d) => d.status === "installed");
    const { policeGeoReplaced } = await writeReferenceData(
      store,
      { ...payload, datasets: installed.map((d) => ({ name: d.name, fileName: d.file!, sha256: d.sha256!, rows: d.rows })) },
      installedAt,
    );
    return {
      source: from ?? official!.mirror.origin,
      datasets,
      tables: await referenceTableCounts(store.db),
      notLoaded: plan.notLoaded,
      ignored: plan.ignored,
      downloads: official?.downloads ?? [],
      policeGeoReplaced,
      installedAt,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    mirror.cleanup();
  }
}

/** Reads one planned dataset into `data`; a bad downloaded file also names its URL and the way round it. */
function readDataset(p: PlannedDataset, data: ReturnType<typeof emptyReferenceData>, official: OfficialFetch | undefined, mirror: MirrorDir): ReferenceDatasetReport {
  const base: ReferenceDatasetReport = { name: p.name, description: p.description, required: p.required, files: [...p.files], status: "missing", file: null, source: null, rows: 0, sha256: null, alternativesNotUsed: p.alternativesNotUsed };
  const file = p.load?.();
  if (!file) return base;
  try {
    return { ...base, status: "installed", file: p.fileName, source: p.source, rows: p.read(file, data), sha256: file.sha256 };
  } catch (e) {
    const s = official && officialSources().find((x) => x.file === p.source);
    if (!s || !isAppError(e)) throw e;
    throw new AppError(e.code, `${mirror.urlOf(s.file)} (${p.name}): ${e.message}`, { problems: e.problems, hint: `the publisher may have changed the file; ${byHandHint(s)}` });
  }
}

/** What the last install recorded, one entry per dataset. */
export async function referenceStatus(store: Store) {
  return listReferenceDatasets(store.db);
}
