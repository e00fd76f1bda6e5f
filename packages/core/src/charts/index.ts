export * from "./chart-spec.ts";
export * from "./trend-chart.ts";
export * from "./peer-chart.ts";
export * from "./plan-chart.ts";
