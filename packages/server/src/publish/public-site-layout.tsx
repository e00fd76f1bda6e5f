import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { OGL_LOGO } from "../http/layout.tsx";
import { PlanDemoLabel, StateTag } from "../http/plan-components.tsx";
import type { PublicSite } from "./public-site-model.ts";

/**
 * The public website's page frame: the GOV.UK Frontend template like the app's layout, without
 * sign-in, navigation to the app or any script. Every link is relative (the site works from
 * file:// and any static host). The footer carries the publication's version and date and the
 * Open Government Licence attribution of police.uk, ONS and MHCLG data.
 */

export interface PublicPageDef {
  file: string;
  title: string;
  /** Shown only when the model has what the page needs. */
  show: (site: PublicSite) => boolean;
}

export const PUBLIC_PAGES: readonly PublicPageDef[] = [
  { file: "index.html", title: "The plan", show: () => true },
  { file: "assessment.html", title: "Strategic Assessment", show: () => true },
  { file: "map.html", title: "Priority areas map", show: () => true },
  { file: "grants.html", title: "Grants awarded", show: () => true },
  { file: "decision.html", title: "Decision record", show: () => true },
  { file: "data.html", title: "Open data", show: () => true },
];

/** "2026-01-15" -> "15 January 2026". */
export function longDay(date: string | null): string {
  if (!date) return "not recorded";
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const [y, m, d] = date.split("-");
  const month = months[Number(m) - 1];
  return month && d ? `${Number(d)} ${month} ${y}` : date;
}

export function PublicLayout(props: { site: PublicSite; title: string; file: string; children?: Child }) {
  const { site } = props;
  const p = site.plan;
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en" class="govuk-template">
        <head>
          <meta charset="utf-8" />
          <title>{`${props.title} – ${p.title}`}</title>
          <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
          <meta name="theme-color" content="#1d70b8" />
          <link rel="icon" sizes="48x48" href="assets/images/favicon.ico" />
          <link rel="icon" sizes="any" href="assets/images/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="assets/govuk-frontend.min.css" />
          <link rel="stylesheet" href="assets/app.css" />
        </head>
        <body class="govuk-template__body">
          <a href="#main-content" class="govuk-skip-link">
            Skip to main content
          </a>
          <header class="govuk-template__header">
            <section aria-label="Site information" class="govuk-service-navigation">
              <div class="govuk-width-container">
                <div class="govuk-service-navigation__container">
                  <span class="govuk-service-navigation__service-name">
                    <a href="index.html" class="govuk-service-navigation__link">
                      {p.partnershipName}
                    </a>
                  </span>
                  <nav aria-label="Pages" class="govuk-service-navigation__wrapper">
                    <ul class="govuk-service-navigation__list" id="navigation">
                      {PUBLIC_PAGES.filter((x) => x.show(site)).map((x) => {
                        const current = x.file === props.file;
                        return (
                          <li class={`govuk-service-navigation__item${current ? " govuk-service-navigation__item--active" : ""}`}>
                            <a class="govuk-service-navigation__link" href={x.file} aria-current={current ? "page" : undefined}>
                              {current ? <strong class="govuk-service-navigation__active-fallback">{x.title}</strong> : x.title}
                            </a>
                          </li>
                        );
                      })}
                    </ul>
                  </nav>
                </div>
              </div>
            </section>
          </header>
          <div class="govuk-width-container">
            <main class="govuk-main-wrapper" id="main-content">
              <span class="govuk-caption-l app-wrap-anywhere">
                {p.partnershipName} · {p.periodFrom} to {p.periodTo} · plan version {p.version}
              </span>
              <h1 class="govuk-heading-l app-wrap-anywhere">{props.file === "index.html" ? p.title : props.title}</h1>
              {props.file === "index.html" ? (
                <p class="govuk-body" data-testid="plan-state">
                  <StateTag state={p.state} />
                </p>
              ) : null}
              <PlanDemoLabel demo={p.demo} />
              {props.children}
            </main>
          </div>
          <footer class="govuk-footer">
            <div class="govuk-width-container">
              <div class="govuk-footer__meta">
                <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                  <h2 class="govuk-visually-hidden">About this publication</h2>
                  <p class="govuk-body-s" data-testid="publication-version">
                    Publication {site.publication.number} of this plan (plan version {p.version}), published {longDay(site.publication.date)}.
                  </p>
                  <svg
                    aria-hidden="true"
                    focusable="false"
                    class="govuk-footer__licence-logo"
                    xmlns="http://www.w3.org/2000/svg"
                    viewBox="0 0 483.2 195.7"
                    height="17"
                    width="41"
                  >
                    <path fill="currentColor" d={OGL_LOGO} />
                  </svg>
                  <span class="govuk-footer__licence-description" data-testid="licence">
                    {site.attribution} Police data from{" "}
                    <a class="govuk-footer__link" href="https://data.police.uk/">
                      data.police.uk
                    </a>
                    ; statistics from the{" "}
                    <a class="govuk-footer__link" href="https://www.ons.gov.uk/">
                      Office for National Statistics
                    </a>
                    ; deprivation from the{" "}
                    <a class="govuk-footer__link" href="https://www.gov.uk/government/collections/english-indices-of-deprivation">
                      Ministry of Housing, Communities and Local Government
                    </a>
                    . Licensed under the{" "}
                    <a class="govuk-footer__link" href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" rel="license">
                      Open Government Licence v3.0
                    </a>
                    .
                  </span>
                </div>
                <div class="govuk-footer__meta-item">Made with Safe City (open source, MIT licence)</div>
              </div>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
