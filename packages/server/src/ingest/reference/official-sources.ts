import { z } from "zod";
import sourcesFile from "./official-sources.json" with { type: "json" };

/** One download of the official sources (official-sources.json): where, who, licence, what it feeds. */
const SourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  publisher: z.string().min(1),
  /** The publisher's page to download it from by hand. */
  page: z.string().url(),
  /** Direct download address; null when none is known (fetched only from a mirror, or by hand). */
  url: z.string().url().nullable(),
  /** The publisher's file name: saved under it, and requested under it from a mirror (--sources-url). */
  file: z.string().regex(/^[A-Za-z0-9._-]+$/),
  format: z.enum(["csv", "xlsx", "zip", "geojson"]),
  licence: z.string().min(1),
  attribution: z.string().min(1),
  /** Dataset names (manifest.ts / recognise.ts) this file must supply once read. */
  feeds: z.array(z.string().min(1)).min(1),
});

export type OfficialSource = z.infer<typeof SourceSchema>;

const FileSchema = z.object({ note: z.string(), sources: z.array(SourceSchema).min(1) });

let cached: OfficialSource[] | undefined;

/** The official sources, checked once (a malformed file is a programming error, thrown as such). */
export function officialSources(): OfficialSource[] {
  cached ??= FileSchema.parse(sourcesFile).sources;
  return cached;
}

/** Where to fetch a source: its official URL, or `<mirror base>/<file>` when a mirror of the sources is given. */
export function sourceUrl(source: OfficialSource, mirrorBase?: string): string | null {
  if (!mirrorBase) return source.url;
  const base = mirrorBase.endsWith("/") ? mirrorBase : `${mirrorBase}/`;
  return new URL(encodeURIComponent(source.file), base).toString();
}
