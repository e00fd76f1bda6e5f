import proj4 from "proj4";

/**
 * British National Grid (EPSG:27700) as proj4 defines it: transverse Mercator on the Airy 1830
 * ellipsoid with the standard 7-parameter Helmert shift to WGS84 (accurate to a few metres, which
 * is well inside any hotspot cell; the OSTN15 grid shift is not used).
 */
export const BNG_PROJ4 =
  "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy " +
  "+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";

const converter = proj4("EPSG:4326", BNG_PROJ4);

/** WGS84 longitude/latitude (degrees) to BNG easting/northing (metres). */
export function toBng(lon: number, lat: number): [number, number] {
  const [e, n] = converter.forward([lon, lat]);
  return [e!, n!];
}

/** BNG easting/northing (metres) to WGS84 [longitude, latitude] (degrees). */
export function fromBng(easting: number, northing: number): [number, number] {
  const [lon, lat] = converter.inverse([easting, northing]);
  return [lon!, lat!];
}
