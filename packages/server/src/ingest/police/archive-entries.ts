import { AppError, addMonths, monthRange } from "@safecity/core";
import type yauzl from "yauzl";
import { describeFileName, oversizeEntryReason, unsafeEntryReason } from "./police-sources.ts";

/** One street file listed in an archive's central directory: where its bytes are and what they must be. */
export interface ArchiveEntry {
  /** The entry name, `YYYY-MM/YYYY-MM-<force>-street.csv`. */
  name: string;
  force: string;
  month: string;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** 0 stored, 8 deflated. */
  method: number;
  localHeaderOffset: number;
}

/**
 * The street files of an archive's central directory (read through yauzl from any random-access
 * reader). Entries are checked as `safecity import` checks them: an unsafe name or an entry that
 * would expand past the limits refuses the whole archive; other files (outcomes, stop and search,
 * read-me files) are left out.
 */
export async function listStreetEntries(zip: yauzl.ZipFile, where: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        try {
          const e = streetEntry(entry, where);
          if (e) entries.push(e);
          zip.readEntry();
        } catch (err) {
          reject(err);
        }
      });
      zip.on("end", () => resolve());
      zip.on("error", (err: Error) => reject(err));
      zip.readEntry();
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("fetch.bad_archive", `${where}: cannot read the zip archive's directory (${(e as Error).message})`, {
      hint: "the address may not point at a police.uk archive; check --archive-url, or download the archive by hand and `safecity import` it",
    });
  } finally {
    zip.close();
  }
  return entries;
}

function streetEntry(entry: yauzl.Entry, where: string): ArchiveEntry | null {
  const name = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString("utf8") : String(entry.fileName);
  const unsafe = unsafeEntryReason(name);
  if (unsafe) {
    throw new AppError("import.unsafe_entry", `${where}: entry \`${name}\` ${unsafe}; nothing was downloaded`, {
      hint: "the archive is not a police.uk archive or has been tampered with; check --archive-url",
    });
  }
  const d = describeFileName(name.split("/").pop()!);
  if (d.kind !== "street" || !d.force || !d.month) return null;
  if (entry.generalPurposeBitFlag & 0x1) {
    throw new AppError("fetch.bad_archive", `${where}: entry \`${name}\` is encrypted`, { hint: "police.uk archives are not encrypted; check --archive-url" });
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new AppError("fetch.bad_archive", `${where}: entry \`${name}\` uses compression method ${entry.compressionMethod}, not stored or deflate`, {
      hint: "download the archive by hand, extract it with an archive tool, then `safecity import <folder>`",
    });
  }
  const oversize = oversizeEntryReason(entry);
  if (oversize) {
    throw new AppError("import.unsafe_entry", `${where}: entry \`${name}\` ${oversize}; nothing was downloaded`, {
      hint: "police.uk street files are a few MB each; check --archive-url",
    });
  }
  return {
    name,
    force: d.force,
    month: d.month,
    crc32: entry.crc32 >>> 0,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    method: entry.compressionMethod,
    localHeaderOffset: entry.relativeOffsetOfLocalHeader,
  };
}

/** Forces and, for each, the months the archive has. */
export function archiveContents(entries: readonly ArchiveEntry[]): Map<string, string[]> {
  const byForce = new Map<string, Set<string>>();
  for (const e of entries) {
    const months = byForce.get(e.force) ?? new Set<string>();
    months.add(e.month);
    byForce.set(e.force, months);
  }
  return new Map([...byForce.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, m]) => [f, [...m].sort()]));
}

export interface Selection {
  entries: ArchiveEntry[];
  /** Force-months asked for that the archive does not have, by force. */
  missing: Map<string, string[]>;
  from: string;
  to: string;
}

/** Months fetched when no --from is given: two years, so a year can be compared with the one before. */
export const DEFAULT_MONTHS = 24;

/**
 * The wanted street entries: the forces asked for (each must be in the archive; a near miss is
 * suggested), months from..to (to defaults to the latest month the archive has for them, from to
 * 24 months before it).
 */
export function selectEntries(
  entries: readonly ArchiveEntry[],
  want: { forces: readonly string[]; from?: string; to?: string },
  where: string,
  suggest: (force: string, known: string[]) => string[],
): Selection {
  const contents = archiveContents(entries);
  const known = [...contents.keys()];
  for (const force of want.forces) {
    if (!contents.has(force)) {
      const near = suggest(force, known);
      throw new AppError("fetch.unknown_force", `${where} has no street files for force \`${force}\``, {
        hint: near.length
          ? `did you mean ${near.map((n) => `\`${n}\``).join(" or ")}? \`safecity fetch police --list\` lists the forces`
          : "`safecity fetch police --list` lists the forces and months the archive has",
      });
    }
  }
  const wanted = new Set(want.forces);
  const latest = entries
    .filter((e) => wanted.has(e.force))
    .map((e) => e.month)
    .sort()
    .pop()!;
  const to = want.to ?? latest;
  const from = want.from ?? addMonths(to, -(DEFAULT_MONTHS - 1));
  const months = new Set(monthRange(from, to));
  const chosen = entries.filter((e) => wanted.has(e.force) && months.has(e.month)).sort((a, b) => a.name.localeCompare(b.name));
  const missing = new Map<string, string[]>();
  for (const force of want.forces) {
    const have = new Set(contents.get(force));
    const absent = [...months].filter((m) => !have.has(m));
    if (absent.length) missing.set(force, absent);
  }
  return { entries: chosen, missing, from, to };
}
