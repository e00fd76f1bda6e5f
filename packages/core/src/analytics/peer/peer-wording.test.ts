import { describe, expect, it } from "vitest";
import { peerCompare } from "./peer-compare.ts";
import { leftOutPhrase, peerQuarterPhrase, peerRankPhrase, peerStanding, previousPositionPhrase, quartileOf } from "./peer-wording.ts";

describe("peerStanding: every rank of a group of 15 (1 = lowest rate)", () => {
  it("says positions from the nearer end, quarters by their rates", () => {
    const all = Array.from({ length: 15 }, (_, i) => peerStanding({ rank: i + 1, of: 15 }));
    expect(all).toEqual([
      "the lowest rate of 15, among the lowest quarter",
      "the 2nd lowest rate of 15, among the lowest quarter",
      "the 3rd lowest rate of 15, among the lowest quarter",
      "the 4th lowest rate of 15, in the second-lowest quarter",
      "the 5th lowest rate of 15, in the second-lowest quarter",
      "the 6th lowest rate of 15, in the second-lowest quarter",
      "the 7th lowest rate of 15, in the second-lowest quarter",
      "the 8th highest rate of 15, in the second-highest quarter",
      "the 7th highest rate of 15, in the second-highest quarter",
      "the 6th highest rate of 15, in the second-highest quarter",
      "the 5th highest rate of 15, in the second-highest quarter",
      "the 4th highest rate of 15, among the highest quarter",
      "the 3rd highest rate of 15, among the highest quarter",
      "the 2nd highest rate of 15, among the highest quarter",
      "the highest rate of 15, among the highest quarter",
    ]);
    expect(all.join(" ")).not.toMatch(/top|bottom|quartile/);
  });

  it("the e2e figure: rank 13 of 14 is the 2nd highest rate, among the highest quarter", () => {
    expect(peerStanding({ rank: 13, of: 14 })).toBe("the 2nd highest rate of 14, among the highest quarter");
  });

  it("every rank of every group size from 1 to 40 reads consistently with its rank and quartile", () => {
    for (let of = 1; of <= 40; of++) {
      for (let rank = 1; rank <= of; rank++) {
        const text = peerRankPhrase({ rank, of });
        const fromTop = of - rank + 1;
        if (of === 1) expect(text).toBe("the only area of the group");
        else if (fromTop <= rank) expect(text).toBe(`the ${fromTop === 1 ? "" : `${ordinalOf(fromTop)} `}highest rate of ${of}`);
        else expect(text).toBe(`the ${rank === 1 ? "" : `${ordinalOf(rank)} `}lowest rate of ${of}`);
        const q = peerQuarterPhrase({ rank, of });
        if (of < 4) expect(q).toBeNull();
        else expect(q).toBe(["among the lowest quarter", "in the second-lowest quarter", "in the second-highest quarter", "among the highest quarter"][quartileOf(rank, of) - 1]);
        // "highest" is never said of an area in the lower half, nor "lowest" of one in the upper half
        if (/highest rate/.test(text)) expect(rank).toBeGreaterThanOrEqual(fromTop);
        if (/lowest rate/.test(text)) expect(rank).toBeLessThan(fromTop);
      }
    }
  });

  it("small groups say no quarter", () => {
    expect(peerStanding({ rank: 2, of: 2 })).toBe("the highest rate of 2");
    expect(peerStanding({ rank: 1, of: 3 })).toBe("the lowest rate of 3");
    expect(peerStanding({ rank: 2, of: 3 })).toBe("the 2nd highest rate of 3");
    expect(peerStanding({ rank: 1, of: 1 })).toBe("the only area of the group");
  });
});

