import { cellToBoundary, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { toBng } from "./bng.ts";
import { hotspotGiStar } from "./hotspot-gi-star.ts";
import { toGeoJSON } from "./to-geojson.ts";

describe("toGeoJSON", () => {
  it("square cells: the 4 BNG corners back in WGS84, counter-clockwise and closed, the table row as properties", () => {
    const result = hotspotGiStar({ kind: "square", cellSize: 250, cells: [{ id: "441750_112250", count: 3 }, { id: "442000_112250", count: 0 }] });
    const fc = toGeoJSON(result);
    expect(fc.type).toBe("FeatureCollection");
    const f = fc.features[0]!;
    expect(f.id).toBe("441750_112250");
    expect(f.properties).toEqual(result.cells[0]);
    const ring = f.geometry.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    const corners = ring.slice(0, 4).map(([lon, lat]) => toBng(lon, lat));
    const want = [[441750, 112250], [442000, 112250], [442000, 112500], [441750, 112500]];
    corners.forEach(([e, n], i) => {
      expect(Math.abs(e - want[i]![0]!)).toBeLessThan(0.02);
      expect(Math.abs(n - want[i]![1]!)).toBeLessThan(0.02);
    });
    // shoelace area > 0: counter-clockwise
    let a = 0;
    for (let i = 0; i < 4; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(a).toBeGreaterThan(0);
    // neighbouring cells share their corners exactly
    expect(fc.features[1]!.geometry.coordinates[0]![0]).toEqual(ring[1]);
  });

  it("H3 cells: cellToBoundary as GeoJSON", () => {
    const id = latLngToCell(50.9097, -1.4044, 9);
    const fc = toGeoJSON({ kind: "h3", cells: [{ id, count: 1 }] });
    const ring = fc.features[0]!.geometry.coordinates[0]!;
    expect(ring).toHaveLength(7);
    expect(ring[0]).toEqual(ring[6]);
    const b = cellToBoundary(id, true);
    expect(ring[2]![0]).toBeCloseTo(b[2]![0]!, 6);
  });
});
