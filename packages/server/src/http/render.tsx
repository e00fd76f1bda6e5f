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
    <Layout title={title} user={c.var.user} csrfToken={c.var.csrfToken} path={c.req.path} hasError={opts.hasError ?? false} demo={c.var.demo ?? false}>
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}