describe("ties", () => {
  it("joint positions name how many share the rate; tie at the top", () => {
    // rates 1, 2, 3, 3: the two 3s share rank 3
    expect(peerStanding({ rank: 3, of: 4, tied: 2 })).toBe("the joint highest rate of 4 (with 1 other area), on the boundary of the second-highest and highest quarters");
    // rates 1, 1, 2, 3
    expect(peerStanding({ rank: 1, of: 4, tied: 2 })).toBe("the joint lowest rate of 4 (with 1 other area), on the boundary of the lowest and second-lowest quarters");
    // rates of 15 with 3 tied at ranks 12..14 (one area higher): all in the highest quarter
    expect(peerStanding({ rank: 12, of: 15, tied: 3 })).toBe("the joint 2nd highest rate of 15 (with 2 other areas), among the highest quarter");
    // 6 tied from rank 5 to 10 of 15: second-lowest to second-highest
    expect(peerQuarterPhrase({ rank: 5, of: 15, tied: 6 })).toBe("on the boundary of the second-lowest and second-highest quarters");
    expect(peerQuarterPhrase({ rank: 2, of: 15, tied: 12 })).toBe("tied across the lowest to highest quarters");
  });
  it("every area tied: no position, no quarter", () => {
    expect(peerStanding({ rank: 1, of: 15, tied: 15 })).toBe("the same rate as all 15 areas of the group");
  });
  it("peerCompare gives tied and standing, ties sharing the lower rank", () => {
    const r = peerCompare(
      [
        { code: "A", name: "A", count: 10, population: 1000 },
        { code: "B", name: "B", count: 20, population: 1000 },
        { code: "C", name: "C", count: 30, population: 1000 },
        { code: "D", name: "D", count: 30, population: 1000 },
      ],
      "C",
    );
    expect(r.target).toMatchObject({ rank: 3, of: 4, tied: 2, quartile: 3, quartileLabel: "second-highest quarter" });
    expect(r.target.standing).toBe("the joint highest rate of 4 (with 1 other area), on the boundary of the second-highest and highest quarters");
    expect(r.rows.map((p) => p.standing)).toEqual([
      "the lowest rate of 4, among the lowest quarter",
      "the 2nd lowest rate of 4, in the second-lowest quarter",
      "the joint highest rate of 4 (with 1 other area), on the boundary of the second-highest and highest quarters",
      "the joint highest rate of 4 (with 1 other area), on the boundary of the second-highest and highest quarters",
    ]);
  });
  it("refuses impossible positions", () => {
    expect(() => peerRankPhrase({ rank: 15, of: 15, tied: 2 })).toThrow(/does not fit/);
    expect(() => peerRankPhrase({ rank: 0, of: 15 })).toThrow(/does not fit/);
    expect(() => peerRankPhrase({ rank: 1, of: 0 })).toThrow(/at least 1/);
  });
});

describe("previous position and left-out peers", () => {
  it("says the previous position the same way round", () => {
    expect(previousPositionPhrase({ rank: 14, of: 15 }, 13)).toBe("previously the 3rd highest");
    expect(previousPositionPhrase({ rank: 10, of: 15 }, 15)).toBe("previously the highest");
    expect(previousPositionPhrase({ rank: 5, of: 15 }, 2)).toBe("previously the 2nd lowest");
    expect(previousPositionPhrase({ rank: 5, of: 15 }, 5)).toBe("unchanged from the previous period");
    expect(previousPositionPhrase({ rank: 13, of: 14 }, 14, 15)).toBe("previously the 2nd highest of 15");
  });
  it("names who is left out and why", () => {
    expect(leftOutPhrase([])).toBeNull();
    expect(leftOutPhrase([{ name: "Portsmouth", reason: "no police.uk data loaded" }])).toBe("Portsmouth is left out (no police.uk data loaded)");
    expect(
      leftOutPhrase([
        { name: "Portsmouth", reason: "no police.uk data loaded" },
        { name: "Reading", reason: "no population estimate" },
        { name: "Luton", reason: "Bedfordshire Police has no file for 2024-05" },
      ]),
    ).toBe("3 peers are left out: Portsmouth (no police.uk data loaded), Reading (no population estimate) and Luton (Bedfordshire Police has no file for 2024-05)");
  });
});

function ordinalOf(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${n % 10 > 3 && !(n % 100 >= 11 && n % 100 <= 13) ? "th" : s}`;
}

describe("a quartile from another rule", () => {
  it("is said as given (cut points keep ties in one quarter)", () => {
    expect(peerStanding({ rank: 3, of: 4, tied: 2, quartile: 4 })).toBe("the joint highest rate of 4 (with 1 other area), among the highest quarter");
    expect(peerQuarterPhrase({ rank: 12, of: 15, quartile: 3 })).toBe("in the second-highest quarter");
    expect(peerQuarterPhrase({ rank: 2, of: 3, quartile: 4 })).toBeNull();
  });
});
