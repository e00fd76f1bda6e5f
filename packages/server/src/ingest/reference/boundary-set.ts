import { readBoundaries } from "./boundary.reader.ts";
import type { ManifestEntry } from "./manifest.ts";

/** Boundary files, in priority order for a code supplied twice (LSOA 2021 before 2011, newest LAD/PFA first). */
export function readReferenceBoundaries(): ManifestEntry[] {
  const b = (name: string, file: string, description: string): ManifestEntry => ({ name, files: [file], required: false, read: readBoundaries, description });
  return [
    b("boundaries.lsoa21_hampshire", "boundaries/boundaries_lsoa21_hampshire_pfa.geojson", "LSOA 2021 boundaries, Hampshire force area"),
    b("boundaries.southampton_lsoa21", "boundaries/southampton_lsoa.geojson", "LSOA 2021 boundaries (Southampton extract)"),
    b("boundaries.lsoa11_hampshire", "boundaries/boundaries_lsoa11_hampshire_pfa.geojson", "LSOA 2011 boundaries, Hampshire force area (codes not in 2021 only)"),
    b("boundaries.wards22_hampshire", "boundaries/boundaries_wards22_hampshire_pfa.geojson", "wards (Dec 2022), Hampshire force area"),
    b("boundaries.ltla24", "boundaries/boundaries_ltla24.geojson", "local authorities 2024 (ultra-generalised)"),
    b("boundaries.hampshire_districts", "boundaries/hampshire-districts.geojson", "Hampshire districts (LAD 2023)"),
    b("boundaries.pfa23", "boundaries/Police_Force_Areas.geojson", "police force areas (Dec 2023)"),
    b("boundaries.pfa20", "boundaries/boundaries_pfa20.geojson", "police force areas (2020)"),
  ];
}
