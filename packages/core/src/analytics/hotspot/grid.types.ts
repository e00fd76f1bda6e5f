/** A located event. Longitude/latitude in WGS84 degrees; either may be missing (police.uk rows without a location). */
export interface HotspotPoint {
  lon?: number | null;
  lat?: number | null;
}

export interface GridCell {
  /** Square: `"<easting>_<northing>"` of the lower-left corner in BNG metres. H3: the H3 index. */
  id: string;
  count: number;
}

/** What the grid functions did with the points they were given. */
export interface PointTally {
  total: number;
  counted: number;
  /** Rows with no (or non-finite, or out-of-range) longitude/latitude: counted here, not placed in any cell. */
  withoutCoordinates: number;
}

/** Cell counts on a square BNG grid, every cell of the extent included (zeros too). */
export interface SquareCells {
  kind: "square";
  cellSize: number;
  cells: GridCell[];
}

/** Cell counts on an H3 grid. */
export interface H3Cells {
  kind: "h3";
  resolution: number;
  cells: GridCell[];
}

/** The input of `hotspotGiStar`: the output of `gridSquare`/`gridH3`, or counts built elsewhere (e.g. in SQL). */
export type HotspotCells = SquareCells | H3Cells;

export interface SquareGridParams {
  grid: "square";
  crs: "EPSG:27700";
  cellSize: number;
  cellSizeSource: "given" | "auto";
  /** The auto rule aims at this many cells along the shorter side of the points' extent. */
  cellsOnShorterSide: number;
}

export interface H3GridParams {
  grid: "h3";
  resolution: number;
  resolutionSource: "given" | "auto";
  cellsOnShorterSide: number;
}

export interface SquareGrid extends SquareCells {
  /** Extent in BNG metres (cell edges), and its size in cells. */
  extent: { minEasting: number; minNorthing: number; maxEasting: number; maxNorthing: number; columns: number; rows: number };
  params: SquareGridParams;
  points: PointTally;
  notes: string[];
}

export interface H3Grid extends H3Cells {
  params: H3GridParams;
  points: PointTally;
  notes: string[];
}
