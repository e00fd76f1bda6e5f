import satisfies from "spdx-satisfies";

/**
 * Which licences the production dependencies may carry: permissive licences that let a council
 * run, change and redistribute Safe City under its MIT licence without further obligations beyond
 * keeping notices. Anything else (copyleft, no licence, a licence text instead of an SPDX id) fails
 * the check and needs a person to look at it.
 */
export const ALLOWED_LICENCES = [
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "0BSD",
  "Unlicense",
  "CC0-1.0",
  "BlueOak-1.0.0",
  "Python-2.0",
] as const;

/** One SBOM component as CycloneDX 1.5 (npm sbom) writes it: licences as ids, names or expressions. */
export interface SbomComponent {
  name: string;
  version?: string;
  group?: string;
  purl?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
}

export interface LicenceFinding {
  component: string;
  licence: string;
  reason: string;
}

/** The component's licence as one SPDX expression (several entries are all required: joined by AND), or undefined. */
export function componentLicence(component: SbomComponent): string | undefined {
  const parts = (component.licenses ?? [])
    .map((entry) => entry.expression ?? entry.license?.id ?? entry.license?.name)
    .filter((part): part is string => Boolean(part?.trim()));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((part) => `(${part})`).join(" AND ");
}

/** Every component whose licence is missing, not SPDX, or not satisfied by the allow-list. */
export function checkLicences(components: SbomComponent[], allowed: readonly string[] = ALLOWED_LICENCES): LicenceFinding[] {
  const findings: LicenceFinding[] = [];
  for (const component of components) {
    const name = `${component.group ? `${component.group}/` : ""}${component.name}@${component.version ?? "?"}`;
    const licence = componentLicence(component);
    if (!licence) {
      findings.push({ component: name, licence: "(none)", reason: "declares no licence" });
      continue;
    }
    let ok: boolean;
    try {
      ok = satisfies(licence, [...allowed]);
    } catch {
      findings.push({ component: name, licence, reason: "is not an SPDX licence expression" });
      continue;
    }
    if (!ok) findings.push({ component: name, licence, reason: `is not satisfied by the allow-list (${allowed.join(", ")})` });
  }
  return findings;
}
