import { describe, expect, it } from "vitest";
import { AssessmentSchema } from "./assessment.schema.ts";
import { canonicalJson, canonicalize } from "./canonical.ts";

describe("canonicalize", () => {
  it("sorts keys at every depth, keeps array order, drops undefined", () => {
    expect(JSON.stringify(canonicalize({ b: 1, a: { d: [3, 1, 2], c: undefined, b: null } }))).toBe('{"a":{"b":null,"d":[3,1,2]},"b":1}');
  });

  it("rounds to 10 significant digits, so sums in another order agree", () => {
    const a = 0.1 + 0.2 + 0.3;
    const b = 0.3 + 0.2 + 0.1;
    expect(a).not.toBe(b);
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize(2 / 3)).toBe(0.6666666667);
    expect(canonicalize(123456.789012345)).toBe(123456.789);
    expect(canonicalize(1.877470684123e-11)).toBe(1.877470684e-11);
    expect(canonicalize(33_626)).toBe(33_626);
    expect(Object.is(canonicalize(-0), 0)).toBe(true);
  });

  it("refuses NaN and Infinity, naming where", () => {
    expect(() => canonicalize({ a: [1, Number.NaN] })).toThrow("$.a[1] is NaN");
    expect(() => canonicalize({ r: Number.POSITIVE_INFINITY })).toThrow("$.r is Infinity");
  });

  it("writes indented JSON with a final newline, stable on a second pass", () => {
    const text = canonicalJson({ z: 1 / 7, a: "x" });
    expect(text).toBe('{\n  "a": "x",\n  "z": 0.1428571429\n}\n');
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });
});

describe("AssessmentSchema", () => {
  it("rejects a document missing a section or with an unknown status", () => {
    expect(AssessmentSchema.safeParse({ schemaVersion: 1 }).success).toBe(false);
    const r = AssessmentSchema.shape.seasonality.safeParse({ status: "maybe", message: null, notes: [], group: "All crime", monthly: null, profile: null });
    expect(r.success).toBe(false);
    const ok = AssessmentSchema.shape.seasonality.safeParse({ status: "insufficient", message: "needs 24 months", notes: [], group: "All crime", monthly: [{ month: "2025-01", count: null }], profile: null });
    expect(ok.success).toBe(true);
  });
});
