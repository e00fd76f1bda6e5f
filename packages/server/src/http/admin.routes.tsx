import { AppError, isAppError, ORGANISATION_KINDS, ROLE_LABELS, ROLES } from "@safecity/core";
import { Hono } from "hono";
import { listAudit } from "../db/repositories/audit.repository.ts";
import type { Actor } from "../services/audit.ts";
import { createPasswordReset } from "../services/account.service.ts";
import { changeRole, createUser, listOrganisations, listUsers, type Organisation, setDisabled, type User } from "../services/user.service.ts";
import { ErrorSummary, type FieldError, Notice, ScrollTable, when } from "./components.tsx";
import { requireRecentAuth, resetLink } from "./account.routes.tsx";
import { CsrfField } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

const NOTICES: Record<string, string> = {
  role: "Role changed.",
  disabled: "Account disabled. The user has been signed out everywhere and their API tokens revoked.",
  enabled: "Account enabled.",
};

function actorOf(c: AppContext): Actor {
  return { label: c.var.user!.email, ip: c.var.deps.clientIp(c) };
}

function UsersTable(props: { users: User[]; me: User; csrf: string }) {
  return (
    <ScrollTable label="Users">
      <table class="govuk-table" data-testid="users">
        <caption class="govuk-visually-hidden">Users</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Name and email</th>
            <th scope="col" class="govuk-table__header">Organisation</th>
            <th scope="col" class="govuk-table__header">Role</th>
            <th scope="col" class="govuk-table__header">Status</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.users.map((u) => (
            <tr class="govuk-table__row" data-email={u.email}>
              <td class="govuk-table__cell app-wrap-anywhere">
                {u.name}
                <br />
                <span class="govuk-body-s">{u.email}</span>
              </td>
              <td class="govuk-table__cell app-wrap-anywhere">{u.organisation ? `${u.organisation.name} (${u.organisation.kind})` : ""}</td>
              <td class="govuk-table__cell">
                <form method="post" action={`/admin/users/${u.id}/role`} class="app-inline-form">
                  <CsrfField token={props.csrf} />
                  <label class="govuk-visually-hidden" for={`role-${u.id}`}>
                    Role for {u.email}
                  </label>
                  <select class="govuk-select" id={`role-${u.id}`} name="role">
                    {ROLES.map((r) => (
                      <option value={r} selected={u.role === r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="govuk-button govuk-button--secondary">
                    Change<span class="govuk-visually-hidden"> role for {u.email}</span>
                  </button>
                </form>
              </td>
              <td class="govuk-table__cell">
                <p class="govuk-body-s">{u.disabled ? "Disabled" : "Active"}</p>
                {u.id === props.me.id || u.disabled ? null : (
                  <form method="post" action={`/admin/users/${u.id}/reset`}>
                    <CsrfField token={props.csrf} />
                    <button type="submit" class="govuk-button govuk-button--secondary">
                      Reset link<span class="govuk-visually-hidden"> for {u.email}</span>
                    </button>
                  </form>
                )}
                {u.id === props.me.id ? null : (
                  <form method="post" action={`/admin/users/${u.id}/disabled`}>
                    <CsrfField token={props.csrf} />
                    <input type="hidden" name="disabled" value={u.disabled ? "0" : "1"} />
                    <button type="submit" class={`govuk-button ${u.disabled ? "govuk-button--secondary" : "govuk-button--warning"}`}>
                      {u.disabled ? "Enable" : "Disable"}
                      <span class="govuk-visually-hidden"> {u.email}</span>
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

interface AddForm {
  email?: string;
  name?: string;
  role?: string;
  organisation?: string;
  organisationKind?: string;
}

function AddUserForm(props: { csrf: string; values: AddForm; errors: FieldError[]; organisations: Organisation[] }) {
  const err = (field: string) => props.errors.find((e) => e.field === field);
  const group = (field: string) => `govuk-form-group${err(field) ? " govuk-form-group--error" : ""}`;
  const message = (field: string) => {
    const e = err(field);
    return e ? (
      <p class="govuk-error-message" id={`${field}-error`}>
        <span class="govuk-visually-hidden">Error:</span> {e.message}
      </p>
    ) : null;
  };
  const v = props.values;
  return (
    <form method="post" action="/admin/users" novalidate>
      <CsrfField token={props.csrf} />
      <h2 class="govuk-heading-m">Add a user</h2>
      <div class={group("email")}>
        <label class="govuk-label" for="email">
          Email address
        </label>
        {message("email")}
        <input class="govuk-input" id="email" name="email" type="email" spellcheck={false} autocomplete="off" value={v.email ?? ""} />
      </div>
      <div class={group("name")}>
        <label class="govuk-label" for="name">
          Full name
        </label>
        {message("name")}
        <input class="govuk-input" id="name" name="name" type="text" autocomplete="off" value={v.name ?? ""} />
      </div>
      <div class={group("role")}>
        <label class="govuk-label" for="role">
          Role
        </label>
        {message("role")}
        <select class="govuk-select" id="role" name="role">
          {ROLES.map((r) => (
            <option value={r} selected={(v.role ?? "viewer") === r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <div class={group("organisation")}>
        <label class="govuk-label" for="organisation">
          Organisation (optional)
        </label>
        <div class="govuk-hint" id="organisation-hint">
          An existing organisation{props.organisations.length ? ` (${props.organisations.map((o) => o.name).join(", ")})` : ""} or a new one
        </div>
        {message("organisation")}
        <input class="govuk-input" id="organisation" name="organisation" type="text" aria-describedby="organisation-hint" value={v.organisation ?? ""} />
      </div>
      <div class={group("organisationKind")}>
        <label class="govuk-label" for="organisationKind">
          Kind of organisation, if new
        </label>
        {message("organisationKind")}
        <select class="govuk-select" id="organisationKind" name="organisationKind">
          {ORGANISATION_KINDS.map((k) => (
            <option value={k} selected={(v.organisationKind ?? "council") === k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="govuk-button">
        Add user
      </button>
    </form>
  );
}

async function usersPage(
  c: AppContext,
  opts: {
    values?: AddForm;
    errors?: FieldError[];
    created?: { user: User; password: string };
    reset?: { user: User; link: string; expiresAt: string };
    status?: 200 | 400 | 409;
  } = {},
) {
  const { store } = c.var.deps;
  const [users, organisations] = await Promise.all([listUsers(store), listOrganisations(store)]);
  const notice = NOTICES[c.req.query("done") ?? ""];
  const errors = opts.errors ?? [];
  return page(
    c,
    "Users",
    <>
      <ErrorSummary errors={errors} />
      <h1 class="govuk-heading-l">Users</h1>
      <Notice text={notice} />
      {opts.created ? (
        <div class="govuk-panel govuk-panel--confirmation" data-testid="user-created">
          <h2 class="govuk-panel__title">User added</h2>
          <div class="govuk-panel__body app-wrap-anywhere">
            {opts.created.user.email}
            <br />
            Password: <strong data-testid="generated-password">{opts.created.password}</strong>
          </div>
        </div>
      ) : null}
      {opts.created ? <p class="govuk-body">Give this password to them securely. It will not be shown again.</p> : null}
      {opts.reset ? (
        <div class="govuk-panel govuk-panel--confirmation" data-testid="reset-created">
          <h2 class="govuk-panel__title">Password reset link for {opts.reset.user.email}</h2>
          <div class="govuk-panel__body app-wrap-anywhere">
            <code data-testid="reset-link">{opts.reset.link}</code>
          </div>
        </div>
      ) : null}
      {opts.reset ? (
        <p class="govuk-body">
          Give this link to them securely. It works once, until {when(opts.reset.expiresAt)}, and will not be shown again; an earlier link for them no longer works.
        </p>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href="/admin/audit">
          Audit log
        </a>
      </p>
      <UsersTable users={users} me={c.var.user!} csrf={c.var.csrfToken} />
      <AddUserForm csrf={c.var.csrfToken} values={opts.values ?? {}} errors={errors} organisations={organisations} />
    </>,
    { status: opts.status ?? 200, hasError: errors.length > 0 },
  );
}

function userId(c: AppContext): number {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id) || id <= 0) throw new AppError("user.not_found", "No such user");
  return id;
}

/** /admin/…: users (list, add, change role, disable/enable) and the audit log. Admins only. */
export function adminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/admin/*", requireRole("admin"));
  app.use("/admin", requireRole("admin"));
  // Managing users needs the password entered recently (account.routes.tsx).
  app.use("/admin/users", requireRecentAuth("/admin/users"));
  app.use("/admin/users/*", requireRecentAuth("/admin/users"));

  app.get("/admin", (c) => c.redirect("/admin/users", 303));
  app.get("/admin/users", (c) => usersPage(c));

  app.post("/admin/users", async (c) => {
    const body = await c.req.parseBody();
    const values: AddForm = {
      email: String(body.email ?? ""),
      name: String(body.name ?? ""),
      role: String(body.role ?? ""),
      organisation: String(body.organisation ?? ""),
      organisationKind: String(body.organisationKind ?? ""),
    };
    try {
      const r = await createUser(c.var.deps.store, { ...values, email: values.email ?? "", name: values.name ?? "", role: values.role ?? "" }, actorOf(c), c.var.deps.now());
      return usersPage(c, { created: { user: r.user, password: r.generatedPassword! } });
    } catch (e) {
      if (isAppError(e) && (e.code === "input.invalid" || e.code === "user.exists")) {
        const errors = e.problems.map((p) => ({ field: p.field ?? "email", message: p.message }));
        return usersPage(c, { values, errors, status: e.code === "user.exists" ? 409 : 400 });
      }
      throw e;
    }
  });

  app.post("/admin/users/:id/role", async (c) => {
    const body = await c.req.parseBody();
    await changeRole(c.var.deps.store, userId(c), String(body.role ?? ""), actorOf(c), c.var.deps.now());
    return c.redirect("/admin/users?done=role", 303);
  });

  app.post("/admin/users/:id/disabled", async (c) => {
    const body = await c.req.parseBody();
    const id = userId(c);
    if (id === c.var.user!.id) throw new AppError("input.invalid", "You cannot disable your own account.");
    const disabled = String(body.disabled) === "1";
    await setDisabled(c.var.deps.store, id, disabled, actorOf(c), c.var.deps.now());
    return c.redirect(`/admin/users?done=${disabled ? "disabled" : "enabled"}`, 303);
  });

  app.post("/admin/users/:id/reset", async (c) => {
    const id = userId(c);
    if (id === c.var.user!.id) throw new AppError("input.invalid", "Change your own password on the Your account page.");
    const r = await createPasswordReset(c.var.deps.store, id, actorOf(c), c.var.deps.now());
    return usersPage(c, { reset: { user: r.user, link: resetLink(c, r.secret), expiresAt: r.expiresAt } });
  });

  app.get("/admin/audit", async (c) => {
    const entries = await listAudit(c.var.deps.store, { limit: 200 });
    return page(
      c,
      "Audit log",
      <>
        <h1 class="govuk-heading-l">Audit log</h1>
        <p class="govuk-body">The latest {entries.length} entries, newest first.</p>
        <ScrollTable label="Audit log">
          <table class="govuk-table" data-testid="audit">
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">When</th>
                <th scope="col" class="govuk-table__header">Who</th>
                <th scope="col" class="govuk-table__header">Action</th>
                <th scope="col" class="govuk-table__header">Target</th>
                <th scope="col" class="govuk-table__header">Change</th>
                <th scope="col" class="govuk-table__header">Address</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {entries.map((e) => (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell">{when(e.at)}</td>
                  <td class="govuk-table__cell app-wrap-anywhere">{e.actor}</td>
                  <td class="govuk-table__cell">{e.action}</td>
                  <td class="govuk-table__cell app-wrap-anywhere">{e.target ?? ""}</td>
                  <td class="govuk-table__cell app-wrap-anywhere">
                    {e.before ? `${JSON.stringify(e.before)} → ` : ""}
                    {e.after ? JSON.stringify(e.after) : ""}
                  </td>
                  <td class="govuk-table__cell">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </>,
    );
  });

  return app;
}
