import { AREA_LEVEL_NAMES, AREA_LEVELS, type AreaLevel, roleAtLeast } from "@safecity/core";
import { Hono } from "hono";
import { type LoadedSummary, loadedSummary } from "../db/repositories/status.repository.ts";
import { type DemoState, demoState } from "../services/demo.service.ts";
import { importRegister, type RegisterEntry } from "../services/import-register.service.ts";
import { CodeBlock, num, ReferenceDatasetsTable } from "./components.tsx";
import { DemoPanel } from "./demo-panel.tsx";
import { RegisterTable } from "./import-register-table.tsx";
import type { AppEnv } from "./env.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";

function areaLevelLabel(level: string, count: number): string {
  const name = AREA_LEVEL_NAMES[level as AreaLevel] ?? level;
  const plurals: Record<string, string> = { lsoa: "LSOAs", lad: "local authorities" };
  const plural = count === 1 ? name : (plurals[level] ?? `${name}s`);
  return `${num(count)} ${plural}`;
}

function StatusPage(props: { s: LoadedSummary; recent: RegisterEntry[]; uploads: boolean; demo: { state: DemoState; isAdmin: boolean; csrf: string; done: string | undefined } }) {
  const { s } = props;
  const areas = s.areasByLevel.reduce((t, a) => t + a.count, 0);
  return (
    <>
      <h1 class="govuk-heading-l">What is loaded</h1>
      <DemoPanel {...props.demo} />
      <dl class="govuk-summary-list" data-testid="loaded-summary">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Incident rows</dt>
          <dd class="govuk-summary-list__value" data-testid="incident-rows">
            {num(s.incidentRows)}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Months covered</dt>
          <dd class="govuk-summary-list__value" data-testid="months">
            {s.months.count ? `${s.months.first} to ${s.months.last} (${num(s.months.count)} month${s.months.count === 1 ? "" : "s"})` : "None yet"}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Forces</dt>
          <dd class="govuk-summary-list__value app-wrap-anywhere" data-testid="forces">
            {s.forces.length ? s.forces.map((f) => f.name ?? f.slug).join(", ") : "None yet"}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Areas</dt>
          <dd class="govuk-summary-list__value" data-testid="areas">
            {areas ? (
              <ul class="govuk-list">
                {[...s.areasByLevel]
                  .sort((a, b) => AREA_LEVELS.indexOf(b.level as AreaLevel) - AREA_LEVELS.indexOf(a.level as AreaLevel))
                  .map((a) => (
                    <li>{areaLevelLabel(a.level, a.count)}</li>
                  ))}
              </ul>
            ) : (
              "None yet (install reference data)"
            )}
          </dd>
        </div>
      </dl>

      <h2 class="govuk-heading-m">Last imports</h2>
      {props.recent.length ? (
        <RegisterTable entries={props.recent} testId="recent-imports" />
      ) : (
        <p class="govuk-body" data-testid="no-imports">
          No police data imported yet.
        </p>
      )}

      <h2 class="govuk-heading-m">Reference data</h2>
      {s.referenceDatasets.length ? (
        <details class="govuk-details">
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text" data-testid="reference-count">
              {num(s.referenceDatasets.length)} reference dataset{s.referenceDatasets.length === 1 ? "" : "s"} installed
            </span>
          </summary>
          <div class="govuk-details__text">
            <ReferenceDatasetsTable rows={s.referenceDatasets} testId="reference-datasets" />
          </div>
        </details>
      ) : (
        <p class="govuk-body">No reference data installed yet. Without it, local authorities still come from LSOA names.</p>
      )}

      <h2 class="govuk-heading-m">How to load data</h2>
      {props.uploads ? (
        <p class="govuk-body" data-testid="status-upload-link">
          <a class="govuk-link" href="/data#files">
            Upload street-level crime files on the Data page
          </a>{" "}
          (analysts and administrators; zips or CSV files from <a class="govuk-link" href="https://data.police.uk/data/">data.police.uk</a>). On the server, the
          same files can be fetched or imported with:
        </p>
      ) : (
        <p class="govuk-body">
          Street-level crime files from <a class="govuk-link" href="https://data.police.uk/data/">data.police.uk</a> (this server takes no uploads; on the server):
        </p>
      )}
      <CodeBlock>{"npx safecity fetch police --force <force>"}</CodeBlock>
      <CodeBlock>{"npx safecity import <zip>"}</CodeBlock>
      <p class="govuk-body">Geography lookups, populations, deprivation and ONS recorded-crime tables:</p>
      <CodeBlock>{"npx safecity reference install --from <dir>"}</CodeBlock>
    </>
  );
}

/** GET / (status page). Any signed-in role. The JSON twins are in the API registry (api.routes.ts). */
export function statusRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", requireRole("viewer"), async (c) => {
    const store = c.var.deps.store;
    const demo = { state: await demoState(store), isAdmin: c.var.user?.role === "admin", csrf: c.var.csrfToken, done: c.req.query("demo") };
    const uploads = !!c.var.deps.imports && roleAtLeast(c.var.user!.role, "analyst");
    return page(
      c,
      "What is loaded",
      <StatusPage s={await loadedSummary(store, { recentImports: 0 })} recent={await importRegister(store, { limit: 10 })} uploads={uploads} demo={demo} />,
    );
  });
  return app;
}
