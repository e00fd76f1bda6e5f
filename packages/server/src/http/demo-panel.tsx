import type { DemoState } from "../services/demo.service.ts";
import { Notice } from "./components.tsx";
import { CsrfField } from "./csrf.tsx";

/** The banner under the header of every page while demo data is loaded. */
export function DemoBanner() {
  return (
    <div class="govuk-phase-banner govuk-!-margin-bottom-4" data-testid="demo-banner">
      <p class="govuk-phase-banner__content">
        <strong class="govuk-tag govuk-tag--purple govuk-phase-banner__content__tag">Demo data</strong>
        <span class="govuk-phase-banner__text">
          Figures, places and the partnership plan here are synthetic (Demo City), not real data. An administrator can remove them from the{" "}
          <a class="govuk-link" href="/">
            status page
          </a>
          .
        </span>
      </p>
    </div>
  );
}

const NOTICES: Record<string, string> = {
  loaded: "The demo partnership is loaded: Demo City's police data, reference data and its partnership plan.",
  removed: "The demo data is removed.",
};

/** The status page's demo section: offer the demo on an empty store, or its removal while loaded. */
export function DemoPanel(props: { state: DemoState; isAdmin: boolean; csrf: string; done: string | undefined }) {
  const { state } = props;
  const notice = NOTICES[props.done ?? ""];
  return (
    <>
      <Notice text={notice} id="demo-notice-title" testId="demo-notice" />
      {state.loaded ? (
        <div class="govuk-inset-text" data-testid="demo-loaded">
          <p class="govuk-body">
            This store holds the demo partnership: a synthetic city with {state.demo.imports} months of police data
            {state.demo.plans ? " and its partnership plan" : ""}. Remove it before loading real data.
          </p>
          {props.isAdmin ? (
            <form method="post" action="/demo/remove">
              <CsrfField token={props.csrf} />
              <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" data-testid="demo-remove">
                Remove demo data
              </button>
            </form>
          ) : (
            <p class="govuk-body">An administrator can remove it.</p>
          )}
        </div>
      ) : state.canLoad ? (
        <div class="govuk-inset-text" data-testid="demo-offer">
          <h2 class="govuk-heading-m">Nothing is loaded yet</h2>
          <p class="govuk-body">
            See every page populated with a demo partnership: a synthetic city (two years of police data, its wards, populations and deprivation) and a
            partnership plan with priorities, key actions, targets in every colour, grants and its consultation, Cabinet and Council decisions. Everything is
            labelled as demo data and can be removed with one button.
          </p>
          {props.isAdmin ? (
            <form method="post" action="/demo">
              <CsrfField token={props.csrf} />
              <button type="submit" class="govuk-button" data-module="govuk-button" data-testid="demo-load">
                Load the demo partnership
              </button>
            </form>
          ) : (
            <p class="govuk-body">An administrator can load it from this page, or run `safecity demo`.</p>
          )}
        </div>
      ) : null}
    </>
  );
}
