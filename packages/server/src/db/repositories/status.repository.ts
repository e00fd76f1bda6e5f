import type { Store } from "../database.ts";
import { listImports } from "./import-register.repository.ts";

/** What is loaded, for the status page and `/api/v1/status`. Cheap queries only: never scans incidents. */
export interface LoadedSummary {
  areasByLevel: { level: string; count: number }[];
  /** Rows stored by files whose import finished (`status = 'imported'`), from the import register. */
  incidentRows: number;
  months: { first: string | null; last: string | null; count: number };
  forces: { slug: string; name: string | null }[];
  recentImports: {
    fileName: string;
    forceSlug: string | null;
    month: string | null;
    status: string;
    rows: number;
    rejectedRows: number;
    finishedAt: string | null;
    importedBy: string;
  }[];
  referenceDatasets: { name: string; fileName: string; rows: number; installedAt: string }[];
}

export async function loadedSummary(store: Store, opts: { recentImports?: number } = {}): Promise<LoadedSummary> {
  const { db } = store;
  const areas = await db
    .selectFrom("area")
    .select(["level", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("level")
    .orderBy("level")
    .execute();

  const imported = db.selectFrom("import_file").where("status", "=", "imported");
  const totals = await imported
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>("rows"), eb.lit(0)).as("rows"),
      eb.fn.min<string>("month").as("first"),
      eb.fn.max<string>("month").as("last"),
      eb.fn.count<number>("month").distinct().as("months"),
    ])
    .executeTakeFirstOrThrow();

  const forces = await db
    .selectFrom("import_file")
    .leftJoin("force", "force.slug", "import_file.force_slug")
    .where("import_file.status", "=", "imported")
    .where("import_file.force_slug", "is not", null)
    .select(["import_file.force_slug as slug", "force.name as name"])
    .distinct()
    .orderBy("import_file.force_slug")
    .execute();

  const limit = opts.recentImports ?? 10;
  const recent = limit > 0 ? await listImports(store, { limit }) : [];

  const reference = await db.selectFrom("reference_dataset").select(["name", "file_name", "rows", "installed_at"]).orderBy("name").execute();

  return {
    areasByLevel: areas.map((a) => ({ level: a.level, count: Number(a.n) })),
    incidentRows: Number(totals.rows ?? 0),
    months: { first: totals.first ?? null, last: totals.last ?? null, count: Number(totals.months ?? 0) },
    forces: forces.map((f) => ({ slug: f.slug ?? "", name: f.name ?? null })),
    recentImports: recent.map((r) => ({
      fileName: r.fileName,
      forceSlug: r.force,
      month: r.month,
      status: r.status,
      rows: r.rows,
      rejectedRows: r.rejectedRows,
      finishedAt: r.finishedAt,
      importedBy: r.importedBy,
    })),
    referenceDatasets: reference.map((r) => ({ name: r.name, fileName: r.file_name, rows: Number(r.rows), installedAt: r.installed_at })),
  };
}
