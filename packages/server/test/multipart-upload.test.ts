import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { safeFileName, saveMultipart } from "../src/http/multipart-upload.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-multipart-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BOUNDARY = "----safecityboundary7MA4YWxkTrZu0gW";

/** A multipart body of one `files` part of `size` bytes, generated chunk by chunk (never held whole). */
function streamedUpload(name: string, size: number, chunk = 1024 * 1024): Request {
  const head = new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/zip\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);
  const block = new Uint8Array(chunk).fill(0x41);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(head);
        stage = 1;
      } else if (stage === 1) {
        const n = Math.min(chunk, size - sent);
        controller.enqueue(n === chunk ? block : block.subarray(0, n));
        sent += n;
        if (sent >= size) stage = 2;
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return new Request("http://localhost/upload", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: "half",
  } as RequestInit);
}

describe("saveMultipart", () => {
  it("streams a 256 MB upload to disk without holding it in memory", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "big-"));
    const size = 256 * 1024 * 1024;
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss - before.rss, m.arrayBuffers - before.arrayBuffers);
    }, 20);
    const { files } = await saveMultipart(streamedUpload("national.zip", size), { dir, limitBytes: 512 * 1024 * 1024, extensions: [".zip"] });
    clearInterval(timer);
    expect(files).toEqual([{ name: "national.zip", path: path.join(dir, "national.zip"), bytes: size }]);
    expect(fs.statSync(files[0]!.path).size).toBe(size);
    // buffering would add at least 256 MB; streaming stays within a few chunks and the stream buffers
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it("stops at the limit while streaming, with no Content-Length to go by", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "limit-"));
    await expect(saveMultipart(streamedUpload("big.zip", 3 * 1024 * 1024), { dir, limitBytes: 2 * 1024 * 1024, extensions: [".zip"] })).rejects.toMatchObject({
      code: "upload.too_large",
      message: "The upload is larger than the 2 MB limit.",
    });
  });

  it("refuses a body that is not multipart", async () => {
    const req = new Request("http://localhost/upload", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await expect(saveMultipart(req, { dir: tmp, limitBytes: 1024, extensions: [".csv"] })).rejects.toMatchObject({ code: "upload.invalid" });
  });

  it("keeps only a safe base name", () => {
    expect(safeFileName("../../etc/passwd.csv")).toBe("passwd.csv");
    expect(safeFileName("C:\\Users\\me\\2025-01-hampshire-street.csv")).toBe("2025-01-hampshire-street.csv");
    expect(safeFileName("<b>alert(1)<b>.zip")).toBe("_b_alert_1_b_.zip");
    expect(safeFileName("..")).toBe("upload");
    expect(safeFileName(".hidden.csv")).toBe("hidden.csv");
  });
});
