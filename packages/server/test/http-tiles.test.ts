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
    expect(loadConfig({ SAFECITY_TILE_URL: "/tiles/{z}/{x}/{y}.png", SAFECITY_TILE_ATTRIBUTION: "© Council" }, "/tmp").tiles).toEqual({ url: "/tiles/{z}/{x}/{y}.png", attribution: "© Council" });
    expect(() => loadConfig({ SAFECITY_TILE_URL: "tiles.example.org", PORT: "x" }, "/tmp")).toThrow(
      /SAFECITY_TILE_URL must be an http\(s\) URL[\s\S]*PORT must be a port number|PORT must be a port number[\s\S]*SAFECITY_TILE_URL must be/,
    );
  });

  it("defaults to OpenStreetMap's tiles with their credit; `none` turns the base map off (decision 0025)", async () => {
    const osm = loadConfig({}, "/tmp").tiles;
    expect(osm).toEqual({ url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution: "© OpenStreetMap contributors" });
    expect(loadConfig({ SAFECITY_TILE_URL: "none" }, "/tmp").tiles).toBeNull();
    expect(loadConfig({ SAFECITY_TILE_URL: " NONE " }, "/tmp").tiles).toBeNull();
    // the default's CSP lets images come from tile.openstreetmap.org and nowhere else
    const csp = (await createApp({ store, tiles: osm }).request("/healthz")).headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/img-src 'self' data: https:\/\/tile\.openstreetmap\.org(;|$)/);
  });

  it("needs an attribution for a tile server of one's own, and never quotes a tile URL's key", () => {
    const os = "https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=SECRETKEY123";
    expect(() => loadConfig({ SAFECITY_TILE_URL: os }, "/tmp")).toThrow(/SAFECITY_TILE_ATTRIBUTION must credit the map tiles/);
    const attribution = "Contains OS data © Crown copyright and database rights 2025";
    expect(loadConfig({ SAFECITY_TILE_URL: os, SAFECITY_TILE_ATTRIBUTION: attribution }, "/tmp").tiles).toEqual({ url: os, attribution });
    let message = "";
    try {
      loadConfig({ SAFECITY_TILE_URL: "api.os.uk/maps/{z}/{x}/{y}.png?key=SECRETKEY123", SAFECITY_TILE_ATTRIBUTION: attribution }, "/tmp");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("SAFECITY_TILE_URL must be");
    expect(message).toContain("api.os.uk/maps/{z}/{x}/{y}.png?…");
    expect(message).not.toContain("SECRETKEY123");
  });
});
