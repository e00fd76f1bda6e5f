import { describe, expect, it } from "vitest";
import { isOrganisationKind, isRole, roleAtLeast } from "./account.ts";

describe("roles", () => {
  it("orders admin > analyst > editor > viewer", () => {
    expect(roleAtLeast("admin", "viewer")).toBe(true);
    expect(roleAtLeast("analyst", "editor")).toBe(true);
    expect(roleAtLeast("editor", "editor")).toBe(true);
    expect(roleAtLeast("viewer", "editor")).toBe(false);
    expect(roleAtLeast("analyst", "admin")).toBe(false);
  });
  it("recognises only the listed roles and organisation kinds", () => {
    expect(isRole("viewer")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(isOrganisationKind("fire")).toBe(true);
    expect(isOrganisationKind("army")).toBe(false);
  });
});
