import { num, ScrollTable, when } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";
import { displayFileName, type RegisterEntry } from "../services/import-register.service.ts";

/** The import register as a table (the data page lists it all, the status page the last few). */

const STATUS_TAG: Record<string, string> = {
  imported: "govuk-tag--green",
  replaced: "govuk-tag--green",
  superseded: "govuk-tag--grey",
  refused: "govuk-tag--orange",
  "already imported": "govuk-tag--grey",
  running: "govuk-tag--blue",
  queued: "govuk-tag--blue",
  finished: "govuk-tag--green",
  rejected: "govuk-tag--red",
  failed: "govuk-tag--red",
  interrupted: "govuk-tag--orange",
  "not yet supported": "govuk-tag--yellow",
};

export function Tag(props: { status: string }) {
  return <strong class={`govuk-tag ${STATUS_TAG[props.status] ?? "govuk-tag--grey"}`}>{props.status}</strong>;
}

/** `…/hampshire-2025.zip:2025-12/2025-12-hampshire-street.csv` → archive and file names without folders. */
export function shortFileName(name: string): { file: string; archive: string | null } {
  // Names come from the register service without server folders (displayFileName); inside an
  // archive the entry's folder is dropped. An uploaded file's own name is shown whole, even with a slash.
  const zip = /^(.*\.zip):(.*)$/i.exec(name);
  const entry = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  return zip ? { archive: displayFileName(zip[1]!), file: entry(zip[2]!) } : { archive: null, file: displayFileName(name) };
}

export function FileName(props: { name: string }) {
  const s = shortFileName(props.name);
  return (
    <>
      {s.file}
      {s.archive ? <span class="govuk-body-s app-block">from {s.archive}</span> : null}
    </>
  );
}

/**
 * Undo of an import that replaced a force-month (analysts and administrators; decision 0017): the
 * version it replaced becomes current again and its own rows are kept.
 */
function UndoButton(props: { entry: RegisterEntry; csrf: string }) {
  const e = props.entry;
  return (
    <form method="post" action={`/data/imports/${e.id}/undo`} class="app-inline-form">
      <CsrfField token={props.csrf} />
      <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" data-testid={`undo-${e.id}`}>
        Undo<span class="govuk-visually-hidden"> import {e.id} and restore import {e.replacedImportId}</span>
      </button>
    </form>
  );
}

/** `undo`: the signed-in analyst's CSRF token, to show Undo on imports that replaced a version. */
export function RegisterTable(props: { entries: RegisterEntry[]; testId?: string; undo?: { csrf: string } }) {
  if (!props.entries.length) {
    return (
      <p class="govuk-body" data-testid="register-empty">
        Nothing has been imported yet.
      </p>
    );
  }
  return (
    <ScrollTable label="Import register">
      <table class="govuk-table" data-testid={props.testId ?? "register"}>
        <caption class="govuk-table__caption govuk-visually-hidden">Import register, most recent first</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Id</th>
            <th scope="col" class="govuk-table__header">File</th>
            <th scope="col" class="govuk-table__header">Force</th>
            <th scope="col" class="govuk-table__header">Month</th>
            <th scope="col" class="govuk-table__header">Status</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th>
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">Rejected</th>
            <th scope="col" class="govuk-table__header">Finished</th>
            <th scope="col" class="govuk-table__header">By</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {props.entries.map((r) => (
            <tr class="govuk-table__row" data-status={r.status}>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/data/imports/${r.id}`}>
                  {r.id}
                  <span class="govuk-visually-hidden"> details</span>
                </a>
              </td>
              <td class="govuk-table__cell app-wrap-anywhere" title={r.fileName}>
                <FileName name={r.fileName} />
              </td>
              <td class="govuk-table__cell">{r.force ?? ""}</td>
              <td class="govuk-table__cell app-nowrap">{r.month ?? ""}</td>
              <td class="govuk-table__cell">
                <Tag status={r.status} />
                {r.demo ? " " : null}
                {r.demo ? (
                  <strong class="govuk-tag govuk-tag--purple" data-testid="demo-import">
                    demo
                  </strong>
                ) : null}
                {props.undo && r.status === "imported" && r.replacedImportId !== null ? <UndoButton entry={r} csrf={props.undo.csrf} /> : null}
              </td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{num(r.rows)}</td>
              <td class="govuk-table__cell govuk-table__cell--numeric">{num(r.rejectedRows)}</td>
              <td class="govuk-table__cell">{when(r.finishedAt)}</td>
              <td class="govuk-table__cell app-wrap-anywhere">{r.importedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

