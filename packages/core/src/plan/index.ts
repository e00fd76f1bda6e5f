export * from "./plan.types.ts";
export * from "./dates.ts";
export * from "./governance.ts";
