export * from "./plan.types.ts";
export * from "./dates.ts";
export * from "./governance.ts";
export * from "./periods.ts";
export * from "./forecast.ts";
export * from "./performance.ts";
export * from "./rollup.ts";
export * from "./grants.ts";
