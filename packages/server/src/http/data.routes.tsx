import { AppError, isAppError, roleAtLeast } from "@safecity/core";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { dataQualityReport } from "../services/data-quality.service.ts";
import type { ImportJob } from "../services/import-job.service.ts";
import { type ImportDetail, importDetail, importRegisterPage, REGISTER_PAGE_SIZE, type RegisterPage } from "../services/import-register.service.ts";
import { undoImport } from "../services/import-undo.service.ts";
import { referenceStatus } from "../services/reference.service.ts";
import { CodeBlock, ErrorSummary, Notice, num, ReferenceDatasetsTable, ScrollTable, when } from "./components.tsx";
import { CsrfField, withCsrf } from "./csrf.tsx";
import { DataQualitySection } from "./data-quality-section.tsx";
import type { AppContext, AppEnv } from "./env.ts";
import { httpStatusFor } from "./error-status.ts";
import { formatLimit } from "./multipart-upload.ts";
import { page } from "./render.tsx";
import { requireRole } from "./require-role.ts";
import { FileName, RegisterTable, shortFileName, Tag } from "./import-register-table.tsx";
import { Pagination } from "./pagination.tsx";
import { SKIP_INVALID_FIELD, startUploadImport, uploadJobs } from "./upload-import.ts";

type ReferenceRow = Awaited<ReturnType<typeof referenceStatus>>[number];

function importIdParam(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id <= 0) throw new AppError("import.not_found", `There is no import \`${text}\` in the register.`);
  return id;
}

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
          imported whole or not at all; a month already imported for a force is replaced (you are asked to confirm when the new file has under half its
          rows, and the replaced version is kept).
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
      <h2 class="govuk-heading-m">Recent uploads</h2>
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

const NOTICES: Record<string, string> = {
  discarded: "The interrupted upload was discarded. Files it imported before the interruption stay in the register.",
  undone: "The import was undone: the version it replaced is current again. Its rows are kept: Undo on the restored import puts them back.",
};

/** Resume and discard buttons for an interrupted job (analysts and administrators). */
function InterruptedActions(props: { job: ImportJob; csrf: string }) {
  const { job } = props;
  const names = job.uploads.map((u) => u.name).join(", ");
  return (
    <div class="govuk-button-group">
      {job.resumable ? (
        <form method="post" action={`/data/jobs/${job.id}/resume`}>
          <CsrfField token={props.csrf} />
          <button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true" data-testid={`resume-${job.id}`}>
            Resume<span class="govuk-visually-hidden"> the import of {names}</span>
          </button>
        </form>
      ) : null}
      <form method="post" action={`/data/jobs/${job.id}/discard`}>
        <CsrfField token={props.csrf} />
        <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" data-testid={`discard-${job.id}`}>
          Discard<span class="govuk-visually-hidden"> the upload of {names}</span>
        </button>
      </form>
    </div>
  );
}

