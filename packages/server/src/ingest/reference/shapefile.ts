import { AppError } from "@safecity/core";
import proj4 from "proj4";
import { read as readShapefile } from "shapefile";

/**
 * British National Grid (EPSG:27700) with the OSGB36 -> WGS84 Helmert parameters (about 5 m),
 * written out because the ESRI WKT in an ONS `.prj` names the datum but carries no parameters
 * (proj4 would then skip the datum shift and be ~100 m out).
 */
const BNG = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";
const toWgs84 = proj4(BNG, "WGS84");

export type Crs = "bng" | "wgs84";

/** The coordinate system a `.prj` names: British National Grid or WGS84 longitude/latitude; null for anything else. */
export function crsOfPrj(prj: string): Crs | null {
  if (/British_National_Grid|OSGB[_ ]?(19)?36|EPSG[",:]+27700/i.test(prj)) return "bng";
  if (/^GEOGCS\[.*(WGS[_ ]?(19)?84|EPSG[",:]+4326)/is.test(prj.trim())) return "wgs84";
  return null;
}

type Position = [number, number, ...number[]];
type Coords = Position | Coords[];

function reproject(c: Coords): Coords {
  if (typeof c[0] === "number") {
    const [x, y] = toWgs84.forward([(c as Position)[0], (c as Position)[1]]);
    return [Math.round(x! * 1e7) / 1e7, Math.round(y! * 1e7) / 1e7];
  }
  return (c as Coords[]).map(reproject);
}

/**
 * A shapefile (`.shp` + `.dbf`, `.prj` naming its coordinate system) as a GeoJSON FeatureCollection
 * text in WGS84: British National Grid is reprojected with proj4 (to 1e-7 degrees, about 1 cm).
 * A missing `.dbf` or `.prj`, or a coordinate system other than BNG or WGS84, is refused naming the file.
 */
export async function shapefileToGeoJson(parts: { shp: Buffer; dbf?: Buffer; prj?: string; cpg?: string }, file: string): Promise<string> {
  const refuse = (message: string, hint: string) => new AppError("reference.bad_file", `${file}: ${message}`, { problems: [{ file, message }], hint });
  if (!parts.dbf) throw refuse("the shapefile has no .dbf (its attributes, with the area codes)", "download the whole zipped shapefile from the ONS Open Geography Portal");
  if (parts.prj === undefined) throw refuse("the shapefile has no .prj, so its coordinate system is unknown", "download the whole zipped shapefile (with its .prj), or the GeoJSON version");
  const crs = crsOfPrj(parts.prj);
  if (!crs) throw refuse(`unsupported coordinate system in the .prj: ${parts.prj.slice(0, 80)}`, "use the British National Grid or WGS84 shapefile, or the GeoJSON version");
  let fc: Awaited<ReturnType<typeof readShapefile>>;
  try {
    fc = await readShapefile(parts.shp, parts.dbf, { encoding: parts.cpg?.trim() || "utf-8" });
  } catch (e) {
    throw refuse(`not a readable shapefile (${(e as Error).message})`, "download the zipped shapefile again from the ONS Open Geography Portal");
  }
  if (crs === "bng") {
    for (const f of fc.features) if (f.geometry) f.geometry = { ...f.geometry, coordinates: reproject(f.geometry.coordinates as Coords) };
  }
  return JSON.stringify(fc);
}
