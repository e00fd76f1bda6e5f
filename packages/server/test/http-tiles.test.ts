import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createApp } from "../src/http/app.tsx";
import { type TestStore, openTestStore } from "./dialects.ts";

describe("map tiles", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore("sqlite");
  });
  afterAll(() => store?.destroy());

  it("lets images come from the configured tile server's origin, and only from there", async () => {
    const withTiles = createApp({ store, tiles: { url: "https://tiles.example.org/osm/{z}/{x}/{y}.png", attribution: "© OpenStreetMap" } });
    const csp = (await withTiles.request("/healthz")).headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/img-src 'self' data: https:\/\/tiles\.example\.org(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*tiles/);
    const without = (await createApp({ store }).request("/healthz")).headers.get("content-security-policy") ?? "";
    expect(without).toMatch(/img-src 'self' data:(;|$)/);
  });

  it("is configured by SAFECITY_TILE_URL, checked with the other settings", () => {
    expect(loadConfig({ SAFECITY_TILE_URL: "/tiles/{z}/{x}/{y}.png" }, "/tmp").tiles).toEqual({ url: "/tiles/{z}/{x}/{y}.png", attribution: "" });
    expect(loadConfig({}, "/tmp").tiles).toBeNull();
    expect(() => loadConfig({ SAFECITY_TILE_URL: "tiles.example.org", PORT: "x" }, "/tmp")).toThrow(
      /SAFECITY_TILE_URL must be an http\(s\) URL[\s\S]*PORT must be a port number|PORT must be a port number[\s\S]*SAFECITY_TILE_URL must be/,
    );
  });
});
