import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { countImports, getImport, listImports, type RegisterEntry } from "../db/repositories/import-register.repository.ts";
import { type LoadedSummary, loadedSummary } from "../db/repositories/status.repository.ts";

export type { RegisterEntry };

/**
 * A registered file name as users see it: the register keeps what the importer was given (a CLI
 * import's full server path, `<dir>/x.zip:2025-01/y.csv` for a zip entry), but pages and the API
 * show only the file (and the archive's name with the entry's path inside it), never the server's
 * folders (issue 16, least information).
 */
export function displayFileName(name: string): string {
  // Only an absolute path is a server path; an uploaded file's own name may hold any character
  // (even the slash of `</script>`), and is shown whole.
  const base = (p: string) => (/^([/\\]|[A-Za-z]:[/\\])/.test(p) ? p.slice(Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\")) + 1) : p);
  const zip = /^(.*\.zip):(.*)$/i.exec(name);
  return zip ? `${base(zip[1]!)}:${zip[2]}` : base(name);
}

function shown<T extends { fileName: string }>(entry: T): T {
  return { ...entry, fileName: displayFileName(entry.fileName) };
}

/** What is loaded (the status API), recent imports named by file only. */
export async function loadedStatus(store: Store): Promise<LoadedSummary> {
  const s = await loadedSummary(store);
  return { ...s, recentImports: s.recentImports.map(shown) };
}

export interface ImportDetail {
  import: RegisterEntry;
  /** The first line of the register message. */
  summary: string | null;
  /** For a rejected file: each `line: problem` the importer recorded (the first 100). */
  problems: { line: number | null; message: string }[];
}

/** The import register, most recent first. */
export async function importRegister(store: Store, opts: { limit?: number } = {}): Promise<RegisterEntry[]> {
  return (await listImports(store, { limit: opts.limit ?? 100 })).map(shown);
}

/** Entries on one page of the register on the Data page. */
export const REGISTER_PAGE_SIZE = 50;

export interface RegisterPage {
  entries: RegisterEntry[];
  /** 1-based; a page past the end reads as the last page. */
  page: number;
  pages: number;
  total: number;
}

/** One page of the register, most recent first. */
export async function importRegisterPage(store: Store, page: number, pageSize = REGISTER_PAGE_SIZE): Promise<RegisterPage> {
  const total = await countImports(store);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const entries = (await listImports(store, { limit: pageSize, offset: (current - 1) * pageSize })).map(shown);
  return { entries, page: current, pages, total };
}

/**
 * One register entry with its problem list. The importer stores a rejected file's report in
 * `message` as a summary line followed by one `<line or ->: <message>` line per problem.
 */
export async function importDetail(store: Store, id: number): Promise<ImportDetail> {
  const entry = await getImport(store, id);
  if (!entry) throw new AppError("import.not_found", `There is no import ${id} in the register.`);
  return { import: shown(entry), ...splitMessage(entry.message) };
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
