import { describe, expect, it } from "vitest";
import { buildDemoCity } from "../src/demo/demo-city.ts";
import { convexHull, outline, worldPoints } from "../src/demo/demo-boundaries.ts";

/** Inside (or on) a counter-clockwise convex ring: left of, or on, every edge. */
function insideConvex(ring: number[][], [x, y]: readonly [number, number]): boolean {
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i]!;
    const [bx, by] = ring[i + 1]!;
    if ((bx! - ax!) * (y - ay!) - (by! - ay!) * (x - ax!) < -1e-12) return false;
  }
  return true;
}

describe("demo boundaries", () => {
  it("takes the convex hull: a square's corners counter-clockwise, inner and repeated points left out", () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [1, 0],
      [2, 2],
    ]);
    expect(hull).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ]);
  });

  it("enlarges the hull about the points' mean and closes the ring; points on a line give their widened bounding box", () => {
    const square = outline(
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ],
      Math.SQRT2,
    );
    // Centre (1,1), corners sqrt(2) away on average: scale 1 + sqrt(2)/sqrt(2) = 2 about the centre.
    expect(square.coordinates[0]).toEqual([
      [-1, -1],
      [3, -1],
      [3, 3],
      [-1, 3],
      [-1, -1],
    ]);
    const line = outline(
      [
        [5, 5],
        [6, 5],
        [7, 5],
      ],
      0.5,
    );
    expect(line.coordinates[0]).toEqual([
      [4.5, 4.5],
      [7.5, 4.5],
      [7.5, 5.5],
      [4.5, 5.5],
      [4.5, 4.5],
    ]);
  });

  it("gives every LSOA, ward, local authority and CSP of the city an outline holding all its map points", () => {
    const city = buildDemoCity();
    const boundary = city.reference.boundary;
    const codes = new Set(city.world.lsoas.map((l) => l.code));
    expect([...boundary.values()].filter((b) => b.level === "lsoa")).toHaveLength(codes.size);
    expect([...boundary.values()].filter((b) => b.level === "ward")).toHaveLength(city.reference.ward.size);
    expect([...boundary.values()].filter((b) => b.level === "lad")).toHaveLength(7);
    expect([...boundary.values()].filter((b) => b.level === "csp")).toHaveLength(7);
    const points = worldPoints(city.world);
    expect(points.length).toBe(city.world.pointCount);
    for (const { code, point } of points) {
      expect(codes.has(code)).toBe(true);
      for (const area of [code, city.wardOf.get(code)!]) {
        const ring = (JSON.parse(boundary.get(area)!.geometry) as { coordinates: number[][][] }).coordinates[0]!;
        expect(insideConvex(ring, point), `${code} point ${point} in ${area}`).toBe(true);
      }
    }
  });
});
