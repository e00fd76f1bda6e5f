export * from "./errors.ts";
export * from "./domain/crime-types.ts";
export * from "./domain/month.ts";
export * from "./domain/area.ts";
export * from "./domain/account.ts";
export * from "./analytics/index.ts";
export * from "./domain/close-matches.ts";
export * from "./assessment/index.ts";
