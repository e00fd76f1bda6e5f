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

export async function printHtmlToPdf(html: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const executablePath = requireChromium(env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-pdf-"));
  // loaded on the first PDF, not at start-up (every CLI command would pay for it)
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const page = await context.newPage();
    const file = path.join(dir, "report.html");
    fs.writeFileSync(file, html);
    await page.goto(`file://${file}`, { waitUntil: "load", timeout: 60_000 });
    await page.emulateMedia({ media: "print" });
    return await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
