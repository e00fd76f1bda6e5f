import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { User } from "../db/repositories/user.repository.ts";
import { CsrfField } from "./csrf.tsx";
import { DemoBanner } from "./demo-panel.tsx";

export interface LayoutProps {
  /** The page's h1 text; the <title> is "<title> – Safe City". */
  title: string;
  user: User | null;
  csrfToken: string;
  /** The current path, to mark the navigation item. */
  path: string;
  /** Prefix "Error: " to the title (GOV.UK pattern when a form has errors). */
  hasError?: boolean;
  /** Demo data is loaded: show the "Demo data" banner. */
  demo?: boolean;
  /** `?area=…&from=…&to=…` of the page, carried by the analysis pages' navigation links so they keep the chosen area. */
  areaSearch?: string;
  children?: Child;
}

interface NavItem {
  href: string;
  text: string;
  show: (u: User) => boolean;
  /** An analysis page: its link keeps the area and period chosen. */
  keepsArea?: boolean;
}

/** Navigation items; later pages add one line each. */
export const NAV: NavItem[] = [
  { href: "/", text: "Status", show: () => true },
  { href: "/overview", text: "Overview", show: () => true, keepsArea: true },
  { href: "/trends", text: "Trends", show: () => true, keepsArea: true },
  { href: "/peers", text: "Peers", show: () => true, keepsArea: true },
  { href: "/map", text: "Map", show: () => true, keepsArea: true },
  { href: "/plans", text: "Plans", show: () => true },
  { href: "/data", text: "Data", show: () => true },
  { href: "/admin/users", text: "Admin", show: (u) => u.role === "admin" },
  { href: "/account", text: "Your account", show: () => true },
];

function isCurrent(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href.split("/").slice(0, 2).join("/")}/`);
}

/**
 * Every page: GOV.UK Frontend template (skip link, service navigation, main, footer with the OGL
 * attribution for police.uk data). No inline script: the js-enabled class is set by
 * /assets/app/govuk-init.js so the CSP can forbid inline scripts.
 */
export function Layout(props: LayoutProps) {
  const { user } = props;
  const items = user ? NAV.filter((n) => n.show(user)) : [];
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en" class="govuk-template">
        <head>
          <meta charset="utf-8" />
          <title>{`${props.hasError ? "Error: " : ""}${props.title} – Safe City`}</title>
          <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
          <meta name="theme-color" content="#1d70b8" />
          <link rel="icon" sizes="48x48" href="/assets/images/favicon.ico" />
          <link rel="icon" sizes="any" href="/assets/images/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css" />
          <link rel="stylesheet" href="/assets/app/app.css" />
        </head>
        <body class="govuk-template__body">
          <script src="/assets/app/govuk-init.js"></script>
          <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
            Skip to main content
          </a>
          <header class="govuk-template__header">
            <section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
              <div class="govuk-width-container">
                <div class="govuk-service-navigation__container">
                  <span class="govuk-service-navigation__service-name">
                    <a href="/" class="govuk-service-navigation__link">
                      Safe City
                    </a>
                  </span>
                  {user ? (
                    <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                      <button
                        type="button"
                        class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                        aria-controls="navigation"
                        hidden
                      >
                        Menu
                      </button>
                      <ul class="govuk-service-navigation__list" id="navigation">
                        {items.map((item) => {
                          const current = isCurrent(item.href, props.path);
                          return (
                            <li class={`govuk-service-navigation__item${current ? " govuk-service-navigation__item--active" : ""}`}>
                              <a class="govuk-service-navigation__link" href={item.keepsArea && props.areaSearch ? `${item.href}${props.areaSearch}` : item.href} aria-current={current ? "page" : undefined}>
                                {current ? <strong class="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
                              </a>
                            </li>
                          );
                        })}
                        <li class="govuk-service-navigation__item">
                          <form method="post" action="/logout">
                            <CsrfField token={props.csrfToken} />
                            <button type="submit" class="govuk-service-navigation__link app-link-button" data-testid="sign-out">
                              Sign out<span class="govuk-visually-hidden"> {user.name}</span>
                            </button>
                          </form>
                        </li>
                      </ul>
                    </nav>
                  ) : null}
                </div>
              </div>
            </section>
          </header>
          <div class="govuk-width-container">
            <main class="govuk-main-wrapper" id="main-content">
              {props.demo ? <DemoBanner /> : null}
              {user ? (
                <p class="govuk-body-s app-wrap-anywhere" data-testid="signed-in-as">
                  Signed in as {user.name} ({user.role})
                </p>
              ) : null}
              {props.children}
            </main>
          </div>
          <footer class="govuk-footer">
            <div class="govuk-width-container">
              <div class="govuk-footer__meta">
                <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                  <h2 class="govuk-visually-hidden">About this service</h2>
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
                  <span class="govuk-footer__licence-description">
                    Police data from{" "}
                    <a class="govuk-footer__link" href="https://data.police.uk/">
                      data.police.uk
                    </a>
                    . Contains public sector information licensed under the{" "}
                    <a class="govuk-footer__link" href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" rel="license">
                      Open Government Licence v3.0
                    </a>
                    .
                  </span>
                </div>
                <div class="govuk-footer__meta-item">Safe City is open source (MIT licence)</div>
              </div>
            </div>
          </footer>
          <script type="module" src="/assets/app/app.mjs"></script>
        </body>
      </html>
    </>
  );
}

export const OGL_LOGO =
  "M421.5 142.8V.1l-50.7 32.3v161.1h112.4v-50.7zm-122.3-9.6A47.12 47.12 0 0 1 221 97.8c0-26 21.1-47.1 47.1-47.1 16.7 0 31.4 8.7 39.7 21.8l42.7-27.2A97.63 97.63 0 0 0 268.1 0c-36.5 0-68.3 20.1-85.1 49.7A98 98 0 0 0 97.8 0C43.9 0 0 43.9 0 97.8s43.9 97.8 97.8 97.8c36.5 0 68.3-20.1 85.1-49.7a97.76 97.76 0 0 0 149.6 25.4l19.4 22.2h3v-87.8h-80l24.3 27.5zM97.8 145c-26 0-47.1-21.1-47.1-47.1s21.1-47.1 47.1-47.1 47.2 21 47.2 47S123.8 145 97.8 145";
