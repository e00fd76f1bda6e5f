import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "@safecity/core";

/**
 * HTML to PDF by printing it in headless Chromium (Debian's `/usr/bin/chromium`, or
 * SAFECITY_CHROMIUM), through playwright-core, as the e2e tests drive it. A4, the page's own
 * `@page` size and margin boxes (page numbers), backgrounds printed, a document outline from the
 * headings. The page is loaded from a temporary file with the network off: the HTML is standalone.
 */

/** Where Chromium is looked for: SAFECITY_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAFECITY_CHROMIUM || "/usr/bin/chromium";
}

/** config.invalid naming the Debian package and SAFECITY_CHROMIUM when the executable is missing. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const exe = chromiumPath(env);
  if (!fs.existsSync(exe)) {
    throw new AppError("config.invalid", `PDF output needs Chromium, which is not at ${exe}${env.SAFECITY_CHROMIUM ? " (SAFECITY_CHROMIUM)" : ""}`, {
      hint: "install the Debian package `chromium` (apt-get install chromium), or set SAFECITY_CHROMIUM to a Chromium or Chrome executable; or write --format html",
    });
  }
  return exe;
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * The page (1-based) of each named destination in a PDF Chromium printed: Chromium writes one for
 * every element id an internal link points at (`/summary [44 0 R /XYZ …]`) and an uncompressed
 * page tree (`/Type /Pages /Kids […]`), so both are read from the file's text. Empty when the file
 * has another shape (the contents then print without page numbers, never wrong ones).
 */
export function destinationPages(pdf: Buffer): Map<string, number> {
  const text = pdf.toString("latin1");
  const nodes = new Map<number, { kids: number[]; root: boolean }>();
  for (const m of text.matchAll(/(?:^|[\r\n])(\d+) 0 obj\s*<<\s*\/Type \/Pages\b([^<>]*?)>>/g)) {
    const kids = /\/Kids \[([^\]]*)\]/.exec(m[2]!);
    if (!kids) continue;
    nodes.set(Number(m[1]), { kids: [...kids[1]!.matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1])), root: !/\/Parent /.test(m[2]!) });
  }
  const roots = [...nodes].filter(([, n]) => n.root).map(([id]) => id);
  if (roots.length !== 1) return new Map();
  const order: number[] = [];
  const walk = (id: number, depth: number) => {
    const node = nodes.get(id);
    if (!node) order.push(id);
    else if (depth < 32) for (const k of node.kids) walk(k, depth + 1);
  };
  walk(roots[0]!, 0);
  const pageOf = new Map(order.map((id, i) => [id, i + 1]));
  const out = new Map<string, number>();
  for (const m of text.matchAll(/\/([A-Za-z][\w-]*) \[(\d+) 0 R \/XYZ /g)) {
    const page = pageOf.get(Number(m[2]));
    if (page !== undefined && !out.has(m[1]!)) out.set(m[1]!, page);
  }
  return out;
}

/** A PDF and the page of each linked element. */
export interface PrintedPdf {
  pdf: Buffer;
  pages: Map<string, number>;
}

/**
 * Prints `render(pages)`: once without page numbers, then again with the pages each linked id
 * landed on (the contents' page column has a fixed width, so filling it moves nothing; the second
 * print's pages are returned, and a third print runs if they still differ). One browser for all.
 */
export async function printHtmlToPdf(render: (pages?: ReadonlyMap<string, number>) => Promise<string> | string, env: NodeJS.ProcessEnv = process.env): Promise<PrintedPdf> {
  const executablePath = requireChromium(env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-pdf-"));
  // loaded on the first PDF, not at start-up (every CLI command would pay for it)
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    const file = path.join(dir, "report.html");
    const print = async (html: string): Promise<PrintedPdf> => {
      fs.writeFileSync(file, html);
      await page.goto(`file://${file}`, { waitUntil: "load", timeout: 120_000 });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
      return { pdf, pages: destinationPages(pdf) };
    };
    let printed = await print(await render());
    for (let pass = 0; pass < 2 && printed.pages.size > 0; pass++) {
      const again = await print(await render(printed.pages));
      const same = [...again.pages].every(([id, p]) => printed.pages.get(id) === p);
      printed = again;
      if (same) break;
    }
    return printed;
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
