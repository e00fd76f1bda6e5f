import { describe, expect, it } from "vitest";
import { dissolvedOutline, insidePolygon, labelPoint, type Position, polygonLabelPoint, SOURCE_INSTALLED, SOURCE_LSOAS, wardFeatures } from "../src/services/ward-outlines.ts";

const square = (x: number, y: number, s = 1): Position[][] => [
  [
    [x, y],
    [x + s, y],
    [x + s, y + s],
    [x, y + s],
    [x, y],
  ],
];
const geometry = (p: Position[][]) => ({ type: "Polygon", coordinates: p });
/** Every edge of lines as "x,y|x,y", direction-free, sorted. */
const edges = (lines: Position[][]) =>
  lines
    .flatMap((l) => l.slice(1).map((b, i) => [l[i]!.join(","), b.join(",")].sort().join("|")))
    .sort();

describe("ward outlines from LSOA boundaries", () => {
  it("keeps only the edges one polygon uses: two unit squares side by side make a 2 x 1 outline", () => {
    const lines = dissolvedOutline([square(0, 0), square(1, 0)]);
    // the shared edge (1,0)-(1,1) is gone; 6 outer edges remain, chained into one closed line
    expect(edges(lines)).toEqual(["0,0|1,0", "0,0|0,1", "0,1|1,1", "1,0|2,0", "1,1|2,1", "2,0|2,1"].map((e) => e.split("|").sort().join("|")).sort());
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toEqual(lines[0]![lines[0]!.length - 1]);
    expect(dissolvedOutline([])).toEqual([]);
  });

  it("puts a label inside: the centroid when it is inside, else the widest inside stretch through it", () => {
    expect(labelPoint([square(0, 0, 2)])).toEqual([1, 1]);
    // a U: the outer ring's centroid (x = 1.5) falls in the notch (1..2 x 1..3); the line y = c lies
    // inside from x 0..1 and 2..3, both 1 wide: the first is taken, its middle x = 0.5
    const u: Position[][] = [
      [
        [0, 0],
        [3, 0],
        [3, 3],
        [2, 3],
        [2, 1],
        [1, 1],
        [1, 3],
        [0, 3],
        [0, 0],
      ],
    ];
    const p = polygonLabelPoint(u)!;
    expect(insidePolygon([1.5, p[1]], u)).toBe(false);
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(insidePolygon(p, u)).toBe(true);
    // two squares far apart: the area-weighted centroid (between them) is in neither, so the larger one's centre
    expect(labelPoint([square(0, 0, 1), square(10, 0, 2)])).toEqual([11, 1]);
  });

  it("uses a ward's installed boundary, else the outline of its LSOAs, and names each ward", () => {
    const installed = [
      { code: "L1", level: "lsoa", geometry: geometry(square(0, 0)) },
      { code: "L2", level: "lsoa", geometry: geometry(square(1, 0)) },
      { code: "L3", level: "lsoa", geometry: geometry(square(5, 5)) },
      { code: "W2", level: "ward", geometry: geometry(square(5, 5, 4)) },
    ];
    const lookup = [
      { lsoa: "L1", ward: "W1", name: "Bargate" },
      { lsoa: "L2", ward: "W1", name: "Bargate" },
      { lsoa: "L3", ward: "W2", name: null },
      { lsoa: "L9", ward: "W3", name: "No shapes" },
    ];
    const f = wardFeatures(installed, lookup, new Map([["W2", "Bevois"]]));
    expect(f.map((x) => [x.id, x.properties.name, x.geometry.type, x.properties.source, x.properties.label])).toEqual([
      ["W1", "Bargate", "MultiLineString", SOURCE_LSOAS, [1, 0.5]],
      ["W2", "Bevois", "Polygon", SOURCE_INSTALLED, [7, 7]],
    ]);
  });
});
