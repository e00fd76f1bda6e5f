import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { fromBng } from "./bng.ts";
import { hotspotKde, kdeBandwidth, QUARTIC_PER_GAUSSIAN } from "./hotspot-kde.ts";

function at(e: number, n: number) {
  const [lon, lat] = fromBng(e, n);
  return { lon, lat };
}

describe("hotspotKde by hand", () => {
  // One point at the centre of cell 1000_1000 (100 m cells), bandwidth 300 m.
  const pts = [at(1050, 1050), at(850, 850), at(1350, 1350)];
  const r = hotspotKde(pts, { cellSize: 100, bandwidth: 300 });
  const k = (d: number) => (d < 300 ? (3 / (Math.PI * 300 ** 2)) * (1 - (d * d) / 300 ** 2) ** 2 * 1e6 : 0);
  const byId = new Map(r.cells.map((c) => [c.id, c]));

  it("density at a cell centre is Σ 3/(π r²)(1 − d²/r²)² over points within r, per km²", () => {
    // centre (1050, 1050): the point on it (d = 0), the others at d = sqrt(2)·200 = 282.8 and sqrt(2)·300 = 424 (outside)
    expect(byId.get("1000_1000")!.density).toBeCloseTo(k(0) + k(Math.SQRT2 * 200), 3);
    // centre (1150, 1050): d = 100 to the first point, sqrt(300² + 200²) = 360.6 (outside), sqrt(200² + 300²) (outside)
    expect(byId.get("1100_1000")!.density).toBeCloseTo(k(100), 3);
    expect(byId.get("1000_1000")!.count).toBe(1);
  });

  it("one point's kernel sums to 1 over the cells around it", () => {
    const r3 = hotspotKde([at(4000, 4000), at(5005, 5005), at(6000, 6000)], { cellSize: 10, bandwidth: 200 });
    let mass = 0;
    for (const c of r3.cells) {
      const [e, n] = c.id.split("_").map(Number);
      if (Math.hypot(e! + 5 - 5005, n! + 5 - 5005) < 300) mass += (c.density * 100) / 1e6; // per km² x 100 m²
    }
    expect(mass).toBeCloseTo(1, 2);
  });

  it("reports the kernel, bandwidth and grid; chooses and announces the bandwidth when not given", () => {
    expect(r.params).toMatchObject({ bandwidth: 300, bandwidthSource: "given", unit: "points per km²" });
    const auto = hotspotKde(pts, { cellSize: 100 });
    expect(auto.params.bandwidthSource).toBe("auto");
    expect(auto.notes.join(" ")).toMatch(/bandwidth set to \d+ m automatically/);
    const half = hotspotKde(pts, { cellSize: 100, bandwidthAdjust: 0.5 });
    expect(half.params.bandwidth).toBe(Math.max(100, Math.round(auto.params.bandwidth * 0.5)));
    expect(half.params.bandwidthAdjust).toBe(0.5);
  });

  it("kdeBandwidth: Silverman h on each axis, x 2.6226 for the quartic radius, at least one cell", () => {
    // eastings 0, 100, 200, 300, 400: sd = 158.11, IQR = 200 -> 200/1.34 = 149.25; northings constant (spread 0)
    const e = Float64Array.from([0, 100, 200, 300, 400]);
    const n = Float64Array.from([0, 0, 0, 0, 0]);
    const h = 1.06 * ((200 / 1.34 + 0) / 2) * 5 ** -0.2;
    expect(kdeBandwidth(e, n, 10)).toBe(Math.round(QUARTIC_PER_GAUSSIAN * h));
    expect(kdeBandwidth(e, n, 500)).toBe(500);
  });

  it("works on H3 and checks its options", () => {
    const h = hotspotKde(pts, { grid: "h3", resolution: 10, bandwidth: 300 });
    expect(h.kind).toBe("h3");
    expect(h.cells.some((c) => c.density > 0)).toBe(true);
    expect(() => hotspotKde(pts, { bandwidth: 0 })).toThrow(AppError);
  });
});
