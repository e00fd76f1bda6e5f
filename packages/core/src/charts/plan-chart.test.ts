import { describe, expect, it } from "vitest";
import { stackedCountSpec, targetGapSpec, targetSeriesSpec } from "./index.ts";

const values = (spec: Record<string, unknown>) => (spec.data as { values: Record<string, unknown>[] }).values;

describe("plan chart specs", () => {
  it("targetSeriesSpec: a panel per target (goals' order first), each row carries its target's goal, the forecast with its interval", () => {
    const spec = targetSeriesSpec(
      [
        { target: "B", period: "2025-Q1", value: 10, kind: "actual" },
        { target: "B", period: "2026-Q1", value: 8, kind: "forecast", lower: 6, upper: 10 },
        { target: "A", period: "2025/26", value: 3, kind: "actual" },
      ],
      [
        { target: "A", goal: 2 },
        { target: "B", goal: 9.5 },
      ],
    );
    expect((spec.facet as { sort: string[] }).sort).toEqual(["A", "B"]);
    expect(values(spec)).toEqual([
      { target: "B", period: "2025-Q1", value: 10, kind: "Actual", lower: null, upper: null, goal: 9.5 },
      { target: "B", period: "2026-Q1", value: 8, kind: "Forecast", lower: 6, upper: 10, goal: 9.5 },
      { target: "A", period: "2025/26", value: 3, kind: "Actual", lower: null, upper: null, goal: 2 },
    ]);
    const layers = (spec.spec as { layer: { mark: { type: string }; transform?: { filter: { equal: string } }[] }[] }).layer;
    expect(layers.map((l) => [l.mark.type, l.transform?.[0]?.filter.equal ?? null])).toEqual([
      ["line", "Actual"],
      ["rule", null],
      ["errorbar", "Forecast"],
      ["point", "Forecast"],
    ]);
  });

  it("stackedCountSpec: labels and colours in category order, zero counts dropped, groups in the given order", () => {
    const spec = stackedCountSpec(
      [
        { group: "Violence", category: "red", count: 2 },
        { group: "Violence", category: "green", count: 0 },
        { group: "ASB", category: "green", count: 1 },
      ],
      [
        { key: "green", label: "Green", colour: "#00703c" },
        { key: "red", label: "Red", colour: "#d4351c" },
      ],
      { description: "d", countTitle: "Targets" },
    );
    expect(values(spec)).toEqual([
      { group: "Violence", category: "Red", order: 1, count: 2 },
      { group: "ASB", category: "Green", order: 0, count: 1 },
    ]);
    const enc = spec.encoding as { y: { sort: string[] }; color: { scale: { domain: string[]; range: string[] } } };
    expect(enc.y.sort).toEqual(["Violence", "ASB"]);
    expect(enc.color.scale).toEqual({ domain: ["Green", "Red"], range: ["#00703c", "#d4351c"] });
  });

  it("targetGapSpec: one bar per target in the given order, RAG by its label and colour", () => {
    const spec = targetGapSpec(
      [
        { target: "1. Fires", offPercent: 60, rag: "red" },
        { target: "2. FTE", offPercent: 0, rag: "green" },
      ],
      [
        { key: "green", label: "Green", colour: "#00703c" },
        { key: "red", label: "Red", colour: "#d4351c" },
      ],
    );
    expect(values(spec)).toEqual([
      { target: "1. Fires", offPercent: 60, rag: "Red" },
      { target: "2. FTE", offPercent: 0, rag: "Green" },
    ]);
    const enc = spec.encoding as { y: { sort: string[] }; color: { scale: { domain: string[] } } };
    expect(enc.y.sort).toEqual(["1. Fires", "2. FTE"]);
    expect(enc.color.scale.domain).toEqual(["Green", "Red"]);
  });
});
