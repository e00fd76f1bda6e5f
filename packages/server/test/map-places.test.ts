import { describe, expect, it } from "vitest";
import { fromBng } from "../../core/src/analytics/hotspot/bng.ts";
import type { IncidentPlaceCount } from "../src/db/repositories/incident-places.repository.ts";
import { placesOfCells } from "../src/services/map-tables.service.ts";

/** Points at the centres of 1 km cells of British National Grid, so the cell of each is known by hand. */
function at(easting: number, northing: number, location: string, lsoaCode: string, month: string, n: number): IncidentPlaceCount {
  const [lon, lat] = fromBng(easting, northing);
  return { lon, lat, location, lsoaCode, month, n };
}

const wards = new Map([
  ["X", { code: "W2", name: "Bravo" }],
  ["Y", { code: "W1", name: "Alpha" }],
]);
const rows = [
  at(400_500, 100_500, "On or near B Street", "X", "2025-01", 3),
  at(400_400, 100_600, "On or near A Street", "Y", "2025-01", 3),
  at(400_600, 100_300, "On or near C Street", "Z", "2025-02", 5),
  at(402_500, 100_500, "On or near D Street", "X", "2025-01", 2),
];

describe("placesOfCells", () => {
  it("takes the ward and location holding most of a cell's incidents, ties to the first name, with their counts", () => {
    const p = placesOfCells(rows, { kind: "square", cellSize: 1000 }, wards, new Set(["2025-01"]));
    expect([...p.keys()].sort()).toEqual(["400000_100000", "402000_100000"]);
    // 3 and 3: Alpha before Bravo, A Street before B Street
    expect(p.get("400000_100000")).toEqual({ incidents: 6, ward: { code: "W1", name: "Alpha" }, wardIncidents: 3, street: "On or near A Street", streetIncidents: 3 });
    expect(p.get("402000_100000")).toEqual({ incidents: 2, ward: { code: "W2", name: "Bravo" }, wardIncidents: 2, street: "On or near D Street", streetIncidents: 2 });
  });

  it("counts every month when none is given; an LSOA without a ward can be the most frequent, and then the ward is not known", () => {
    const p = placesOfCells(rows, { kind: "square", cellSize: 1000 }, wards);
    expect(p.get("400000_100000")).toEqual({ incidents: 11, ward: null, wardIncidents: 5, street: "On or near C Street", streetIncidents: 5 });
  });

  it("uses the H3 cell of each point on an H3 grid", () => {
    const p = placesOfCells(rows, { kind: "h3", resolution: 7 }, wards, new Set(["2025-01"]));
    expect([...p.values()].reduce((s, c) => s + c.incidents, 0)).toBe(8);
  });
});
