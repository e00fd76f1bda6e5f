export * from "./common.schema.ts";
export * from "./status.schema.ts";
export * from "./imports.schema.ts";
export * from "./counts.schema.ts";
export * from "./reference.schema.ts";
export * from "./analysis.schema.ts";
export * from "./plan.schema.ts";
export * from "./plan-proposals.schema.ts";
