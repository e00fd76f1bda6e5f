import { describe, expect, it } from "vitest";
import { concentration } from "../concentration/concentration.ts";
import { peerCompare } from "../peer/peer-compare.ts";
import { seasonalProfile } from "../season/seasonal-profile.ts";
import { trendChange } from "../trend/trend-change.ts";
import { narrateAssessment, peerSignificancePhrase } from "./narrate-assessment.ts";
import {
  changeFigureFromTrend,
  concentrationFigures,
  peakFigureFromSeason,
  peerFigureFromCompare,
  periodName,
} from "./narrative-figures.ts";

describe("narrateAssessment: the seed report's figures", () => {
  const r = narrateAssessment({
    changes: [
      { subject: "All crime", from: { label: "2007", count: 36340 }, to: { label: "2011", count: 27214 } },
      { subject: "Criminal damage", changePct: -10 },
      { subject: "Criminal damage", changePct: -51, comparedWith: "since 2007" },
    ],
    peers: [
      { subject: "Burglary", rank: 5, of: 15 },
      { subject: "All crime", rank: 10, of: 15, previousRank: 13 },
    ],
    peak: { month: "October", subject: "offences" },
  });
  const texts = r.messages.map((m) => m.text);

  it("gets the all-crime fall right (25.1%, not the seed's 26%)", () => {
    expect(texts[0]).toBe("All crime fell 25.1% from 36,340 in 2007 to 27,214 in 2011");
    expect(r.messages[0]!.figures).toEqual({ from: 36340, to: 27214, fromLabel: "2007", toLabel: "2011", change: -9126, changePct: -25.1 });
  });
  it("criminal damage on the year, MSG positions and the October peak", () => {
    expect(texts.slice(1)).toEqual([
      "Criminal damage fell 10.0% on the previous year",
      "Criminal damage fell 51.0% since 2007",
      "Burglary: the 5th lowest rate of 15 in the Most Similar Group, in the second-lowest quarter",
      "All crime: the 6th highest rate of 15 in the Most Similar Group, in the second-highest quarter; previously the 3rd highest",
      "October is the peak month for offences",
    ]);
    expect(r.messages.map((m) => m.id)).toEqual([
      "change.all-crime.2007-2011",
      "change.criminal-damage.on-the-previous-year",
      "change.criminal-damage.since-2007",
      "peer.burglary",
      "peer.all-crime",
      "season.peak.offences",
    ]);
    expect(r.messages[4]!.figures).toEqual({ rank: 10, of: 15, quartile: 3, quarter: "second-highest quarter", previousRank: 13 });
  });
});

