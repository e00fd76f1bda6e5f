import { AppError } from "@safecity/core";
import readXlsxFile from "read-excel-file/node";

/** One worksheet as CSV text: line N of the text is row N of the sheet, so reader errors name the sheet's row. */
export interface SheetText {
  sheet: string;
  text: string;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (v instanceof Date) s = v.toISOString().slice(0, 10);
  else s = String(v);
  // A line break inside a cell would shift every later line number; header cells use them for layout only.
  s = s.replace(/\r\n|\r|\n/g, " ");
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every worksheet of an `.xlsx` workbook (ONS, MHCLG) as CSV text, read with `read-excel-file`;
 * numbers stay numbers (no thousands separators), ONS markers like `[x]` stay text.
 */
export async function readWorkbookSheets(bytes: Buffer, file: string): Promise<SheetText[]> {
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readXlsxFile(bytes)) as unknown as { sheet: string; data: unknown[][] }[];
  } catch (e) {
    throw new AppError("reference.bad_file", `${file}: not a readable .xlsx workbook (${(e as Error).message})`, {
      problems: [{ file, message: "the workbook could not be opened" }],
      hint: "download the workbook again from the publisher; an old .xls file must be saved as .xlsx first",
    });
  }
  return sheets.map((s) => ({ sheet: s.sheet.trim(), text: s.data.map((row) => row.map(csvCell).join(",")).join("\n") }));
}
