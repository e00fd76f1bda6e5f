import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { isDemoLoaded } from "./demo.service.ts";
import { listReferenceDatasets, referenceTableCounts, writeReferenceData } from "../db/repositories/reference.repository.ts";
import { NOT_LOADED, REFERENCE_MANIFEST } from "../ingest/reference/manifest.ts";
import { buildReferencePayload } from "../ingest/reference/payload.ts";
import { emptyReferenceData } from "../ingest/reference/reference-data.ts";
import { type MirrorDir, fetchMirror, isUrl, mirrorHasFile, openMirrorDir, readMirrorFile } from "../ingest/reference/source.ts";

export interface ReferenceDatasetReport {
  name: string;
  description: string;
  required: boolean;
  /** Candidate files, best first. */
  files: string[];
  /** installed: read and written; missing: no candidate file in the mirror. */
  status: "installed" | "missing";
  /** Mirror-relative path of the file read (null when missing). */
  file: string | null;
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
  /** lsoa_geo rows first derived from police data and now replaced by reference rows. */
  policeGeoReplaced: number;
  installedAt: string;
  elapsedMs: number;
}

export interface InstallReferenceOptions {
  /** Clock for `installed_at` (default: the system clock). */
  now?: () => Date;
  /** HTTP client for `--from <url>` (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/**
 * `safecity reference install --from <dir|url>`: reads the mirror (see ingest/reference/manifest.ts),
 * then replaces all reference data in one transaction. Any bad file aborts before anything is
 * written; a failure while writing rolls back. Re-running replaces the data (idempotent).
 */
export async function installReference(store: Store, from: string, opts: InstallReferenceOptions = {}): Promise<ReferenceInstallReport> {
  const started = performance.now();
  const now = opts.now ?? (() => new Date());
  if (!from?.trim()) throw new AppError("input.invalid", "`--from` must be a directory or an http(s) URL of a reference mirror");
  // Installing replaces every reference table, the demo city's geography included: its imports
  // would be left with no areas, populations or deprivation. Refuse instead of losing it quietly.
  if (await isDemoLoaded(store))
    throw new AppError("demo.refused", "reference data cannot be installed while the demo partnership is loaded: it would replace the demo city's geography", {
      hint: "remove the demo first (`safecity demo --remove`, or 'Remove demo data' on the status page), then install reference data",
    });
  const mirror: MirrorDir = isUrl(from) ? await fetchMirror(from, opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}) : openMirrorDir(from);
  try {
    const data = emptyReferenceData();
    const datasets: ReferenceDatasetReport[] = [];
    for (const entry of REFERENCE_MANIFEST) {
      let report: ReferenceDatasetReport = { name: entry.name, description: entry.description, required: entry.required, files: [...entry.files], status: "missing", file: null, rows: 0, sha256: null, alternativesNotUsed: [] };
      for (const rel of entry.files) {
        if (report.status === "installed") {
          if (mirrorHasFile(mirror, rel)) report.alternativesNotUsed.push(rel);
          continue;
        }
        const file = readMirrorFile(mirror, rel);
        if (!file) continue;
        const rows = entry.read(file, data);
        report = { ...report, status: "installed", file: rel, rows, sha256: file.sha256 };
      }
      if (report.status === "missing" && entry.required) {
        throw new AppError("reference.not_found", `required reference file missing: ${mirror.urlOf(entry.files[0]!)}`, {
          hint: `the mirror must contain ${entry.files.join(" or ")} (${entry.description}); see docs/reference-data.md`,
        });
      }
      datasets.push(report);
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
      source: from,
      datasets,
      tables: await referenceTableCounts(store.db),
      notLoaded: NOT_LOADED.filter((n) => mirrorHasFile(mirror, n.file)),
      policeGeoReplaced,
      installedAt,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    mirror.cleanup();
  }
}

/** What the last install recorded, one entry per dataset. */
export async function referenceStatus(store: Store) {
  return listReferenceDatasets(store.db);
}
