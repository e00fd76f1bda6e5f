/**
 * GOV.UK Frontend pagination (https://design-system.service.gov.uk/components/pagination/): previous
 * and next links and the page numbers around the current one, first and last always shown, the
 * gaps as ellipses. `href(n)` is the address of page n.
 */
export function Pagination(props: { page: number; pages: number; href: (page: number) => string; label: string; testId?: string }) {
  const { page, pages, href } = props;
  if (pages <= 1) return null;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: (number | "gap")[] = [];
  for (const n of shown) {
    const prev = items.at(-1);
    if (typeof prev === "number" && n - prev > 1) items.push("gap");
    items.push(n);
  }
  return (
    <nav class="govuk-pagination" aria-label={props.label} data-testid={props.testId ?? "pagination"}>
      {page > 1 ? (
        <div class="govuk-pagination__prev">
          <a class="govuk-link govuk-pagination__link" href={href(page - 1)} rel="prev">
            <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
            </svg>
            <span class="govuk-pagination__link-title">
              Previous<span class="govuk-visually-hidden"> page</span>
            </span>
          </a>
        </div>
      ) : null}
      <ul class="govuk-pagination__list">
        {items.map((n) =>
          n === "gap" ? (
            <li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>
          ) : (
            <li class={`govuk-pagination__item${n === page ? " govuk-pagination__item--current" : ""}`}>
              <a class="govuk-link govuk-pagination__link" href={href(n)} aria-label={`Page ${n}`} {...(n === page ? { "aria-current": "page" } : {})}>
                {String(n)}
              </a>
            </li>
          ),
        )}
      </ul>
      {page < pages ? (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href={href(page + 1)} rel="next">
            <span class="govuk-pagination__link-title">
              Next<span class="govuk-visually-hidden"> page</span>
            </span>
            <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
            </svg>
          </a>
        </div>
      ) : null}
    </nav>
  );
}
