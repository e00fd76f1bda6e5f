// Hotspot analytics: grids, Gi*, KDE, emerging hot spots. Pure functions; see each file.
export * from "./bng.ts";
export * from "./cell-size.ts";
export * from "./classify-emerging.ts";
export * from "./fdr.ts";
export * from "./gi-star-scores.ts";
export * from "./grid-cube.ts";
export * from "./grid-h3.ts";
export * from "./grid-square.ts";
export type * from "./grid.types.ts";
export * from "./hotspot-classes.ts";
export * from "./hotspot-emerging.ts";
export * from "./hotspot-gi-star.ts";
export * from "./hotspot-kde.ts";
export * from "./mann-kendall.ts";
export * from "./neighbours.ts";
export * from "./normal.ts";
export * from "./to-geojson.ts";
