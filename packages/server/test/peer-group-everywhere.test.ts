import { AssessmentSchema, PeersSchema } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessArea } from "../src/services/assessment.service.ts";
import { clearPeerGroup, savePeerGroup } from "../src/services/peer-group.service.ts";
import { assessPeers } from "../src/services/peers.service.ts";
import { DIALECTS, dialectAvailability } from "./dialects.ts";
import { type AnalysisApp, openAnalysisApp } from "./support/analysis-app.ts";
import { runCli } from "./support/cli.ts";
import { FIXTURE_REFERENCE_DIR, FIXTURE_SOUTHAMPTON_2025 } from "./support/shared-data.ts";

/**
 * Issue 12 item 4: the group saved on the Peers page is the group the service, the CLI, the API and
 * the assessment document use for that area unless told otherwise, and each names it and who set it.
 */
const PERIOD = { area: "Southampton", from: "2025-01", to: "2025-03" };
const OFFICIAL = ["E06000044", "E06000026"];
const ANALYST = { label: "analyst@council.gov.uk", ip: null };

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`one peer group everywhere on ${dialect}`, () => {
    let h: AnalysisApp;
    let target: string;
    beforeAll(async () => {
      h = await openAnalysisApp(dialect, { reference: FIXTURE_REFERENCE_DIR, police: [FIXTURE_SOUTHAMPTON_2025] });
      const saved = await savePeerGroup(h.store, ANALYST, new Date("2026-11-30T10:00:00Z"), { area: "Southampton", codes: OFFICIAL.join(", "), note: "MSG 2024" });
      target = saved.areaCode;
    }, 300_000);
    afterAll(() => h?.close());

    it("the service uses the saved group and says who saved it; --peer-source computed and --peers override it", async () => {
      const r = await assessPeers(h.store, { ...PERIOD, type: "All crime" });
      expect(r.members.map((m) => m.code)).toEqual([target, ...OFFICIAL]);
      expect(r.groupSource).toBe("given");
      expect(r.savedGroup).toEqual({ setBy: ANALYST.label, setAt: "2026-11-30T10:00:00.000Z", note: "MSG 2024" });
      expect(r.notes.join(" ")).toContain(`the 2 areas saved for Southampton on the Peers page by ${ANALYST.label} on 2026-11-30 (MSG 2024)`);

      const given = await assessPeers(h.store, { ...PERIOD, type: "All crime", peers: [OFFICIAL[0]!] });
      expect(given.members.map((m) => m.code)).toEqual([target, OFFICIAL[0]]);
      expect(given.savedGroup).toBeNull();

      // computed: the saved list is not used (the fixtures may hold too few indicators to compute a group)
      const computed = await assessPeers(h.store, { ...PERIOD, type: "All crime", peerSource: "computed" }).catch((e: Error) => e);
      if (computed instanceof Error) expect(computed.message).toMatch(/similarity group cannot be computed/);
      else {
        expect(computed.savedGroup).toBeNull();
        expect(computed.groupSource).toBe("computed");
      }
    });

    it("the CLI and the assessment document use it and name it", async () => {
      const base = ["peers", "--area", "Southampton", "--from", "2025-01", "--to", "2025-03", "--type", "All crime"];
      const text = await runCli(base, h.store.env);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(`peer group (saved on the Peers page by ${ANALYST.label} on 2026-11-30, 3 areas)`);
      const json = JSON.parse((await runCli([...base, "--json"], h.store.env)).stdout);
      expect(json.savedGroup.setBy).toBe(ANALYST.label);
      expect(json.members.map((m: { code: string }) => m.code)).toEqual([target, ...OFFICIAL]);
      const contradiction = await runCli([...base, "--peers", OFFICIAL[0]!, "--peer-source", "computed"], h.store.env);
      expect(contradiction.code).not.toBe(0);
      expect(contradiction.stderr).toMatch(/contradict/);

      const doc = AssessmentSchema.parse(await assessArea(h.store, PERIOD));
      expect(doc.parameters.peers.codes).toEqual([target, ...OFFICIAL]);
      expect(doc.peers.notes.join(" ")).toContain(`saved for Southampton on the Peers page by ${ANALYST.label}`);
    });

    it("the API names the saved group, and follows a new one at once", async () => {
      const q = "area=Southampton&from=2025-01&to=2025-03&type=All%20crime";
      const first = PeersSchema.parse((await h.api(`/api/v1/peers?${q}`)).body);
      expect(first.savedGroup?.setBy).toBe(ANALYST.label);
      expect(first.members.map((m) => m.code)).toEqual([target, ...OFFICIAL]);
      await savePeerGroup(h.store, ANALYST, new Date("2026-12-01T09:00:00Z"), { area: "Southampton", codes: [...OFFICIAL].reverse().join(",") });
      const second = PeersSchema.parse((await h.api(`/api/v1/peers?${q}`)).body);
      expect(second.members.map((m) => m.code)).toEqual([target, ...[...OFFICIAL].reverse()]);
      expect(second.savedGroup?.setAt).toBe("2026-12-01T09:00:00.000Z");
      await clearPeerGroup(h.store, ANALYST, new Date(), "Southampton");
      const cleared = (await h.api(`/api/v1/peers?${q}`)).body as { savedGroup?: unknown };
      expect(cleared.savedGroup ?? null).toBeNull();
    });
  });
}
