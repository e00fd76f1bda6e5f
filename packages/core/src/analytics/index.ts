// Analytics: pure functions, plain arrays in, plain values out. One line per module; append, don't rewrite.
export * from "./stats/special.ts";
export * from "./stats/beta.ts";
export * from "./stats/gamma.ts";
export * from "./stats/binom.ts";
export * from "./stats/format.ts";
export * from "./trend/poisson-test.ts";
export * from "./trend/monthly.ts";
export * from "./trend/crime-group.ts";
export * from "./trend/trend-series.ts";
export * from "./trend/trend-change.ts";
export * from "./season/seasonal-profile.ts";
export * from "./hotspot/index.ts";
export * from "./peer/funnel-limits.ts";
export * from "./peer/peer-compare.ts";
export * from "./concentration/concentration.ts";
export * from "./narrative/narrate-assessment.ts";
export * from "./narrative/narrative-figures.ts";
