import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppContext } from "./env.ts";
import { Layout } from "./layout.tsx";

/**
 * Renders a full page in the layout: `return page(c, "Users", <UsersTable … />)`.
 * hono/jsx escapes every interpolated value; never use `raw()` with data.
 */
export function page(c: AppContext, title: string, body: Child, opts: { status?: ContentfulStatusCode; hasError?: boolean } = {}) {
  return c.html(
    <Layout
      title={title}
      user={c.var.user}
      csrfToken={c.var.csrfToken}
      path={c.req.path}
      hasError={opts.hasError ?? false}
      demo={c.var.demo ?? false}
      areaSearch={areaSearch(c)}
    >
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}

/** `?area=…&from=…&to=…` when the page was asked for an area (capped lengths), else "". */
function areaSearch(c: AppContext): string {
  const area = (c.req.query("area") ?? "").trim();
  if (!area || area.length > 200) return "";
  const p = new URLSearchParams({ area });
  for (const key of ["from", "to"] as const) {
    const v = (c.req.query(key) ?? "").trim();
    if (/^\d{4}-\d{2}$/.test(v)) p.set(key, v);
  }
  return `?${p.toString()}`;
}