/** Uploads a stopped server left unfinished: say so, and offer to resume or discard each. */
function InterruptedJobs(props: { jobs: ImportJob[]; canAct: boolean; csrf: string }) {
  if (!props.jobs.length) return null;
  return (
    <section class="govuk-notification-banner" aria-labelledby="interrupted-title" data-testid="interrupted-jobs">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="interrupted-title">
          Important
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">
          {props.jobs.length === 1 ? "An upload was" : `${props.jobs.length} uploads were`} interrupted when the server stopped.
        </p>
        <p class="govuk-body">
          Files imported before the stop are kept; the file being imported was rolled back. Resuming imports the rest from the kept upload (files already
          imported are skipped).
        </p>
        <ul class="govuk-list">
          {props.jobs.map((j) => (
            <li data-testid={`interrupted-${j.id}`}>
              <a class="govuk-link app-wrap-anywhere" href={`/data/jobs/${j.id}`}>
                {j.uploads.map((u) => u.name).join(", ")}
              </a>{" "}
              <span class="govuk-body-s">
                uploaded by {j.user}, {when(j.createdAt)}
                {j.resumable ? "" : "; its files are no longer on the server, so it cannot be resumed"}
              </span>
              {props.canAct ? <InterruptedActions job={j} csrf={props.csrf} /> : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
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
  notice: string | undefined;
  jobs: ImportJob[];
  interrupted: ImportJob[];
  register: RegisterPage;
  reference: ReferenceRow[];
  quality: Awaited<ReturnType<typeof dataQualityReport>>;
}) {
  const r = props.register;
  return (
    <>
      {props.error ? <ErrorSummary errors={[{ field: "files", message: props.error }]} /> : null}
      <Notice text={props.notice} />
      <h1 class="govuk-heading-l">Data</h1>
      <InterruptedJobs jobs={props.interrupted} canAct={props.canUpload && props.uploadsEnabled} csrf={props.csrf} />
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
      <h2 class="govuk-heading-m" id="register">
        Import register
      </h2>
      {r.pages > 1 ? (
        <p class="govuk-body" data-testid="register-range">
          Entries {num((r.page - 1) * REGISTER_PAGE_SIZE + 1)} to {num((r.page - 1) * REGISTER_PAGE_SIZE + r.entries.length)} of {num(r.total)}, most recent first.
        </p>
      ) : null}
      <RegisterTable entries={r.entries} undo={props.canUpload ? { csrf: props.csrf } : undefined} />
      <Pagination page={r.page} pages={r.pages} href={(n) => `/data?page=${n}#register`} label="Import register pages" testId="register-pages" />
      <DataQualitySection report={props.quality} />
      <h2 class="govuk-heading-m">Reference data</h2>
      <ReferenceTable rows={props.reference} />
    </>
  );
}

async function renderDataPage(c: AppContext, error: string | null = null, status: ContentfulStatusCode = 200) {
  const jobs = c.var.deps.imports;
  const [register, reference, recent, interrupted, quality] = await Promise.all([
    importRegisterPage(c.var.deps.store, Number(c.req.query("page") ?? 1)),
    referenceStatus(c.var.deps.store),
    jobs?.list() ?? [],
    jobs?.interrupted() ?? [],
    dataQualityReport(c.var.deps.store),
  ]);
  return page(
    c,
    "Data",
    <DataPage
      canUpload={roleAtLeast(c.var.user!.role, "analyst")}
      uploadsEnabled={jobs !== null}
      csrf={c.var.csrfToken}
      limitBytes={jobs?.limitBytes ?? 0}
      error={error}
      notice={NOTICES[c.req.query("done") ?? ""]}
      jobs={recent}
      interrupted={interrupted}
      register={register}
      reference={reference}
      quality={quality}
    />,
    { status, hasError: error !== null },
  );
}

function JobPage(props: { job: ImportJob; canAct: boolean; csrf: string }) {
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
      {job.state === "interrupted" ? (
        <section class="govuk-notification-banner" aria-labelledby="interrupted-title" data-testid="job-interrupted">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="interrupted-title">
              Important
            </h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">This import was interrupted when the server stopped.</p>
            <p class="govuk-body">
              {job.resumable
                ? "Files imported before the stop are kept; the file being imported was rolled back. Resume to import the rest from the kept upload (files already imported are skipped), or discard it."
                : "Files imported before the stop are kept. The uploaded files are no longer on the server, so it cannot be resumed: discard it and upload the files again."}
            </p>
            {props.canAct ? <InterruptedActions job={job} csrf={props.csrf} /> : null}
          </div>
        </section>
      ) : null}
      {job.error && job.state !== "interrupted" ? (
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
      {job.report ? <RefusedFiles job={job} canAct={props.canAct} csrf={props.csrf} /> : null}
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

/** Files refused as short replacements: the counts, and "Replace anyway" (analysts and administrators). */
function RefusedFiles(props: { job: ImportJob; canAct: boolean; csrf: string }) {
  const refused = props.job.report!.files.filter((f) => f.status === "refused");
  if (!refused.length) return null;
  return (
    <div class="govuk-warning-text" data-testid="refused-files">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <div class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {refused.length === 1 ? "This file was" : `${refused.length} files were`} not imported: each has under half the rows of the month it would replace.
        <ul class="govuk-list govuk-list--bullet">
          {refused.map((f) => (
            <li data-testid="refused-file">
              {shortFileName(f.file).file}: {num(f.rows)} rows would replace {num(f.replacing?.rows ?? 0)} rows (import {f.replacing?.importId}) for {f.force}{" "}
              {f.month}
            </li>
          ))}
        </ul>
        {props.canAct && props.job.replaceable ? (
          <form method="post" action={`/data/jobs/${props.job.id}/replace`}>
            <CsrfField token={props.csrf} />
            <p class="govuk-body">If the files are right, replace anyway: the replaced versions are kept, and Undo in the import register restores them.</p>
            <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" data-prevent-double-click="true" data-testid="replace-anyway">
              Replace anyway
            </button>
          </form>
        ) : null}
        {props.canAct && !props.job.replaceable ? <p class="govuk-body">The uploaded files are no longer on the server: upload them again to replace.</p> : null}
      </div>
    </div>
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
  app.get("/data/jobs/:id", requireRole("viewer"), async (c) => {
    const job = await c.var.deps.imports?.get(c.req.param("id"));
    if (!job) throw new AppError("import.not_found", "There is no such upload. The Data page's import register lists every import.");
    const canAct = roleAtLeast(c.var.user!.role, "analyst") && c.var.deps.imports !== null;
    return page(c, `Import of ${job.uploads.map((u) => u.name).join(", ")}`, <JobPage job={job} canAct={canAct} csrf={c.var.csrfToken} />);
  });
  app.post("/data/jobs/:id/resume", requireRole("analyst"), async (c) => {
    const job = await uploadJobs(c).resume(c.req.param("id"));
    return c.redirect(`/data/jobs/${job.id}`, 303);
  });
  app.post("/data/jobs/:id/discard", requireRole("analyst"), async (c) => {
    await uploadJobs(c).discardInterrupted(c.req.param("id"));
    return c.redirect("/data?done=discarded", 303);
  });
  app.post("/data/jobs/:id/replace", requireRole("analyst"), async (c) => {
    const job = await uploadJobs(c).replaceAnyway(c.req.param("id"));
    return c.redirect(`/data/jobs/${job.id}`, 303);
  });
  app.post("/data/imports/:id/undo", requireRole("analyst"), async (c) => {
    await undoImport(c.var.deps.store, importIdParam(c.req.param("id")), { label: c.var.user!.email, ip: c.var.deps.clientIp(c) }, c.var.deps.now());
    return c.redirect("/data?done=undone#register", 303);
  });
  app.get("/data/imports/:id", requireRole("viewer"), async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isInteger(id) || id <= 0) throw new AppError("import.not_found", `There is no import \`${c.req.param("id")}\` in the register.`);
    return page(c, `Import ${id}`, <ImportPage d={await importDetail(c.var.deps.store, id)} />);
  });
  return app;
}
