import { describe, expect, it } from "vitest";
import { penceToPounds, poundsToPence } from "./money.ts";

describe("money", () => {
  it("reads pounds as whole pence without float rounding", () => {
    expect(poundsToPence("75000.00")).toBe(7_500_000);
    expect(poundsToPence("£1,250.5")).toBe(125_050);
    expect(poundsToPence("0.29")).toBe(29);
    expect(poundsToPence("19.99")).toBe(1999);
    expect(poundsToPence(" 12 ")).toBe(1200);
  });

  it("refuses what is not an amount of money", () => {
    for (const bad of ["", "12.345", "-5", "1e3", "ten", "12.", ".5"]) expect(poundsToPence(bad)).toBeNull();
  });

  it("prints pence as pounds with two decimals", () => {
    expect(penceToPounds(7_500_000)).toBe("75000.00");
    expect(penceToPounds(125_050)).toBe("1250.50");
    expect(penceToPounds(5)).toBe("0.05");
    expect(penceToPounds(-5)).toBe("-0.05");
    expect(penceToPounds(0)).toBe("0.00");
  });
});