describe("narrateAssessment: wording by hand", () => {
  it("rises, significance, no change, from zero, tiny changes", () => {
    const m = narrateAssessment({
      changes: [
        { subject: "Robbery", from: { label: "2024", count: 400 }, to: { label: "2025", count: 500 }, test: { pValue: 0.0012, significant: true } },
        { subject: "Drugs", from: { label: "2024", count: 1000 }, to: { label: "2025", count: 1020 }, test: { pValue: 0.6543, significant: false } },
        { subject: "Bicycle theft", from: { label: "2024", count: 80 }, to: { label: "2025", count: 80 } },
        { subject: "Weapons", from: { label: "2024", count: 0 }, to: { label: "2025", count: 3 } },
        { subject: "Shoplifting", from: { label: "2024", count: 100000 }, to: { label: "2025", count: 100001 } },
      ],
    }).messages.map((x) => x.text);
    expect(m).toEqual([
      "Robbery rose 25.0% from 400 in 2024 to 500 in 2025, a statistically significant rise (p = 0.001)",
      "Drugs rose 2.0% from 1,000 in 2024 to 1,020 in 2025 (not statistically significant, p = 0.654)",
      "Bicycle theft was unchanged at 80 in 2024 and 2025",
      "Weapons rose from 0 in 2024 to 3 in 2025",
      "Shoplifting rose by less than 0.1% from 100,000 in 2024 to 100,001 in 2025",
    ]);
  });
  it("MSG moves down and singular place; peak with years; concentration; priority", () => {
    const r = narrateAssessment({
      peers: [{ subject: "Violence", rank: 14, of: 15, previousRank: 13 }],
      peak: { month: "October", subject: "violence", years: 3, of: 3 },
      concentration: [{ subject: "All crime", placeName: "LSOAs", p: 0.1, places: 15, totalPlaces: 148, share: 0.32449, generalisedGini: 0.4567 }],
      priority: { areas: [{ code: "E01", name: "Southampton 001A" }, { code: "E02", name: "Southampton 002B" }], deprived: 2, inHotspots: 1 },
    });
    expect(r.messages.map((x) => x.text)).toEqual([
      "Violence: the 2nd highest rate of 15 in the Most Similar Group, among the highest quarter; previously the 3rd highest",
      "October is the peak month for violence in 3 of 3 years",
      "32.4% of all crime was in the 10% of LSOAs with the most crime (15 of 148); generalised Gini 0.46",
      "2 priority areas (Southampton 001A and Southampton 002B); 2 of 2 in the most deprived 20% of England (IMD deciles 1–2); 1 also a hotspot",
    ]);
  });
  it("priority: names the deprivation measure when given (decision 0023)", () => {
    const areas = [{ code: "E01", name: "Southampton 001A" }];
    const ex = narrateAssessment({ priority: { areas, deprived: 1, deprivation: "imd-without-crime", imdEdition: "2025" } });
    expect(ex.messages[0]!.text).toBe(
      "1 priority area (Southampton 001A); 1 of 1 in the most deprived 20% of England (deciles 1–2; deprivation: IMD 2025 without its crime domain (six domains, weights renormalised))",
    );
    expect(ex.messages[0]!.figures.deprivation).toBe("imd-without-crime");
    const pub = narrateAssessment({ priority: { areas, deprived: 0, deprivation: "imd", imdEdition: "2025" } });
    expect(pub.messages[0]!.text).toMatch(/\(deciles 1–2; deprivation: IMD 2025 \(published, includes its crime domain\)\)$/);
  });
  it("MSG wording: never 'top quartile'; ties, left-out peers and the population year are said", () => {
    const r = narrateAssessment({
      peers: [
        {
          subject: "All crime (police.uk)",
          rank: 13,
          of: 14,
          groupName: "a computed group of 15 similar areas",
          leftOut: [{ name: "Portsmouth", reason: "no police.uk data loaded" }],
          population: "ONS mid-2024 population estimates",
        },
        { subject: "Robbery", rank: 1, of: 15, tied: 3 },
        { subject: "Drugs", rank: 1, of: 15, tied: 15 },
        { subject: "Burglary", rank: 8, of: 15, leftOut: [{ name: "Reading", reason: "no population estimate" }, { name: "Luton", reason: "Bedfordshire has no file for 2024-05" }] },
      ],
    });
    expect(r.messages.map((m) => m.text)).toEqual([
      "All crime (police.uk): the 2nd highest rate of 14 in a computed group of 15 similar areas, among the highest quarter; Portsmouth is left out (no police.uk data loaded); rates per 1,000 residents, ONS mid-2024 population estimates",
      "Robbery: the joint lowest rate of 15 (with 2 other areas) in the Most Similar Group, among the lowest quarter",
      "Drugs: the same rate as all 15 areas of the group in the Most Similar Group",
      "Burglary: the 8th highest rate of 15 in the Most Similar Group, in the second-highest quarter; 2 peers are left out: Reading (no population estimate) and Luton (Bedfordshire has no file for 2024-05)",
    ]);
    expect(r.messages[0]!.figures).toEqual({ rank: 13, of: 14, quartile: 4, quarter: "highest quarter", leftOut: 1, population: "ONS mid-2024 population estimates" });
    for (const m of r.messages) expect(m.text).not.toMatch(/quartile|top|bottom/);
  });
  it("a quartile from the cut-point rule is said as given", () => {
    const r = narrateAssessment({ peers: [{ subject: "Burglary", rank: 12, of: 15, quartile: 3 }] });
    expect(r.messages[0]!.text).toBe("Burglary: the 4th highest rate of 15 in the Most Similar Group, in the second-highest quarter");
    expect(r.messages[0]!.figures).toMatchObject({ quartile: 3, quarter: "second-highest quarter" });
  });
  it("no figures: no messages and a note", () => {
    const r = narrateAssessment({});
    expect(r.messages).toEqual([]);
    expect(r.notes).toEqual(["No figures were given: there are no key messages."]);
  });
});

