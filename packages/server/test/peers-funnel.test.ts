import { AssessmentSchema, PeersSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessArea } from "../src/services/assessment.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * Issue 13 item 2 through the service, the CLI, the page, the API and the assessment document, on
 * the committed fixtures: Southampton with Portsmouth and Plymouth as given peers (ONS C2 counts over
 * C4 populations). The dispersion is worked out here from the rows the result shows.
 */
const Q = "area=Southampton&from=2025-01&to=2025-03";
const PEERS = ["E06000044", "E06000026"];
const Z95 = 1.959963984540054;

/** φ by hand for N = 3: type-7 percentiles at h = 0.2 and h = 1.8 of the sorted z-scores. */
function phiOf(rows: { count: number; population: number }[]): { theta: number; phi: number } {
  const theta = (rows.reduce((s, r) => s + r.count, 0) / rows.reduce((s, r) => s + r.population, 0)) * 1000;
  const z = rows.map((r) => (r.count - (theta * r.population) / 1000) / Math.sqrt((theta * r.population) / 1000)).sort((a, b) => a - b);
  const lo = z[0]! + 0.2 * (z[1]! - z[0]!);
  const hi = z[1]! + 0.8 * (z[2]! - z[1]!);
  return { theta, phi: z.map((x) => Math.min(hi, Math.max(lo, x)) ** 2).reduce((s, x) => s + x, 0) / 3 };
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`peer funnel limits on ${dialect}`, () => {
    let h: AnalysisApp;
    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
    }, 300_000);
    afterAll(() => h?.close());

    it("the service: over-dispersed multiplicative limits by default, φ as worked out by hand; Poisson and additive on request", async () => {
      const r = await assessPeers(h.store, { area: "Southampton", from: "2025-01", to: "2025-03", type: "All crime", peers: PEERS });
      expect(r.method).toEqual({ funnel: "overdispersed", dispersionModel: "multiplicative", quartiles: "rank" });
      const ons = r.groups[0]!.ons.result!;
      expect(ons.rows).toHaveLength(3);
      const { theta, phi } = phiOf(ons.rows);
      expect(ons.group.groupRate).toBeCloseTo(theta, 10);
      expect(ons.dispersion!.phi).toBeCloseTo(phi, 9);
      // three CSPs' crime rates differ far beyond chance
      expect(phi).toBeGreaterThan(1);
      expect(ons.funnelMethod.used).toBe("overdispersed-multiplicative");
      const t = ons.target;
      expect(t.funnel.inner.upper).toBeCloseTo(theta + Z95 * Math.sqrt((phi * theta * 1000) / t.population), 9);
      expect(t.verdict).toMatch(/over-dispersed limit/);

      const poisson = await assessPeers(h.store, { area: "Southampton", from: "2025-01", to: "2025-03", type: "All crime", peers: PEERS, funnel: "poisson" });
      const p = poisson.groups[0]!.ons.result!;
      expect(p.funnelMethod.used).toBe("poisson");
      expect(p.target.funnel).toEqual(t.poisson.funnel);
      expect(p.target.position).toBe(t.poisson.position);
      expect(p.target.verdict).not.toMatch(/over-dispersed/);

      const additive = await assessPeers(h.store, { area: "Southampton", from: "2025-01", to: "2025-03", type: "All crime", peers: PEERS, dispersionModel: "additive" });
      const a = additive.groups[0]!.ons.result!;
      expect(a.funnelMethod.used).toBe("overdispersed-additive");
      expect(a.target.funnel.inner.upper).toBeCloseTo(theta + Z95 * Math.sqrt((theta * 1000) / t.population + a.dispersion!.tau2), 9);
    });

    it("the CLI prints the significance with φ, takes --funnel/--dispersion, and refuses a bad value", async () => {
      const base = ["peers", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--type", "All crime", "--peers", PEERS.join(",")];
      const od = await runCli(base, h.store.env);
      expect(od.code, od.stderr).toBe(0);
      expect(od.stdout).toMatch(/significance: over-dispersed funnel limits \(Spiegelhalter 2005, multiplicative model/);
      expect(od.stdout).toMatch(/^All crime\s+.*over-dispersed limit.*; φ = [\d.]+/m);
      const poisson = await runCli([...base, "--funnel", "poisson", "--json"], h.store.env);
      expect(poisson.code, poisson.stderr).toBe(0);
      const json = JSON.parse(poisson.stdout);
      expect(json.method).toEqual({ funnel: "poisson", dispersionModel: "multiplicative", quartiles: "rank" });
      expect(json.groups[0].ons.result.funnelMethod.used).toBe("poisson");
      const bad = await runCli([...base, "--funnel", "normal"], h.store.env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--funnel must be one of overdispersed, poisson; got "normal"/);
    }, 300_000);

    it("the page and the API say which limits were used and what they say; a bad choice is a field error", async () => {
      const viewer = await h.signedIn("viewer@council.gov.uk");
      const page = await viewer.get(`/peers?${Q}&group=All%20crime`);
      expect(page.res.status).toBe(200);
      expect(page.html).toContain('data-testid="peer-significance"');
      expect(page.html).toMatch(/Funnel limits: (over-dispersed \(Spiegelhalter 2005, multiplicative, φ = [\d.]+\)|exact Poisson)/);
      expect(page.html).toContain('<select class="govuk-select" id="funnel" name="funnel">');
      const poisson = await viewer.get(`/peers?${Q}&group=All%20crime&funnel=poisson`);
      expect(poisson.html).toContain("Funnel limits: exact Poisson");
      expect(poisson.html).toMatch(/<option value="poisson" selected/);
      const bad = await viewer.get(`/peers?${Q}&funnel=normal`);
      expect(bad.res.status).toBe(400);
      expect(bad.html).toContain("Funnel limits must be over-dispersed or exact Poisson");
      const api = PeersSchema.parse((await h.api(`/api/v1/peers?${Q}&funnel=poisson&dispersion=additive`)).body);
      expect(api.method).toEqual({ funnel: "poisson", dispersionModel: "additive", quartiles: "rank" });
      expect((await h.api(`/api/v1/peers?${Q}&funnel=normal`)).res.status).toBe(400);
    }, 300_000);

    it("the assessment document records the method and its key messages say what the limits say", async () => {
      const doc = await assessArea(h.store, { area: "Southampton", from: "2025-01", to: "2025-03", peers: PEERS, dispersionModel: "additive" });
      expect(AssessmentSchema.safeParse(doc).success).toBe(true);
      expect(doc.parameters.peers).toMatchObject({ funnel: "overdispersed", dispersionModel: "additive", quartiles: "rank" });
      const all = doc.keyMessages.messages.find((m) => m.id.startsWith("peer.all-crime"))!;
      expect(all.text).toMatch(/; (not significantly different from the group \(within the 95% funnel limits, which allow for the usual spread between similar areas\)|(significantly )?(higher|lower) than the group)/);
      expect(all.figures.funnelLimits).toMatch(/^(over-dispersed|Poisson)$/);
    }, 300_000);
  });
}
