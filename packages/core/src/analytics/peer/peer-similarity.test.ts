import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { peerSimilarity } from "./peer-similarity.ts";

const areas = [
  { code: "T", name: "Target", indicators: { density: 2, imd: 30 } },
  { code: "A", name: "A", indicators: { density: 4, imd: 30 } },
  { code: "B", name: "B", indicators: { density: 0, imd: 10 } },
  { code: "C", name: "C", indicators: { density: 2, imd: 50 } },
];

describe("peerSimilarity", () => {
  it("z-scores with sample SD and Euclidean distances by hand", () => {
    const r = peerSimilarity(areas, "T", { k: 3 });
    // density: mean 2, SD sqrt((0+4+4+0)/3) = sqrt(8/3); imd: mean 30, SD sqrt((0+0+400+400)/3) = sqrt(800/3)
    const sdD = Math.sqrt(8 / 3);
    const sdI = Math.sqrt(800 / 3);
    expect(r.variables.map((v) => v.name)).toEqual(["density", "imd"]);
    expect(r.variables[0]!.sd).toBeCloseTo(sdD, 14);
    expect(r.variables[1]!.sd).toBeCloseTo(sdI, 14);
    expect(r.variables[0]!.targetZ).toBe(0);
    // A: dz = (2/sdD, 0) = 1.2247; C: (0, 20/sdI) = 1.2247 (tie: A before C by code); B: (2/sdD, 20/sdI) = 1.7321
    expect(r.group.map((g) => g.code)).toEqual(["T", "A", "C"]);
    expect(r.group[1]!.distance).toBeCloseTo(2 / sdD, 14);
    expect(r.group[2]!.distance).toBeCloseTo(20 / sdI, 14);
    expect(r.params).toEqual({ k: 3, includesTarget: true, standardise: "z-score (sample SD)", distance: "Euclidean", variables: ["density", "imd"] });
  });

  it("default k = 15 includes the target; fewer areas are noted", () => {
    const r = peerSimilarity(areas, "T");
    expect(r.group).toHaveLength(4);
    expect(r.group[3]!.code).toBe("B");
    expect(r.group[3]!.distance).toBeCloseTo(Math.sqrt(3), 14);
    expect(r.notes).toContain("Only 4 areas available: the group has 4 instead of 15.");
  });

  it("drops constant indicators and areas lacking one", () => {
    const r = peerSimilarity(
      [
        ...areas.map((a) => ({ ...a, indicators: { ...a.indicators, flat: 1 } })),
        { code: "E", name: "E", indicators: { density: 1, imd: null, flat: 1 } },
      ],
      "T",
    );
    expect(r.params.variables).toEqual(["density", "imd"]);
    expect(r.notes).toEqual(["1 area lacks a chosen indicator and is left out.", "Same value in every area, so not used: flat.", "Only 4 areas available: the group has 4 instead of 15."]);
  });

  it("clear errors", () => {
    expect(() => peerSimilarity(areas, "Z")).toThrow(/not among the areas/);
    expect(() => peerSimilarity([areas[0]!], "T")).toThrow(/no peers/);
    expect(() => peerSimilarity(areas.map((a) => ({ ...a, indicators: { x: 1 } })), "T")).toThrow(AppError);
    expect(() => peerSimilarity(areas, "T", { variables: ["nope"] })).toThrow(/no value for: nope/);
  });
});
