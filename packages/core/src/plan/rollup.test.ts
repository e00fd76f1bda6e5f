import { describe, expect, it } from "vitest";
import { rollUp, rollUpBy } from "./rollup.ts";

describe("rollUp", () => {
  it("counts actions by status and by the RAG of their status, leaving cancelled ones out of the RAG", () => {
    const r = rollUp(
      [{ status: "on_track" }, { status: "completed" }, { status: "at_risk" }, { status: "off_track" }, { status: "not_started" }, { status: "cancelled" }, { status: "on_track" }],
      [{ rag: "green" }, { rag: "red" }, { rag: "red" }, { rag: "no_data" }],
    );
    expect(r.actions).toBe(7);
    expect(r.actionsByStatus).toEqual({ not_started: 1, on_track: 2, at_risk: 1, off_track: 1, completed: 1, cancelled: 1 });
    expect(r.actionsByRag).toEqual({ green: 3, amber: 1, red: 1, no_data: 1 });
    expect(r.targets).toBe(4);
    expect(r.targetsByRag).toEqual({ green: 1, amber: 0, red: 2, no_data: 1 });
  });

  it("gives zero counts for an empty group", () => {
    const r = rollUp([], []);
    expect(r.actions + r.targets).toBe(0);
    expect(Object.values(r.actionsByStatus).every((n) => n === 0)).toBe(true);
  });

  it("rolls up by key, including keys with nothing, in the order given", () => {
    const r = rollUpBy(
      [2, 1, 3],
      [
        { key: 1, status: "on_track" },
        { key: 2, status: "off_track" },
        { key: 1, status: "at_risk" },
      ],
      [{ key: 2, rag: "amber" }],
    );
    expect(r.map((x) => [x.key, x.rollup.actions, x.rollup.targets])).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [3, 0, 0],
    ]);
    expect(r[1]!.rollup.actionsByRag).toEqual({ green: 1, amber: 1, red: 0, no_data: 0 });
  });
});
