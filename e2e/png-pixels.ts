/// <reference lib="dom" />
import type { Browser } from "playwright-core";

/**
 * Counts the pixels of a PNG within `tolerance` of an RGB colour. The PNG is decoded by the
 * browser itself (an <img> drawn on a canvas in a blank page), so no PNG library is needed.
 */
export async function countColourPixels(browser: Browser, png: Buffer, hex: string, tolerance = 8): Promise<number> {
  const page = await browser.newPage();
  try {
    const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    return await page.evaluate(
      async ({ b64, rgb, tolerance }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i]! - rgb[0]!) <= tolerance && Math.abs(d[i + 1]! - rgb[1]!) <= tolerance && Math.abs(d[i + 2]! - rgb[2]!) <= tolerance) n++;
        }
        return n;
      },
      { b64: png.toString("base64"), rgb, tolerance },
    );
  } finally {
    await page.close();
  }
}
