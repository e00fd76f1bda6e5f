// Types of export-kit.mjs for the Node tests that import it.
export interface About {
  area: string;
  from: string;
  to: string;
}
export function esc(s: unknown): string;
export function slug(s: unknown): string;
export function exportFileName(about: About | null | undefined, what: string, ext: string): string;
export function wrapText(text: string, width: number, size: number): string[];
export function textBlock(lines: string[], x: number, y: number, size: number, attrs?: string): { markup: string; height: number };
export function svgSize(svg: string): { width: number; height: number };
export function svgToPng(svg: string, scale?: number): Promise<Blob>;
export function download(name: string, content: Blob | string): void;
export function saveButtons(what: string, save: (format: "svg" | "png") => Promise<void>, dataName?: string): HTMLElement;
