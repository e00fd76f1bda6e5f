import type { DatasetReader } from "./manifest.ts";
import { NOT_LOADED, REFERENCE_MANIFEST } from "./manifest.ts";
import { type FoundDataset, scanPublisherFolder } from "./publisher-folder.ts";
import type { ReferenceFile } from "./reference-data.ts";
import { type MirrorDir, mirrorHasFile, readMirrorFile } from "./source.ts";

/** One dataset to install: where it comes from (a mirror path or a publisher's file), or missing. */
export interface PlannedDataset {
  name: string;
  description: string;
  required: boolean;
  /** Mirror candidates, best first (empty for a dataset only a publisher's file supplied). */
  files: string[];
  read: DatasetReader;
  /** The file (mirror path, or publisher file with sheet or zip entry); null when missing. */
  fileName: string | null;
  /** The file on disk it came from, relative to the folder (a workbook or zip for a sheet or entry). */
  source: string | null;
  load: (() => ReferenceFile | null) | null;
  alternativesNotUsed: string[];
}

export interface InstallPlan {
  datasets: PlannedDataset[];
  ignored: { file: string; why: string }[];
  notLoaded: { file: string; why: string }[];
}

function best(found: FoundDataset[]): { chosen: FoundDataset; others: FoundDataset[] } {
  const sorted = [...found].sort((a, b) => a.rank - b.rank);
  return { chosen: sorted[0]!, others: sorted.slice(1) };
}

/**
 * What to read from a folder: mirror paths first (manifest.ts, unchanged behaviour), then every
 * other file recognised by its columns fills a dataset the mirror lacks or adds one (other ONS
 * table years, boundary files). A dataset found twice reads the better file and reports the other.
 */
export async function planInstall(mirror: MirrorDir): Promise<InstallPlan> {
  const mirrorPaths = [...REFERENCE_MANIFEST.flatMap((e) => e.files), ...NOT_LOADED.map((n) => n.file)].filter((rel) => mirrorHasFile(mirror, rel));
  const scan = await scanPublisherFolder(mirror.root, new Set(mirrorPaths));
  const byName = new Map<string, FoundDataset[]>();
  for (const f of scan.found) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  const fromFound = (name: string, found: FoundDataset[], required: boolean, files: string[]): PlannedDataset => {
    const { chosen, others } = best(found);
    byName.delete(name);
    return { name, description: chosen.description, required, files, read: chosen.read, fileName: chosen.file.path, source: chosen.source, load: () => chosen.file, alternativesNotUsed: others.map((o) => o.file.path) };
  };
  const datasets: PlannedDataset[] = [];
  for (const entry of REFERENCE_MANIFEST) {
    const present = entry.files.filter((rel) => mirrorHasFile(mirror, rel));
    const found = byName.get(entry.name) ?? [];
    if (present.length > 0) {
      byName.delete(entry.name);
      const rel = present[0]!;
      datasets.push({ ...entry, files: [...entry.files], fileName: rel, source: rel, load: () => readMirrorFile(mirror, rel), alternativesNotUsed: [...present.slice(1), ...found.map((f) => f.file.path)] });
    } else if (found.length > 0) {
      datasets.push(fromFound(entry.name, found, entry.required, [...entry.files]));
    } else {
      datasets.push({ ...entry, files: [...entry.files], fileName: null, source: null, load: null, alternativesNotUsed: [] });
    }
  }
  const extras = [...byName.entries()].map(([name, found]) => fromFound(name, found, false, []));
  // The manifest's boundary files are the mirror's own extracts: when boundaries came under the
  // publishers' names instead, those entries are not "missing".
  if (extras.some((e) => e.name.startsWith("boundaries."))) {
    for (let i = datasets.length - 1; i >= 0; i--) if (datasets[i]!.name.startsWith("boundaries.") && !datasets[i]!.load) datasets.splice(i, 1);
  }
  const order = (d: PlannedDataset) => scan.found.find((f) => f.name === d.name)?.boundaryOrder ?? -1;
  extras.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  datasets.push(...extras);
  return { datasets, ignored: scan.ignored, notLoaded: NOT_LOADED.filter((n) => mirrorHasFile(mirror, n.file)) };
}
