import { z } from "zod";

/** One row of the import register (`import_file`). */
export const ImportEntrySchema = z
  .object({
    id: z.number().int(),
    fileName: z.string().describe("file path or `archive.zip:entry.csv`"),
    force: z.string().nullable(),
    month: z.string().nullable(),
    sha256: z.string(),
    rows: z.number().int(),
    rejectedRows: z.number().int(),
    noLocationRows: z.number().int(),
    status: z.string().describe("imported, superseded, rejected, failed, interrupted or running"),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    importedBy: z.string(),
    message: z.string().nullable().describe("summary; for a rejected file followed by one `line: problem` per line"),
    demo: z.boolean().describe("a file of the demo's synthetic city (`safecity demo`), not real police data"),
  })
  .meta({ id: "ImportEntry" });

export const ImportListSchema = z.object({ imports: z.array(ImportEntrySchema) }).meta({ id: "ImportList" });

export const ImportListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe("most recent entries to return (default 100)"),
});

/** A register entry with its problems parsed out of `message` (rejected files). */
export const ImportDetailSchema = z
  .object({
    import: ImportEntrySchema,
    summary: z.string().nullable(),
    problems: z.array(z.object({ line: z.number().int().nullable(), message: z.string() })),
  })
  .meta({ id: "ImportDetail" });

const FileReportSchema = z.object({
  file: z.string(),
  kind: z.enum(["street", "outcomes", "stop-and-search"]),
  force: z.string().nullable(),
  month: z.string().nullable(),
  status: z.enum(["imported", "replaced", "already imported", "refused", "rejected", "failed", "not yet supported"]),
  importId: z.number().int().nullable(),
  rows: z.number().int(),
  rejectedRows: z.number().int(),
  noLocationRows: z.number().int(),
  sha256: z.string().nullable(),
  errors: z.array(z.object({ file: z.string(), line: z.number().int().optional(), field: z.string().optional(), message: z.string() })),
  errorCount: z.number().int(),
  message: z.string().nullable(),
  replacing: z
    .object({ importId: z.number().int(), rows: z.number().int() })
    .optional()
    .describe("a refused file: the import it would have replaced, with under half its rows (import again with replace to confirm)"),
});

export const ImportReportSchema = z
  .object({
    files: z.array(FileReportSchema),
    ignored: z.array(z.string()),
    interruptedEarlier: z.number().int(),
    totals: z.object({
      files: z.number().int(),
      rows: z.number().int(),
      rejectedRows: z.number().int(),
      noLocationRows: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
    }),
    bytes: z.number().int(),
    elapsedMs: z.number(),
  })
  .meta({ id: "ImportReport" });

export const IMPORT_JOB_STATES = ["queued", "running", "finished", "failed", "interrupted", "discarded"] as const;

/** A background import started by an upload. Kept in the database: a server that stopped during it marks it `interrupted` at its next start (resume or discard it). */
export const ImportJobSchema = z
  .object({
    id: z.string(),
    state: z.enum(IMPORT_JOB_STATES),
    user: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    uploads: z.array(z.object({ name: z.string(), bytes: z.number().int() })),
    skipInvalid: z.boolean(),
    progress: z.object({
      file: z.string().nullable(),
      fileIndex: z.number().int(),
      fileCount: z.number().int(),
      bytesDone: z.number().int(),
      bytesTotal: z.number().int(),
      rows: z.number().int(),
    }),
    report: ImportReportSchema.nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    resumable: z.boolean().describe("interrupted, with its uploaded files still on the server: it can be resumed"),
    replace: z.boolean().optional().describe("imported with replace: force-months replaced even by files with under half their rows"),
    replaceable: z
      .boolean()
      .optional()
      .describe("finished with files refused as short replacements, its uploaded files still on the server: Replace anyway can import them"),
  })
  .meta({ id: "ImportJob" });

export const ImportJobParamSchema = z.object({ id: z.string().regex(/^[a-f0-9]{12}$/, "must be a job id").describe("job id") });
