/// <reference lib="dom" />
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A/AA rules) in the page. Injected through the DevTools protocol,
 * not a <script> tag, so the page's CSP stays as strict as in production.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
  });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

/** Only the violations that fail the suite: serious or critical. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** How far the page scrolls sideways at its current width (0 = nothing overflows). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Collects console errors (CSP violations show up here) for the life of the page. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

/**
 * The checks every page the suites visit gets: no serious or critical axe violations, nothing
 * overflowing at 320 px, no console or CSP errors (clears `errors` afterwards). `expectedStatus`:
 * the browser logs a page's own non-2xx status as an error, and that one is expected; `ignore`:
 * errors a test provokes on purpose (e.g. scripts blocked with JavaScript off).
 */
export async function checkPage(page: Page, errors: string[], what: string, opts: { expectedStatus?: number; ignore?: RegExp } = {}): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await horizontalOverflow(page), `${what} overflows at 320 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize(size);
  const unexpected = errors.filter(
    (e) => !(opts.expectedStatus && e.includes(`status of ${opts.expectedStatus}`)) && !opts.ignore?.test(e),
  );
  expect(unexpected, `${what}: console errors`).toEqual([]);
  errors.length = 0;
}
