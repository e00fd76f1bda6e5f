import { AppError, isAppError, roleAtLeast } from "@safecity/core";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ImportJob } from "../services/import-job.service.ts";
import { type ImportDetail, importDetail, importRegister, type RegisterEntry } from "../services/import-register.service.ts";
import { referenceStatus } from "../services/reference.service.ts";
import { CodeBlock, ErrorSummary, num, ReferenceDatasetsTable, ScrollTable, when } from "./components.tsx";
import { withCsrf } from "./csrf.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { formatLimit } from "./multipart-upload.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { FileName, RegisterTable, shortFileName, Tag } from "./import-register-table.tsx";
import { SKIP_INVALID_FIELD, startUploadImport } from "./upload-import.ts";

type ReferenceRow = Awaited<ReturnType<typeof referenceStatus>>[number];

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function UploadForm(props: { csrf: string; limitBytes: number; error: string | null }) {
  const { error } = props;
  return (
    <form method="post" action={withCsrf("/data/upload", props.csrf)} enctype="multipart/form-data" novalidate data-testid="upload-form">
      <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
        <h2 class="govuk-label-wrapper">
          <label class="govuk-label govuk-label--m" for="files">
            Upload police data
          </label>
        </h2>
        <div id="files-hint" class="govuk-hint">
          Street-level crime CSV files or zip archives downloaded from data.police.uk, up to {formatLimit(props.limitBytes)} in total. Each file is
          imported whole or not at all; a month already imported for a force is replaced.
        </div>
        {error ? (
          <p id="files-error" class="govuk-error-message" data-testid="upload-error">
            <span class="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <input
          class={`govuk-file-upload${error ? " govuk-file-upload--error" : ""}`}
          id="files"
          name="files"
          type="file"
          multiple
          accept=".csv,.zip"
          data-limit-bytes={String(props.limitBytes)}
          aria-describedby={error ? "files-hint files-error" : "files-hint"}
        />
      </div>
      <div class="govuk-form-group">
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          <div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id="skip-invalid" name={SKIP_INVALID_FIELD} type="checkbox" value="yes" />
            <label class="govuk-label govuk-checkboxes__label" for="skip-invalid">
              Import the valid rows of a file that has malformed rows (otherwise such a file is rejected)
            </label>
          </div>
        </div>
      </div>
      <button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true" data-testid="upload-submit">
        Upload and import
      </button>
      <script type="module" src="/assets/app/upload-form.mjs"></script>
    </form>
  );
}

function JobsList(props: { jobs: ImportJob[] }) {
  if (!props.jobs.length) return null;
  return (
    <>
      <h2 class="govuk-heading-m">Uploads since the server started</h2>
      <ul class="govuk-list" data-testid="jobs">
        {props.jobs.slice(0, 10).map((j) => (
          <li>
            <a class="govuk-link app-wrap-anywhere" href={`/data/jobs/${j.id}`}>
              {j.uploads.map((u) => u.name).join(", ")}
            </a>{" "}
            <Tag status={j.state} /> <span class="govuk-body-s">{when(j.createdAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function ReferenceTable(props: { rows: ReferenceRow[] }) {
  if (!props.rows.length) {
    return (
      <>
        <p class="govuk-body" data-testid="reference-empty">
          No reference data installed yet. Without it, local authorities still come from LSOA names; wards, Community Safety Partnerships, populations and
          deprivation need it. An administrator installs it on the server with:
        </p>
        <CodeBlock>{"npx safecity reference install --from <dir>"}</CodeBlock>
      </>
    );
  }
  return <ReferenceDatasetsTable rows={props.rows} testId="reference" />;
}

function DataPage(props: {
  canUpload: boolean;
  uploadsEnabled: boolean;
  csrf: string;
  limitBytes: number;
  error: string | null;
  jobs: ImportJob[];
  register: RegisterEntry[];
  reference: ReferenceRow[];
}) {
  return (
    <>
      {props.error ? <ErrorSummary errors={[{ field: "files", message: props.error }]} /> : null}
      <h1 class="govuk-heading-l">Data</h1>
      {props.canUpload && props.uploadsEnabled ? <UploadForm csrf={props.csrf} limitBytes={props.limitBytes} error={props.error} /> : null}
      {props.canUpload && !props.uploadsEnabled ? (
        <p class="govuk-body" data-testid="uploads-disabled">
          Uploads are not enabled on this server. Import on the server with <code>npx safecity import &lt;zip&gt;</code>.
        </p>
      ) : null}
      {!props.canUpload ? (
        <p class="govuk-body" data-testid="upload-needs-analyst">
          Analysts and administrators can upload police data here.
        </p>
      ) : null}
      <JobsList jobs={props.jobs} />
      <h2 class="govuk-heading-m">Import register</h2>
      <RegisterTable entries={props.register} />
      <h2 class="govuk-heading-m">Reference data</h2>
      <ReferenceTable rows={props.reference} />
    </>
  );
}

async function renderDataPage(c: AppContext, error: string | null = null, status: ContentfulStatusCode = 200) {
  const jobs = c.var.deps.imports;
  const [register, reference] = await Promise.all([importRegister(c.var.deps.store), referenceStatus(c.var.deps.store)]);
  return page(
    c,
    "Data",
    <DataPage
      canUpload={roleAtLeast(c.var.user!.role, "analyst")}
      uploadsEnabled={jobs !== null}
      csrf={c.var.csrfToken}
      limitBytes={jobs?.limitBytes ?? 0}
      error={error}
      jobs={jobs?.list() ?? []}
      register={register}
      reference={reference}
    />,
    { status, hasError: error !== null },
  );
}

function JobPage(props: { job: ImportJob }) {
  const { job } = props;
  const active = job.state === "queued" || job.state === "running";
  const p = job.progress;
  return (
    <>
      <h1 class="govuk-heading-l">Import of {job.uploads.map((u) => u.name).join(", ")}</h1>
      <div data-job-id={job.id} data-job-state={job.state}>
        <dl class="govuk-summary-list" data-testid="job-summary">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">State</dt>
            <dd class="govuk-summary-list__value" data-testid="job-state" data-field="state">
              <Tag status={job.state} />
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Progress</dt>
            <dd class="govuk-summary-list__value" data-testid="job-progress" data-field="progress" aria-live="polite">
              {progressText(job)}
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Uploaded</dt>
            <dd class="govuk-summary-list__value app-wrap-anywhere">
              {job.uploads.map((u) => `${u.name} (${mb(u.bytes)})`).join(", ")} by {job.user}, {when(job.createdAt)}
            </dd>
          </div>
        </dl>
        {active ? (
          <p class="govuk-body">
            <progress class="app-progress" max={String(p.bytesTotal || 1)} value={String(p.bytesDone)} data-field="bar" aria-label="Bytes read">
              {p.bytesTotal ? `${Math.round((100 * p.bytesDone) / p.bytesTotal)}%` : ""}
            </progress>
          </p>
        ) : null}
        {active ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`/data/jobs/${job.id}`} data-testid="job-refresh">
              Refresh this page
            </a>{" "}
            to see the latest progress. <span data-field="refresh-note">Without JavaScript this page does not update by itself.</span>
          </p>
        ) : null}
      </div>
      {job.error ? (
        <div class="govuk-error-summary" data-testid="job-error">
          <div role="alert">
            <h2 class="govuk-error-summary__title">The import failed</h2>
            <div class="govuk-error-summary__body">
              <p class="govuk-body app-wrap-anywhere">{job.error.message}</p>
            </div>
          </div>
        </div>
      ) : null}
      {job.report ? <JobReport job={job} /> : null}
      <p class="govuk-body">
        <a class="govuk-link" href="/data">
          Back to Data
        </a>
      </p>
      <script type="module" src="/assets/app/import-job.mjs"></script>
    </>
  );
}

function progressText(job: ImportJob): string {
  const p = job.progress;
  if (job.state === "queued") return "Waiting for the previous upload to finish";
  if (job.state === "running" && !p.fileCount) return "Opening the files";
  const files = `${num(Math.min(p.fileIndex + (job.state === "running" ? 1 : 0), p.fileCount))} of ${num(p.fileCount)} file${p.fileCount === 1 ? "" : "s"}`;
  return `${files}, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)} read, ${num(p.rows)} rows${job.state === "running" && p.file ? ` (now ${shortFileName(p.file).file})` : ""}`;
}

function JobReport(props: { job: ImportJob }) {
  const r = props.job.report!;
  const statuses = Object.entries(r.totals.byStatus)
    .map(([s, n]) => `${num(n)} ${s}`)
    .join(", ");
  return (
    <>
      <h2 class="govuk-heading-m">Report</h2>
      <p class="govuk-body" data-testid="job-totals">
        {num(r.totals.files)} file{r.totals.files === 1 ? "" : "s"}: {statuses || "none"}. {num(r.totals.rows)} rows imported in {(r.elapsedMs / 1000).toFixed(1)} s.
      </p>
      {r.ignored.length ? <p class="govuk-body app-wrap-anywhere">Not police.uk CSV files, ignored: {r.ignored.map((i) => shortFileName(i).file).join(", ")}</p> : null}
      <ScrollTable label="Files in this upload">
        <table class="govuk-table" data-testid="job-files">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">File</th>
              <th scope="col" class="govuk-table__header">Status</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rejected</th>
              <th scope="col" class="govuk-table__header">Notes</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {r.files.map((f) => (
              <tr class="govuk-table__row" data-status={f.status}>
                <td class="govuk-table__cell app-wrap-anywhere">
                  <FileName name={f.file} />
                </td>
                <td class="govuk-table__cell">
                  <Tag status={f.status} />
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{num(f.rows)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{num(f.rejectedRows)}</td>
                <td class="govuk-table__cell app-wrap-anywhere">
                  {f.message ?? ""}
                  {f.importId !== null && (f.status === "rejected" || f.status === "failed") ? (
                    <>
                      {" "}
                      <a class="govuk-link" href={`/data/imports/${f.importId}`}>
                        See the {num(f.errorCount)} problem{f.errorCount === 1 ? "" : "s"}
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}

function ImportPage(props: { d: ImportDetail }) {
  const e = props.d.import;
  const listed = props.d.problems.length;
  return (
    <>
      <h1 class="govuk-heading-l app-wrap-anywhere">Import {e.id}: {shortFileName(e.fileName).file}</h1>
      <dl class="govuk-summary-list" data-testid="import-summary">
        {(
          [
            ["File", <FileName name={e.fileName} />],
            ["Status", <Tag status={e.status} />],
            ["Force", e.force ?? ""],
            ["Month", e.month ?? ""],
            ["Rows", num(e.rows)],
            ["Rejected rows", num(e.rejectedRows)],
            ["Rows with no location", num(e.noLocationRows)],
            ["Started", when(e.startedAt)],
            ["Finished", when(e.finishedAt)],
            ["By", e.importedBy],
            ["SHA-256", e.sha256],
            ["Outcome", props.d.summary ?? ""],
          ] as const
        ).map(([k, v]) => (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">{k}</dt>
            <dd class="govuk-summary-list__value app-wrap-anywhere">{v}</dd>
          </div>
        ))}
      </dl>
      {listed ? (
        <>
          <h2 class="govuk-heading-m">Problems</h2>
          <p class="govuk-body">
            {e.rejectedRows > listed
              ? `The first ${num(listed)} problems of ${num(e.rejectedRows)} malformed rows.`
              : `${num(listed)} problem${listed === 1 ? "" : "s"}.`}{" "}
            Line numbers count the header as line 1.
          </p>
          {e.status === "rejected" ? (
            <p class="govuk-body" data-testid="skip-invalid-hint">
              Fix these lines and upload the file again, or upload it with "Import the valid rows of a file that has malformed rows" ticked to
              import the other rows.
            </p>
          ) : null}
          <ScrollTable label="Problems">
            <table class="govuk-table" data-testid="problems">
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">Line</th>
                  <th scope="col" class="govuk-table__header">Problem</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {props.d.problems.map((p) => (
                  <tr class="govuk-table__row">
                    <td class="govuk-table__cell govuk-table__cell--numeric">{p.line === null ? "–" : String(p.line)}</td>
                    <td class="govuk-table__cell app-wrap-anywhere">{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
      <p class="govuk-body">
        <a class="govuk-link" href="/data">
          Back to Data
        </a>
      </p>
    </>
  );
}

/**
 * The Data page: upload police.uk files (analysts and admins), live progress of the background
 * import, the import register with each rejected file's problems, and reference data status.
 */
export function dataRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/data", requireRole("viewer"), (c) => renderDataPage(c));
  app.post("/data/upload", requireRole("analyst"), async (c) => {
    try {
      const job = await startUploadImport(c);
      return c.redirect(`/data/jobs/${job.id}`, 303);
    } catch (e) {
      if (!isAppError(e) || !e.code.startsWith("upload.")) throw e;
      return renderDataPage(c, e.hint ? `${e.message} ${e.hint}` : e.message, httpStatusFor(e.code));
    }
  });
  app.get("/data/jobs/:id", requireRole("viewer"), (c) => {
    const job = c.var.deps.imports?.get(c.req.param("id"));
    if (!job) throw new AppError("import.not_found", "There is no such upload. Uploads are remembered until the server restarts; the import register below lists every import.");
    return page(c, `Import of ${job.uploads.map((u) => u.name).join(", ")}`, <JobPage job={job} />);
  });
  app.get("/data/imports/:id", requireRole("viewer"), async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isInteger(id) || id <= 0) throw new AppError("import.not_found", `There is no import \`${c.req.param("id")}\` in the register.`);
    return page(c, `Import ${id}`, <ImportPage d={await importDetail(c.var.deps.store, id)} />);
  });
  return app;
}
