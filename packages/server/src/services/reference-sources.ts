import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError, isAppError } from "@safecity/core";
import { byHandHint, type Downloaded, downloadSource } from "../ingest/reference/download.ts";
import type { InstallPlan } from "../ingest/reference/install-plan.ts";
import { REFERENCE_MANIFEST } from "../ingest/reference/manifest.ts";
import { type OfficialSource, officialSources } from "../ingest/reference/official-sources.ts";
import type { MirrorDir } from "../ingest/reference/source.ts";

export interface SourceDownloadReport {
  id: string;
  title: string;
  publisher: string;
  licence: string;
  attribution: string;
  url: string | null;
  file: string;
  feeds: string[];
  status: "downloaded" | "cached" | "failed";
  sha256: string | null;
  bytes: number;
  /** Why it failed, and what to do instead (download by hand, `--from <folder>`). */
  error: string | null;
  hint: string | null;
}

export interface OfficialFetch {
  mirror: MirrorDir;
  downloads: SourceDownloadReport[];
}

const REQUIRED = new Set(REFERENCE_MANIFEST.filter((e) => e.required).map((e) => e.name));
const isRequired = (s: OfficialSource) => s.feeds.some((f) => REQUIRED.has(f));

function report(s: OfficialSource, d: Partial<SourceDownloadReport> & Pick<SourceDownloadReport, "status">): SourceDownloadReport {
  return { id: s.id, title: s.title, publisher: s.publisher, licence: s.licence, attribution: s.attribution, url: s.url, file: s.file, feeds: [...s.feeds], sha256: null, bytes: 0, error: null, hint: null, ...d };
}

/**
 * Downloads every official source (official-sources.json) into `cacheDir`, or from a mirror of
 * them (`mirrorBase`: `<base>/<file>`). A source feeding a required dataset that fails stops the
 * install (AppError naming URL, dataset, what to do); any other failure is reported and the rest
 * installs. Returns a folder of this run's files (links into the cache) to install from.
 */
export async function fetchOfficialSources(opts: { cacheDir: string; mirrorBase?: string; refresh?: boolean; fetchImpl?: typeof fetch }): Promise<OfficialFetch> {
  const downloads: SourceDownloadReport[] = [];
  const got: Downloaded[] = [];
  for (const s of officialSources()) {
    try {
      const d = await downloadSource(s, opts);
      got.push(d);
      downloads.push(report(s, { url: d.url, status: d.cached ? "cached" : "downloaded", sha256: d.sha256, bytes: d.bytes }));
    } catch (e) {
      if (!isAppError(e) || isRequired(s)) throw e;
      downloads.push(report(s, { url: opts.mirrorBase ? null : s.url, status: "failed", error: e.message, hint: e.hint ?? byHandHint(s) }));
    }
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-reference-sources-"));
  for (const d of got) fs.symlinkSync(path.resolve(opts.cacheDir, d.file), path.join(root, d.file));
  return { mirror: { root, origin: opts.mirrorBase ?? "official sources", urlOf: (rel) => got.find((d) => d.file === rel)?.url ?? rel, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) }, downloads };
}

/**
 * Each downloaded file must have supplied the datasets it is listed for: a file the publisher has
 * changed beyond recognition is a failure naming the URL (fatal for a required dataset).
 */
export function checkSourcesFed(fetched: OfficialFetch, plan: InstallPlan): void {
  for (const d of fetched.downloads) {
    if (d.status === "failed") continue;
    const s = officialSources().find((x) => x.id === d.id)!;
    const unfed = s.feeds.filter((name) => !plan.datasets.some((p) => p.name === name && p.source === s.file));
    if (unfed.length === 0) continue;
    const why = plan.ignored.filter((i) => i.file === s.file).map((i) => i.why).join("; ") || "its tables were not recognised";
    const message = `${d.url} was downloaded (sha256 ${d.sha256?.slice(0, 12)}…) but did not supply ${unfed.join(", ")}: ${why}`;
    if (isRequired(s)) throw new AppError("reference.download_failed", message, { hint: `the publisher may have changed the file; ${byHandHint(s)}` });
    Object.assign(d, { status: "failed", error: message, hint: `the publisher may have changed the file; ${byHandHint(s)}` });
  }
}
