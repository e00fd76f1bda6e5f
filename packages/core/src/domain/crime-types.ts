/** The 14 police.uk crime types, in the order police.uk lists them. Ids are stable: stored in the database. */
export const CRIME_TYPES = [
  "Anti-social behaviour",
  "Bicycle theft",
  "Burglary",
  "Criminal damage and arson",
  "Drugs",
  "Other crime",
  "Other theft",
  "Possession of weapons",
  "Public order",
  "Robbery",
  "Shoplifting",
  "Theft from the person",
  "Vehicle crime",
  "Violence and sexual offences",
] as const;

export type CrimeType = (typeof CRIME_TYPES)[number];

export const ASB: CrimeType = "Anti-social behaviour";

const idByName = new Map<string, number>(CRIME_TYPES.map((name, i) => [name, i + 1]));

/** 1-based id of a crime type, or undefined when the name is not one of the 14. */
export function crimeTypeId(name: string): number | undefined {
  return idByName.get(name);
}

export function crimeTypeName(id: number): CrimeType {
  const name = CRIME_TYPES[id - 1];
  if (!name) throw new RangeError(`no crime type with id ${id}`);
  return name;
}

/** Case-insensitive lookup, for user input such as `--type burglary`. */
export function findCrimeType(input: string): CrimeType | undefined {
  const wanted = input.trim().toLowerCase();
  return CRIME_TYPES.find((t) => t.toLowerCase() === wanted);
}

/**
 * Crime groups as CSPs report them. "All crime" conventionally excludes anti-social behaviour.
 * Callers may pass their own groups; these are the defaults.
 */
export const DEFAULT_CRIME_GROUPS: Readonly<Record<string, readonly CrimeType[]>> = {
  "All crime": CRIME_TYPES.filter((t) => t !== ASB),
  "Anti-social behaviour": [ASB],
  "Violence and sexual offences": ["Violence and sexual offences"],
  Burglary: ["Burglary"],
  Robbery: ["Robbery"],
  "Vehicle crime": ["Vehicle crime"],
  "Criminal damage and arson": ["Criminal damage and arson"],
  "Theft (all)": ["Bicycle theft", "Other theft", "Shoplifting", "Theft from the person"],
  Drugs: ["Drugs"],
  "Public order": ["Public order"],
  "Possession of weapons": ["Possession of weapons"],
};

/**
 * police.uk crime types that are not a default group of their own (Bicycle theft, Other crime,
 * Other theft, Shoplifting, Theft from the person): offered on their own beside the groups, so
 * Shoplifting is not visible only inside "Theft (all)".
 */
export const TYPES_WITHIN_GROUPS: readonly CrimeType[] = CRIME_TYPES.filter((t) => !Object.hasOwn(DEFAULT_CRIME_GROUPS, t));
