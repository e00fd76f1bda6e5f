import { ASB, CRIME_TYPES, type CrimeType } from "@safecity/core";

/**
 * The numbers that make generated police.uk data look national: crime-type shares, seasonality,
 * outcomes and place names. Shares follow data.police.uk (all forces, 2025-01) shifted towards a
 * whole-year mix: ASB ~19%, violence and sexual offences ~31% of all rows.
 */

/** Share of all rows per crime type, per mille (sums to 1000). */
export const CRIME_TYPE_PER_MILLE: Readonly<Record<CrimeType, number>> = {
  "Anti-social behaviour": 190,
  "Bicycle theft": 8,
  Burglary: 40,
  "Criminal damage and arson": 82,
  Drugs: 37,
  "Other crime": 29,
  "Other theft": 67,
  "Possession of weapons": 10,
  "Public order": 72,
  Robbery: 8,
  Shoplifting: 91,
  "Theft from the person": 7,
  "Vehicle crime": 50,
  "Violence and sexual offences": 309,
};

/** Calendar-month multiplier for all crime (January first): summer and October peaks, short February. */
export const SEASON_ALL = [0.94, 0.88, 0.98, 0.97, 1.04, 1.05, 1.08, 1.03, 1.0, 1.06, 0.99, 0.94] as const;

/** Extra calendar-month multipliers for types with their own season (each averages 1 over a year). */
export const SEASON_BY_TYPE: Readonly<Partial<Record<CrimeType, readonly number[]>>> = {
  [ASB]: [0.8, 0.78, 0.9, 1.02, 1.12, 1.15, 1.25, 1.18, 1.0, 1.05, 0.95, 0.8],
  "Bicycle theft": [0.65, 0.65, 0.85, 1.0, 1.2, 1.3, 1.35, 1.3, 1.2, 1.0, 0.8, 0.7],
  Burglary: [1.1, 0.95, 0.9, 0.88, 0.9, 0.9, 0.95, 0.95, 0.97, 1.1, 1.2, 1.2],
};

/** Growth of the national volume per year of the generated period (a gentle upward trend). */
export const ANNUAL_GROWTH = 0.02;

/** Outcome categories for rows that are not ASB, per mille, by default and for types that differ. */
const OUTCOMES_DEFAULT: Readonly<Record<string, number>> = {
  "Unable to prosecute suspect": 390,
  "Investigation complete; no suspect identified": 300,
  "Court result unavailable": 87,
  "Status update unavailable": 60,
  "Local resolution": 32,
  "Action to be taken by another organisation": 18,
  "Further investigation is not in the public interest": 10,
  "Offender given a caution": 9,
  "Formal action is not in the public interest": 6,
  "Further action is not in the public interest": 5,
  "Awaiting court outcome": 5,
  "Suspect charged as part of another case": 2,
  "Offender given penalty notice": 1,
};

const OUTCOMES_BY_TYPE: Readonly<Partial<Record<CrimeType, Readonly<Record<string, number>>>>> = {
  Drugs: {
    "Court result unavailable": 220,
    "Local resolution": 200,
    "Unable to prosecute suspect": 150,
    "Offender given a drugs possession warning": 60,
    "Status update unavailable": 60,
    "Investigation complete; no suspect identified": 40,
    "Offender given a caution": 40,
    "Offender given penalty notice": 30,
    "Formal action is not in the public interest": 30,
    "Awaiting court outcome": 20,
    "Further action is not in the public interest": 10,
  },
  Shoplifting: {
    "Investigation complete; no suspect identified": 420,
    "Unable to prosecute suspect": 200,
    "Court result unavailable": 180,
    "Local resolution": 60,
    "Status update unavailable": 60,
    "Offender given a caution": 20,
    "Awaiting court outcome": 10,
    "Action to be taken by another organisation": 10,
  },
  "Possession of weapons": {
    "Court result unavailable": 400,
    "Unable to prosecute suspect": 200,
    "Status update unavailable": 100,
    "Offender given a caution": 60,
    "Local resolution": 50,
    "Awaiting court outcome": 40,
    "Investigation complete; no suspect identified": 40,
    "Formal action is not in the public interest": 20,
  },
  "Vehicle crime": {
    "Investigation complete; no suspect identified": 700,
    "Unable to prosecute suspect": 150,
    "Status update unavailable": 60,
    "Court result unavailable": 50,
    "Further investigation is not in the public interest": 20,
  },
};

