import { crimeTypeId } from "@safecity/core";

/** The police.uk street-level header, exactly as published. */
export const STREET_HEADER = [
  "Crime ID",
  "Month",
  "Reported by",
  "Falls within",
  "Longitude",
  "Latitude",
  "Location",
  "LSOA code",
  "LSOA name",
  "Crime type",
  "Last outcome category",
  "Context",
] as const;

/**
 * Longest field a police.uk street file can hold (issue 11 item 5): its longest fields (a location
 * such as "On or near ...", an LSOA name, an outcome) are under 100 characters. A longer one is
 * refused with its line and column name.
 */
export const STREET_MAX_FIELD_CHARS = 1000;

/** Longest line of a street file read (a police.uk row is under 1 KB): past it the file is refused at that line. */
export const STREET_MAX_RECORD_BYTES = 64 * 1024;

/** Checks a header record; returns problems naming each missing or unexpected column. */
export function checkStreetHeader(fields: readonly string[]): string[] {
  const got = fields.map((f) => f.trim());
  if (got.length === STREET_HEADER.length && got.every((f, i) => f === STREET_HEADER[i])) return [];
  const missing = STREET_HEADER.filter((h) => !got.includes(h));
  const extra = got.filter((g) => !(STREET_HEADER as readonly string[]).includes(g));
  const problems: string[] = [];
  if (missing.length) problems.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `\`${m}\``).join(", ")}`);
  if (extra.length) problems.push(`unexpected column${extra.length > 1 ? "s" : ""} ${extra.map((m) => `\`${m}\``).join(", ")}`);
  if (!problems.length) problems.push("columns are in the wrong order");
  return [`wrong header: ${problems.join("; ")}. Expected the police.uk street header: ${STREET_HEADER.join(",")}`];
}

/**
 * A validated street row, columnar-friendly: the importer copies these values straight into its
 * batch. Coordinates are null for rows without a location.
 */
export interface StreetRow {
  crimeId: string | null;
  /** The crime id is lowercase hexadecimal of even length: storable as its bytes. */
  crimeIdPackable: boolean;
  month: string;
  /** `month` as the integer YYYYMM (2025-01 -> 202501). */
  monthKey: number;
  reportedBy: string;
  fallsWithin: string;
  longitude: number | null;
  latitude: number | null;
  /** The coordinates as published (valid decimals), for writers that send text (PostgreSQL COPY). */
  longitudeText: string;
  latitudeText: string;
  location: string;
  lsoaCode: string;
  lsoaName: string;
  crimeTypeId: number;
  outcome: string;
  context: string;
}

/** Great Britain and Northern Ireland with a margin: police.uk snap points all fall inside. */
const LON_MIN = -11;
const LON_MAX = 3;
const LAT_MIN = 49;
const LAT_MAX = 61.5;

const LSOA_CODE = /^[EW]01\d{6}$/;

/**
 * Validates one record against the street layout. Returns the row, or a problem message naming
 * the field and what to do. `expectedMonth` is the month in the file name, when there is one.
 */
export function parseStreetRow(f: readonly string[], expectedMonth: string | null, row: StreetRow): string | null {
  if (f.length !== 12) {
    return `expected 12 fields, found ${f.length}${f.length > 12 ? ": more columns than the header" : ""} (a comma inside a field must be quoted)`;
  }
  for (let i = 0; i < 12; i++) {
    if (f[i]!.length > STREET_MAX_FIELD_CHARS) {
      return `\`${STREET_HEADER[i]}\` is ${f[i]!.length.toLocaleString("en-GB")} characters long, over the ${STREET_MAX_FIELD_CHARS.toLocaleString("en-GB")} a police.uk field can be: the file is damaged or not a police.uk street file`;
    }
  }
  const month = f[1]!;
  if (!isMonthFast(month)) return `\`Month\` must be YYYY-MM; got \`${month}\``;
  if (expectedMonth !== null && month !== expectedMonth) return `\`Month\` ${month} does not match the file's month ${expectedMonth}`;
  const typeId = crimeTypeId(f[9]!);
  if (typeId === undefined) return `\`Crime type\` \`${f[9]}\` is not one of the 14 police.uk crime types`;
  const crimeId = f[0]!;
  const hex = crimeId === "" ? HEX_LOWER : hexKind(crimeId);
  if (hex === NOT_HEX) return `\`Crime ID\` must be hexadecimal; got \`${crimeId.slice(0, 80)}\``;
  const lonText = f[4]!;
  const latText = f[5]!;
  let longitude: number | null = null;
  let latitude: number | null = null;
  if (lonText !== "" || latText !== "") {
    if (lonText === "" || latText === "") return "`Longitude` and `Latitude` must both be given or both be empty";
    longitude = Number(lonText);
    latitude = Number(latText);
    if (!Number.isFinite(longitude) || !Number.isFinite(latitude)) return `coordinates must be decimal degrees; got \`${lonText}\`, \`${latText}\``;
    if (longitude < LON_MIN || longitude > LON_MAX || latitude < LAT_MIN || latitude > LAT_MAX) {
      return `coordinates out of range for the UK: longitude ${lonText}, latitude ${latText}`;
    }
  }
  const lsoaCode = f[7]!;
  if (lsoaCode !== "" && !LSOA_CODE.test(lsoaCode)) return `\`LSOA code\` must look like E01012345 or W01001234; got \`${lsoaCode}\``;
  const lsoaName = f[8]!;
  if (lsoaCode !== "" && !looksLikeLsoaName(lsoaName)) {
    return `\`LSOA name\` must be "<local authority> 001A"; got \`${lsoaName}\``;
  }
  row.crimeId = crimeId === "" ? null : crimeId;
  row.crimeIdPackable = hex === HEX_LOWER && (crimeId.length & 1) === 0;
  row.month = month;
  row.monthKey = monthKeyOf(month);
  row.reportedBy = f[2]!;
  row.fallsWithin = f[3]!;
  row.longitude = longitude;
  row.latitude = latitude;
  row.longitudeText = lonText;
  row.latitudeText = latText;
  row.location = f[6]!;
  row.lsoaCode = lsoaCode;
  row.lsoaName = lsoaName;
  row.crimeTypeId = typeId;
  row.outcome = f[10]!;
  row.context = f[11]!;
  return null;
}

