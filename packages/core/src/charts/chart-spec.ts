/**
 * Vega-Lite specs for the analysis pages and reports: pure builders (data in, spec out), rendered
 * to SVG on the server (vega `View.toSVG()`) and interactive in the browser with the same spec.
 * Colours are GOV.UK Design System colours; every chart has a description for screen readers
 * (the table next to it carries the figures).
 */
export type VegaLiteSpec = Record<string, unknown>;

export const CHART_COLOURS = {
  blue: "#1d70b8",
  darkBlue: "#003078",
  red: "#d4351c",
  orange: "#f47738",
  green: "#00703c",
  grey: "#505a5f",
  lightGrey: "#b1b4b6",
  paleBlue: "#d2e2f1",
} as const;

export const CHART_CONFIG = {
  font: "Arial, Helvetica, sans-serif",
  axis: { labelFontSize: 12, titleFontSize: 13, labelColor: "#0b0c0c", titleColor: "#0b0c0c" },
  legend: { labelFontSize: 12, titleFontSize: 13 },
  header: { labelFontSize: 13, labelFontWeight: "bold" },
  view: { stroke: null },
  background: "white",
} as const;