/** "Under investigation" share by how many months before the last generated month (outcomes lag). */
export const UNDER_INVESTIGATION_BY_AGE = [0.45, 0.3, 0.2, 0.12, 0.07, 0.04, 0.01] as const;

export function outcomeWeights(type: CrimeType): Readonly<Record<string, number>> {
  return OUTCOMES_BY_TYPE[type] ?? OUTCOMES_DEFAULT;
}

export { CRIME_TYPES };

/** Non-street locations as police.uk names them, with their rough share of located rows (per mille). */
export const PLACES_PER_MILLE: Readonly<Record<string, number>> = {
  Supermarket: 50,
  "Parking Area": 50,
  "Shopping Area": 27,
  "Petrol Station": 21,
  "Sports/Recreation Area": 10,
  Nightclub: 8,
  Hospital: 7,
  "Police Station": 6,
  "Park/Open Space": 4,
  "Further/Higher Educational Building": 4,
  "Theatre/Concert Hall": 3,
  "Bus/Coach Station": 3,
  Prison: 2,
  "Conference/Exhibition Centre": 1,
};

export const STREET_STEMS = [
  "Station", "Church", "High", "Mill", "Park", "King", "Queen", "Victoria", "London", "York", "Bridge",
  "Market", "West", "North", "South", "East", "George", "Castle", "New", "Main", "Cross", "Chapel",
  "Manor", "School", "Green", "Springfield", "Albert", "Grange", "Orchard", "Meadow", "Windsor",
  "Richmond", "Oak", "Elm", "Beech", "Ash", "Willow", "Cedar", "Holly", "Rose", "Hill", "Forest",
  "Abbey", "Alexandra", "Stanley", "Nelson", "Wellington", "Cambridge", "Oxford", "Trafalgar",
  "Clarence", "Granville", "Belmont", "Farm", "Brook", "Kingsway", "Priory", "Hawthorn", "Lime",
  "Sycamore", "Chestnut", "Poplar", "Heather", "Fern", "Moor", "Ridge", "Valley", "Lake", "River",
] as const;

export const STREET_SUFFIXES = [
  "Road", "Road", "Road", "Street", "Street", "Lane", "Lane", "Close", "Avenue", "Way", "Drive",
  "Gardens", "Crescent", "Place", "Grove", "Court", "Terrace", "Walk", "Rise", "View",
] as const;

/** Syllables for synthetic local authority and force names ("Ashbury", "Thornmouth"). */
export const NAME_HEADS = [
  "Ash", "Bram", "Brook", "Castle", "Dun", "Elm", "Fair", "Glen", "Hal", "Hart", "Kings", "Lang",
  "Long", "Mar", "Mill", "Nor", "Oak", "Pen", "Queens", "Rother", "Sand", "Shel", "Stan", "Sut",
  "Thorn", "Wal", "Wes", "Whit", "Wood", "Ald", "Bel", "Bur", "Cal", "Dor", "Farn", "Gran", "Hol",
  "Ken", "Lin", "Mid", "New", "Red", "Rom", "Ted", "Wen", "Ave", "Brad", "Crow", "Fen", "Hay",
] as const;

export const NAME_TAILS = [
  "ford", "ton", "bury", "ham", "field", "ley", "wick", "worth", "mouth", "borough", "minster",
  "stead", "dale", "well", "by", "combe", "chester", "port", "gate", "hurst",
] as const;

export const FORCE_TAILS = ["shire", "land", "mere", "moor", "vale"] as const;
