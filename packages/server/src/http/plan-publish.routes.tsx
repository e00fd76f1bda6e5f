import fs from "node:fs";
import path from "node:path";
import { type Plan, PLAN_STATE_LABELS } from "@safecity/core";
import { Hono } from "hono";
import { PUBLISHABLE_STATES } from "../publish/public-site-model.ts";
import { publishPlan } from "../services/publication.service.ts";
import { when } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import type { AppEnv } from "./env.ts";
import { SummaryList } from "./plan-components.tsx";
import { idParam } from "./plan-route-kit.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

/**
 * The admin's "Publish the public website" button on an approved plan's page: POST
 * /plans/:id/publish (admin, CSRF-checked by the app) writes the static site to
 * `<SAFECITY_PUBLISH_DIR>/plan-<id>` (an earlier site there is replaced whole) and records the
 * publication, as `safecity publish --plan <id>` does. Refused with the reason when the folder is
 * not configured or the plan is not approved.
 */

/** Where plan `planId`'s site goes under the configured folder. */
export function publishFolder(publishDir: string, planId: number): string {
  return path.join(publishDir, `plan-${planId}`);
}

export function PublishSiteForm(props: { plan: Plan; csrf: string; publishDir: string | null }) {
  const { plan } = props;
  const publishable = PUBLISHABLE_STATES.includes(plan.state);
  return (
    <section class="govuk-!-margin-bottom-6" aria-labelledby="public-site-title" data-testid="publish-site">
      <h2 class="govuk-heading-m" id="public-site-title">
        Public website
      </h2>
      {!publishable ? (
        <p class="govuk-body">
          The plan is {(PLAN_STATE_LABELS[plan.state] ?? plan.state).toLowerCase()}: it can be published as a public website once Full Council has approved it.
        </p>
      ) : props.publishDir === null ? (
        <p class="govuk-body" data-testid="publish-not-configured">
          Publishing from the browser is not configured: set <code>SAFECITY_PUBLISH_DIR</code> to the folder the web server publishes from and restart, or run{" "}
          <code>safecity publish --plan {plan.id} --out &lt;folder&gt;</code>.
        </p>
      ) : (
        <form method="post" action={`/plans/${plan.id}/publish`}>
          <CsrfField token={props.csrf} />
          <p class="govuk-body">
            Writes the approved plan as a static website (priorities, actions, targets, the assessment's key messages and charts, the map of priority areas, grants, the
            decision record and open data) to <code>{publishFolder(props.publishDir, plan.id)}</code>, replacing the site there, and records the publication.
          </p>
          <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-testid="publish-site-button">
            Publish the public website
          </button>
        </form>
      )}
    </section>
  );
}

export function planPublishRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/plans/:id/publish", requireRole("admin"), async (c) => {
    const planId = idParam(c, "id", "plan");
    const dir = c.var.deps.publishDir;
    if (dir === null)
      return page(
        c,
        "Publishing is not configured",
        <>
          <h1 class="govuk-heading-l">Publishing is not configured</h1>
          <p class="govuk-body" data-testid="publish-not-configured">
            Nothing was published: no folder is set to publish to. Set <code>SAFECITY_PUBLISH_DIR</code> to the folder the web server publishes from and restart Safe City, or run{" "}
            <code>safecity publish --plan {planId} --out &lt;folder&gt;</code>.
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href={`/plans/${planId}`}>
              Back to the plan
            </a>
          </p>
        </>,
        { status: 409 },
      );
    const user = c.var.user!;
    fs.mkdirSync(dir, { recursive: true }); // config checked that it or its parent exists
    const r = await publishPlan(c.var.deps.store, planId, { outDir: publishFolder(dir, planId), actor: { label: user.email, ip: c.var.deps.clientIp(c) }, now: c.var.deps.now() });
    const p = r.publication;
    return page(
      c,
      "Public website published",
      <>
        <div class="govuk-panel govuk-panel--confirmation" data-testid="published">
          <h1 class="govuk-panel__title">Public website published</h1>
          <div class="govuk-panel__body">Publication {p.number} of this plan</div>
        </div>
        <SummaryList
          rows={[
            ["Publication id", String(p.id)],
            ["Plan version", String(p.planVersion)],
            ["Published", when(p.publishedAt)],
            ["By", p.publishedBy],
            ["Folder", <code>{p.outputDir}</code>],
            ["Files", `${r.files} (${r.bytes.toLocaleString("en-GB")} bytes)`],
            ["Content sha256", <code class="app-wrap-anywhere">{p.contentSha256}</code>],
          ]}
        />
        <p class="govuk-body">
          Rebuild this version later, byte for byte, with <code>safecity publish --republish {p.id} --out &lt;folder&gt;</code>.
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={`/plans/${planId}`}>
            Back to the plan
          </a>
        </p>
      </>,
    );
  });
  return app;
}
