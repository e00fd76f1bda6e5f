import { describe, expect, it } from "vitest";
import { classifyEmerging, EMERGING_CATEGORIES, EMERGING_CATEGORY_LABELS, type EmergingCategory } from "./classify-emerging.ts";

// Each step written as one letter: H = hot (z = 3, p = 0.003), C = cold (z = −3, p = 0.003), . = not significant (z = 0.5, p = 0.6).
function series(s: string): { z: number[]; p: number[] } {
  const z = [...s].map((ch) => (ch === "H" ? 3 : ch === "C" ? -3 : 0.5));
  const p = [...s].map((ch) => (ch === "." ? 0.6 : 0.003));
  return { z, p };
}
const UP = { z: 3.1, p: 0.002 };
const DOWN = { z: -3.1, p: 0.002 };
const FLAT = { z: 0.4, p: 0.69 };

const CASES: [EmergingCategory, string, { z: number; p: number }][] = [
  ["new-hotspot", "...........H", FLAT],
  ["consecutive-hotspot", "........HHHH", UP],
  ["intensifying-hotspot", ".HHHHHHHHHHH", UP],
  ["persistent-hotspot", "HHHHH.HHHHHH", FLAT],
  ["diminishing-hotspot", "HHHHHHHHHH.H", DOWN],
  ["sporadic-hotspot", "..H...H....H", FLAT],
  ["oscillating-hotspot", "C.H..CC.H.HH", UP],
  ["historical-hotspot", "HHHHHHHHHHH.", DOWN],
  ["new-coldspot", "...........C", FLAT],
  ["consecutive-coldspot", ".........CCC", DOWN],
  ["intensifying-coldspot", "CCCCCCCCCC.C", DOWN],
  ["persistent-coldspot", "CCCCCCCCCCCC", FLAT],
  ["diminishing-coldspot", ".CCCCCCCCCCC", UP],
  ["sporadic-coldspot", "C.C..C...C.C", FLAT],
  ["oscillating-coldspot", "H..C.HH..CCC", DOWN],
  ["historical-coldspot", "CCCCCCCCCCC.", UP],
  ["no-pattern", "..H..C...H..", FLAT],
];

describe("classifyEmerging: the 17 categories of DOMAIN.md", () => {
  it("covers every category once", () => {
    expect(CASES.map((c) => c[0]).sort()).toEqual([...EMERGING_CATEGORIES].sort());
  });

  it.each(CASES)("%s from %s", (want, steps, trend) => {
    const { z, p } = series(steps);
    expect(classifyEmerging(z, p, trend)).toBe(want);
  });

  it("a trend that is not significant leaves >= 90% hot as persistent", () => {
    const { z, p } = series("HHHHHHHHHHHH");
    expect(classifyEmerging(z, p, { z: 1.5, p: 0.13 })).toBe("persistent-hotspot");
    expect(classifyEmerging(z, p, { z: 1.5, p: 0.13 }, { trendAlpha: 0.2 })).toBe("intensifying-hotspot");
  });

  it("boundaries: 90% exactly is enough, a run of one with earlier hot steps is sporadic, a cold past before a lone final hot is still new", () => {
    let s = series("HHHHHHHHH.");
    expect(classifyEmerging(s.z, s.p, FLAT)).toBe("historical-hotspot"); // 9 of 10 = 90%
    s = series("HHH.HHH.HH");
    expect(classifyEmerging(s.z, s.p, FLAT)).toBe("sporadic-hotspot"); // 8 of 10 = 80%
    s = series("CC........H");
    expect(classifyEmerging(s.z, s.p, FLAT)).toBe("new-hotspot"); // new comes before oscillating in DOMAIN.md
    s = series("CC......HHH");
    expect(classifyEmerging(s.z, s.p, FLAT)).toBe("consecutive-hotspot");
  });

  it("alpha decides what counts as hot; null z is never significant", () => {
    const z = [0.1, 0.1, 0.1, 1.8];
    const p = [0.9, 0.9, 0.9, 0.072];
    expect(classifyEmerging(z, p, FLAT)).toBe("no-pattern");
    expect(classifyEmerging(z, p, FLAT, { alpha: 0.1 })).toBe("new-hotspot");
    expect(classifyEmerging([null, null, null], [null, null, null], FLAT)).toBe("no-pattern");
  });

  it("labels read as plain English", () => {
    expect(EMERGING_CATEGORY_LABELS["new-hotspot"]).toBe("New hot spot");
    expect(EMERGING_CATEGORY_LABELS["historical-coldspot"]).toBe("Historical cold spot");
    expect(EMERGING_CATEGORY_LABELS["no-pattern"]).toBe("No pattern detected");
  });
});

describe("classifyEmerging with sfdep's rules (rules: \"sfdep\")", () => {
  const none = { z: 0, p: 1 };
  const hotAt = (n: number, steps: number[]) => ({ z: Array.from({ length: n }, (_, t) => (steps.includes(t) ? 3 : 0.5)), p: Array.from({ length: n }, (_, t) => (steps.includes(t) ? 0.01 : 0.6)) });
  it("sporadic needs no final hot step in sfdep (Esri's wording here: no pattern)", () => {
    const { z, p } = hotAt(12, [0, 2, 4]);
    expect(classifyEmerging(z, p, none)).toBe("no-pattern");
    expect(classifyEmerging(z, p, none, { rules: "sfdep" })).toBe("sporadic-hotspot");
  });
  it("11 of 12 steps hot, the last not, final z > 0: Esri historical; sfdep persistent (no final step needed), and never historical unless the final z < 0", () => {
    const { z, p } = hotAt(12, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(classifyEmerging(z, p, none)).toBe("historical-hotspot");
    expect(classifyEmerging(z, p, none, { rules: "sfdep" })).toBe("persistent-hotspot");
  });
  it("a bin exactly at p = alpha is significant in sfdep (p <= alpha), not in Esri's (p < alpha)", () => {
    const z = Array.from({ length: 12 }, (_, t) => (t === 11 ? 3 : 0.5));
    const p = Array.from({ length: 12 }, (_, t) => (t === 11 ? 0.05 : 0.6));
    expect(classifyEmerging(z, p, none)).toBe("no-pattern");
    expect(classifyEmerging(z, p, none, { rules: "sfdep" })).toBe("new-hotspot");
  });
});
