import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";

/**
 * Static files, public (no sign-in):
 *   /assets/govuk/…               govuk-frontend dist (css, js)
 *   /assets/fonts|images/…, /assets/manifest.json   govuk-frontend's assets (the CSS refers to /assets/fonts)
 *   /assets/app/…                 our own browser files (packages/web/src/assets)
 *   /assets/leaflet/…             leaflet's dist (the map island)
 *   /assets/vega|vega-lite|vega-embed/…   their build folders (UMD .min.js, the chart island)
 */
const govukDir = path.dirname(fileURLToPath(import.meta.resolve("govuk-frontend")));
const appDir = path.resolve(fileURLToPath(new URL("../../../web/src/assets/", import.meta.url)));
const leafletDir = path.dirname(createRequire(import.meta.url).resolve("leaflet/dist/leaflet.css"));
const buildDir = (pkg: string) => path.dirname(fileURLToPath(import.meta.resolve(pkg)));

const MOUNTS: [prefix: string, dir: string][] = [
  ["/assets/govuk/", govukDir],
  ["/assets/app/", appDir],
  ["/assets/leaflet/", leafletDir],
  ["/assets/vega/", buildDir("vega")],
  ["/assets/vega-lite/", buildDir("vega-lite")],
  ["/assets/vega-embed/", buildDir("vega-embed")],
  ["/assets/", path.join(govukDir, "assets")],
];

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

export function assetRoutes(): Hono {
  const app = new Hono();
  app.get("/assets/*", async (c) => {
    const p = decodeURIComponent(c.req.path);
    for (const [prefix, dir] of MOUNTS) {
      if (!p.startsWith(prefix)) continue;
      const file = path.resolve(dir, `.${p.slice(prefix.length - 1)}`);
      const type = TYPES[path.extname(file)];
      if (!type || !file.startsWith(dir + path.sep)) return c.notFound();
      try {
        const body = await fs.readFile(file);
        return c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=3600" });
      } catch {
        // not in this mount; try the next
      }
    }
    return c.notFound();
  });
  return app;
}
