import path from "node:path";
import { isAppError } from "@safecity/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_UPLOAD_LIMIT_MB, loadConfig } from "../src/config.ts";

describe("upload settings in the configuration", () => {
  it("defaults to 500 MB under <data dir>/uploads", () => {
    const c = loadConfig({ SAFECITY_DATA_DIR: "/srv/safecity" }, "/");
    expect(DEFAULT_UPLOAD_LIMIT_MB).toBe(500);
    expect(c.uploadLimitBytes).toBe(500 * 1024 * 1024);
    expect(c.uploadDir).toBe(path.join("/srv/safecity", "uploads"));
  });

  it("reads SAFECITY_UPLOAD_LIMIT_MB, fractions included", () => {
    expect(loadConfig({ SAFECITY_UPLOAD_LIMIT_MB: "2" }, "/").uploadLimitBytes).toBe(2 * 1024 * 1024);
    expect(loadConfig({ SAFECITY_UPLOAD_LIMIT_MB: "0.5" }, "/").uploadLimitBytes).toBe(512 * 1024);
  });

  it("reports a bad limit together with the other problems", () => {
    for (const bad of ["0", "-3", "lots"]) {
      try {
        loadConfig({ SAFECITY_UPLOAD_LIMIT_MB: bad, PORT: "http" }, "/");
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe("config.invalid");
        expect((e as Error).message).toContain(`SAFECITY_UPLOAD_LIMIT_MB must be a positive number of megabytes; got \`${bad}\``);
        expect((e as Error).message).toContain("PORT must be a port number");
      }
    }
  });
});
