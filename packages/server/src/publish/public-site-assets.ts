import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The files the public site's pages need besides themselves: GOV.UK Frontend's CSS, the fonts and
 * images it refers to, and the app's own CSS, copied from where the app serves them (http/assets.ts).
 * The CSS refers to `/assets/fonts/…` and `/assets/images/…` (absolute, as the app serves them);
 * the copy rewrites those to paths relative to the CSS file, so the site works from file://.
 * The bytes depend only on the installed govuk-frontend and packages/web (see decision 0006).
 */
const govukDir = path.dirname(fileURLToPath(import.meta.resolve("govuk-frontend")));
// same depth below packages/ as src/http/assets.ts, so the CLI bundle resolves it too
const appDir = path.resolve(fileURLToPath(new URL("../../../web/src/assets/", import.meta.url)));

export interface SiteFile {
  /** Relative path with forward slashes, e.g. `assets/fonts/bold-b542beb274-v2.woff2`. */
  path: string;
  bytes: Buffer;
}

const IMAGES = ["favicon.ico", "favicon.svg", "govuk-crest.svg"];

export async function publicSiteAssets(): Promise<SiteFile[]> {
  const css = (await fs.readFile(path.join(govukDir, "govuk-frontend.min.css"), "utf8")).replace(/url\(\/assets\/(fonts|images)\//g, "url($1/");
  const files: SiteFile[] = [
    { path: "assets/govuk-frontend.min.css", bytes: Buffer.from(css, "utf8") },
    { path: "assets/app.css", bytes: await fs.readFile(path.join(appDir, "app.css")) },
  ];
  const fontsDir = path.join(govukDir, "assets", "fonts");
  for (const f of (await fs.readdir(fontsDir)).sort()) files.push({ path: `assets/fonts/${f}`, bytes: await fs.readFile(path.join(fontsDir, f)) });
  for (const f of IMAGES) files.push({ path: `assets/images/${f}`, bytes: await fs.readFile(path.join(govukDir, "assets", "images", f)) });
  return files;
}