describe("periodName", () => {
  it("months and quarters in words", () => {
    expect(["2025-11", "2025-Q4", "2024/25", "2025"].map(periodName)).toEqual([
      "November 2025",
      "October to December 2025",
      "2024/25",
      "2025",
    ]);
  });
});

describe("narrative from computed results", () => {
  it("trend, peers, season and concentration results feed the sentences", () => {
    const monthly = [2010, 2011].flatMap((y) =>
      Array.from({ length: 12 }, (_, i) => ({ month: `${y}-${String(i + 1).padStart(2, "0")}`, count: (y === 2010 ? 100 : 90) + (i === 9 ? 20 : 0) })),
    );
    const trend = trendChange(monthly, { periodsAgo: 1 });
    const change = changeFigureFromTrend(trend, "All crime")!;
    const season = seasonalProfile(monthly);
    const peers = peerCompare(
      [
        { code: "A", name: "A", count: 10, population: 1000 },
        { code: "B", name: "B", count: 20, population: 1000 },
      ],
      "B",
    );
    const conc = concentration([0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
    const r = narrateAssessment({
      changes: [change],
      peers: [peerFigureFromCompare(peers, "Burglary")],
      peak: peakFigureFromSeason(season),
      concentration: concentrationFigures(conc, "All crime"),
    });
    // 2010: 12*100 + 20 = 1,220; 2011: 12*90 + 20 = 1,100; -120/1220 = -9.836%
    expect(r.messages[0]!.text).toMatch(/^All crime fell 9\.8% from 1,220 in 2010 to 1,100 in 2011/);
    // 10 and 20 per 1,000 around 15: z = ∓5/√15 = ∓1.291, winsorised to ∓1.033, φ = 1.067 > 1, so the
    // over-dispersed 95% limits are 15 ± 1.96 × √(1.067 × 15) = 7.16 .. 22.84: B (20) is within them
    expect(r.messages[1]!.text).toBe(
      "Burglary: the highest rate of 2 in the Most Similar Group; not significantly different from the group (within the 95% funnel limits, which allow for the usual spread between similar areas)",
    );
    expect(r.messages[1]!.figures).toMatchObject({ funnel: "within", funnelLimits: "over-dispersed" });
    expect(r.messages[2]!.text).toBe("October is the peak month in 2 of 2 years");
    // Gini: ascending [0 x17, 5, 5, 10]: 2(18*5 + 19*5 + 20*10)/(20*20) - 21/20 = 0.875; n = N so G' = G
    expect(r.messages[3]!.text).toBe("50.0% of all crime was in the 5% of LSOAs with the most crime (1 of 20); generalised Gini 0.88");
  });
});

describe("peerSignificancePhrase: what the funnel limits say, in words (issue 13)", () => {
  const levels: [number, number] = [0.95, 0.998];
  it("within, above 99.8%, above 95% only; over-dispersed and Poisson limits", () => {
    expect(peerSignificancePhrase({ position: "within", beyond: null, levels, limits: "over-dispersed", phi: 12 })).toBe(
      "not significantly different from the group (within the 95% funnel limits, which allow for the usual spread between similar areas)",
    );
    expect(peerSignificancePhrase({ position: "within", beyond: null, levels, limits: "Poisson" })).toBe("not significantly different from the group (within the 95% funnel limits)");
    expect(peerSignificancePhrase({ position: "above", beyond: 0.998, levels, limits: "over-dispersed" })).toBe(
      "significantly higher than the group (above the 99.8% over-dispersed funnel limit)",
    );
    expect(peerSignificancePhrase({ position: "below", beyond: 0.95, levels, limits: "Poisson" })).toBe(
      "lower than the group at the 95% level only (below the 95% funnel limit, within the 99.8%)",
    );
  });

  it("a key message carries the phrase and its figures", () => {
    const r = narrateAssessment({
      peers: [{ subject: "Burglary", rank: 15, of: 15, significance: { position: "above", beyond: 0.998, levels, limits: "over-dispersed", phi: 17.25 } }],
    });
    expect(r.messages[0]!.text).toMatch(/; significantly higher than the group \(above the 99\.8% over-dispersed funnel limit\)$/);
    expect(r.messages[0]!.figures).toMatchObject({ funnel: "above", funnelLevel: 0.998, funnelLimits: "over-dispersed", phi: 17.25 });
  });
});
