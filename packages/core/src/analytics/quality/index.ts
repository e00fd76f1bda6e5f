export * from "./data-quality.ts";
export * from "./flagged-months.ts";
export * from "./quality.types.ts";
export * from "./usual-band.ts";
