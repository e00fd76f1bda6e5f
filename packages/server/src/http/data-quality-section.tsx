import type { DataQualityReport, QualityFinding } from "@safecity/core";

/**
 * The Data page's "Data quality" section (decision 0016): each force-month flagged as unusual, with
 * every finding saying what, where and how unusual, then the notes (missing months). Findings come
 * from the roll-up, so the section is the same as `safecity import`'s report and the analyses' warning.
 */
export function DataQualitySection(props: { report: DataQualityReport }) {
  const { report } = props;
  const unusual = report.findings.filter((f) => f.severity === "unusual");
  const notes = report.findings.filter((f) => f.severity === "note");
  const groups = new Map<string, QualityFinding[]>();
  for (const f of unusual) {
    const k = `${f.force} ${f.month}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return (
    <section aria-labelledby="data-quality-title" data-testid="data-quality">
      <h2 class="govuk-heading-m" id="data-quality-title">
        Data quality
      </h2>
      <p class="govuk-body">
        Each force's months are checked against its previous 12 months: a total or crime type far outside its usual range (1.5 times beyond it, and
        beyond chance), an unusual share of rows without a location, without an LSOA, or outside the force area. Analyses that include a flagged month
        say so, and their key messages do not call a change over it significant. Crime IDs repeated across months are checked at each import.
      </p>
      {groups.size === 0 ? (
        <p class="govuk-body" data-testid="data-quality-none">
          No month is flagged as unusual.
        </p>
      ) : (
        [...groups].map(([key, findings]) => (
          <div class="govuk-warning-text" data-testid="data-quality-flag" data-force-month={key}>
            <span class="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <div class="govuk-warning-text__text">
              <span class="govuk-visually-hidden">Warning</span>
              <strong>
                {findings[0]!.force} {findings[0]!.month}: flagged as unusual ({findings.length} finding{findings.length === 1 ? "" : "s"})
              </strong>
              <ul class="govuk-list govuk-list--bullet">
                {findings.map((f) => (
                  <li data-testid="data-quality-finding">{f.text}</li>
                ))}
              </ul>
            </div>
          </div>
        ))
      )}
      {notes.length ? (
        <>
          <h3 class="govuk-heading-s">Notes</h3>
          <ul class="govuk-list govuk-list--bullet" data-testid="data-quality-notes">
            {notes.map((f) => (
              <li>{f.text}</li>
            ))}
          </ul>
        </>
      ) : null}
      {report.unchecked.length ? (
        <p class="govuk-body-s" data-testid="data-quality-unchecked">
          Not checked (fewer than {report.params.minMonths} of the previous {report.params.window} months loaded):{" "}
          {report.unchecked
            .slice(0, 20)
            .map((u) => `${u.force} ${u.month}`)
            .join(", ")}
          {report.unchecked.length > 20 ? ` and ${report.unchecked.length - 20} more` : ""}.
        </p>
      ) : null}
    </section>
  );
}
