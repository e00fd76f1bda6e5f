import { describe, expect, it } from "vitest";
import { checkLicences, componentLicence } from "./licence-policy.ts";

describe("licence policy", () => {
  it("reads ids, names and expressions, joining several entries with AND", () => {
    expect(componentLicence({ name: "a", licenses: [{ license: { id: "MIT" } }] })).toBe("MIT");
    expect(componentLicence({ name: "a", licenses: [{ expression: "(MIT OR WTFPL)" }] })).toBe("(MIT OR WTFPL)");
    expect(componentLicence({ name: "a", licenses: [{ license: { id: "MIT" } }, { license: { id: "GPL-3.0-only" } }] })).toBe(
      "(MIT) AND (GPL-3.0-only)",
    );
    expect(componentLicence({ name: "a" })).toBeUndefined();
  });

  it("passes permissive licences and a choice that includes one; fails copyleft, none and non-SPDX text", () => {
    const findings = checkLicences([
      { name: "ok-mit", version: "1.0.0", licenses: [{ license: { id: "MIT" } }] },
      { name: "ok-choice", version: "1.0.0", licenses: [{ expression: "(BSD-2-Clause OR MIT OR Apache-2.0)" }] },
      { name: "ok-wtfpl-or-mit", version: "1.0.0", licenses: [{ expression: "(MIT OR WTFPL)" }] },
      { name: "gpl", version: "2.0.0", licenses: [{ license: { id: "GPL-3.0-only" } }] },
      { name: "both", version: "1.0.0", licenses: [{ license: { id: "MIT" } }, { license: { id: "AGPL-3.0-only" } }] },
      { name: "none", version: "0.0.1" },
      { name: "text", group: "@x", version: "1.0.0", licenses: [{ license: { name: "SEE LICENSE IN LICENSE.md" } }] },
    ]);
    expect(findings.map((f) => [f.component, f.reason.split(" ")[0]])).toEqual([
      ["gpl@2.0.0", "is"],
      ["both@1.0.0", "is"],
      ["none@0.0.1", "declares"],
      ["@x/text@1.0.0", "is"],
    ]);
    expect(findings[3]!.reason).toBe("is not an SPDX licence expression");
    expect(findings[0]!.reason).toMatch(/not satisfied by the allow-list/);
  });
});