export function emptyStreetRow(): StreetRow {
  return {
    crimeId: null,
    crimeIdPackable: false,
    month: "",
    monthKey: 0,
    reportedBy: "",
    fallsWithin: "",
    longitude: null,
    latitude: null,
    longitudeText: "",
    latitudeText: "",
    location: "",
    lsoaCode: "",
    lsoaName: "",
    crimeTypeId: 0,
    outcome: "",
    context: "",
  };
}

const NOT_HEX = 0;
const HEX_LOWER = 1;
const HEX_UPPER = 2;

/**
 * Hexadecimal digits only (police.uk crime ids are 64 lowercase ones): NOT_HEX, HEX_LOWER, or
 * HEX_UPPER when some digit is an uppercase letter. Faster than a regular expression.
 */
function hexKind(s: string): number {
  let kind = HEX_LOWER;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c >= 97 && c <= 102) continue;
    if (c >= 65 && c <= 70) {
      kind = HEX_UPPER;
      continue;
    }
    return NOT_HEX;
  }
  return kind;
}

/** YYYY-MM (already checked) -> YYYYMM. */
export function monthKeyOf(month: string): number {
  let year = 0;
  for (let i = 0; i < 4; i++) year = year * 10 + (month.charCodeAt(i) - 48);
  return year * 100 + (month.charCodeAt(5) - 48) * 10 + (month.charCodeAt(6) - 48);
}

/** "<name> 001A": what localAuthorityFromLsoaName parses, checked without a regular expression. */
function looksLikeLsoaName(s: string): boolean {
  const n = s.length;
  if (n < 6 || s.charCodeAt(n - 5) !== 32) return false;
  for (let i = n - 4; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const last = s.charCodeAt(n - 1);
  return last >= 65 && last <= 90;
}

function isMonthFast(s: string): boolean {
  if (s.length !== 7 || s.charCodeAt(4) !== 45) return false;
  for (let i = 0; i < 7; i++) {
    if (i === 4) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const m = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  return m >= 1 && m <= 12;
}
