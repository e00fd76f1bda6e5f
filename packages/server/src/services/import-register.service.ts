import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { getImport, listImports, type RegisterEntry } from "../db/repositories/import-register.repository.ts";

export type { RegisterEntry };

export interface ImportDetail {
  import: RegisterEntry;
  /** The first line of the register message. */
  summary: string | null;
  /** For a rejected file: each `line: problem` the importer recorded (the first 100). */
  problems: { line: number | null; message: string }[];
}

/** The import register, most recent first. */
export function importRegister(store: Store, opts: { limit?: number } = {}): Promise<RegisterEntry[]> {
  return listImports(store, { limit: opts.limit ?? 100 });
}

/**
 * One register entry with its problem list. The importer stores a rejected file's report in
 * `message` as a summary line followed by one `<line or ->: <message>` line per problem.
 */
export async function importDetail(store: Store, id: number): Promise<ImportDetail> {
  const entry = await getImport(store, id);
  if (!entry) throw new AppError("import.not_found", `There is no import ${id} in the register.`);
  return { import: entry, ...splitMessage(entry.message) };
}

export function splitMessage(message: string | null): { summary: string | null; problems: ImportDetail["problems"] } {
  if (message === null) return { summary: null, problems: [] };
  const [summary = "", ...rest] = message.split("\n");
  const problems = rest.map((l) => {
    const m = /^(\d+|-): ([\s\S]*)$/.exec(l);
    return m ? { line: m[1] === "-" ? null : Number(m[1]), message: m[2]! } : { line: null, message: l };
  });
  return { summary, problems };
}
