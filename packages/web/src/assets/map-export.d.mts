// Types of map-export.mjs for the Node tests that import it.
export type Point = [number, number];
export interface Shape {
  parts: Point[][];
  closed: boolean;
  stroke?: string | null;
  strokeWidth?: number;
  dash?: string | null;
  fill?: string | null;
  fillOpacity?: number;
}
export interface MapSvgOptions {
  width: number;
  height: number;
  title: string;
  subtitle?: string;
  shapes: Shape[];
  labels?: { x: number; y: number; text: string }[];
  legend?: { colour: string; label: string; outline?: boolean; dash?: string }[];
  metresPerPixel: number;
  notes?: string[];
  attribution: string;
}
export function pathData(parts: Point[][], closed: boolean): string;
export function niceScale(metresPerPixel: number, maxPx: number): { metres: number; px: number; label: string } | null;
export function mapSvg(o: MapSvgOptions): string;
