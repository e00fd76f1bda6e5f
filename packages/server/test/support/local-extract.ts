import fs from "node:fs";
import path from "node:path";

/** Key of the tests' extracts (64 hex digits); never a real key. */
export const TEST_PSEUDONYM_KEY = "5c".repeat(32);

/** The raw identifiers of the extract below: none may reach the store, a log, a message or an output. */
export const RAW_IDENTIFIERS = ["ALPHA-VICTIM-93", "BRAVO-VICTIM-17", "CHARLIE-VICTIM-41", "DELTA-VICTIM-08", "12 ACACIA AVENUE", "FLAT 9 ROSE COURT", "THE ANCHOR PUB"];

/**
 * A small extract with repeats worked out by hand (12-month rule, period 2025-01-01 to 2025-12-31):
 * victim ALPHA 2025-01-10, 2025-03-01 (repeat after 50 days), 2025-12-20 (after 294); BRAVO
 * 2025-02-01; CHARLIE 2024-06-01 (look-back) and 2025-05-01 (repeat after 334 days) - all domestic;
 * DELTA 2025-04-04 burglary; one ASB report with no victim 2025-06-06.
 * Domestic, 2025: 5 incidents, 3 victims, 3 repeat incidents, 2 victims with a repeat (ALPHA, CHARLIE).
 * All flags, 2025: 7 incidents (1 without a victim), 4 victims, 3 repeats, 2 repeat victims.
 */
export function writeTestExtract(dir: string): { csv: string; mapping: string } {
  const csv = path.join(dir, "partner-extract.csv");
  fs.writeFileSync(
    csv,
    [
      "ref,date,time,code,easting,northing,lsoa,victim,address,da,notes",
      "1,2025-01-10,21:30,8/1,442000,112000,E01032757,ALPHA-VICTIM-93,12 ACACIA AVENUE,Y,",
      "2,2025-03-01,22:00,8/1,442010,112005,E01032757,alpha-victim-93,12 Acacia Avenue,Y,",
      "3,2025-12-20,,8/1,442000,112000,E01032757,ALPHA-VICTIM-93,12 ACACIA AVENUE,Y,",
      "4,2025-02-01,01:10,8/1,443500,111000,E01032757,BRAVO-VICTIM-17,FLAT 9 ROSE COURT,Y,",
      "5,2024-06-01,18:00,8/1,441000,113000,E01032757,CHARLIE-VICTIM-41,THE ANCHOR PUB,Y,",
      "6,2025-05-01,18:45,8/1,441020,113010,E01032757,CHARLIE-VICTIM-41,THE ANCHOR PUB,Y,",
      "7,2025-04-04,03:00,28/3,442050,112040,E01032757,DELTA-VICTIM-08,12 ACACIA AVENUE,N,",
      "8,2025-06-06,23:00,ASB,442100,112100,E01032757,,,N,",
    ].join("\n"),
  );
  const mapping = path.join(dir, "partner-mapping.json");
  fs.writeFileSync(
    mapping,
    JSON.stringify({
      date: { column: "date", format: "YYYY-MM-DD" },
      time: { column: "time" },
      offence: { column: "code", map: { "8/1": "Violence and sexual offences", "28/3": "Burglary", ASB: "Anti-social behaviour" } },
      location: { easting: "easting", northing: "northing", lsoa: "lsoa" },
      victim: { column: "victim" },
      place: { column: "address" },
      flags: { domestic: { column: "da" } },
    }),
  );
  return { csv, mapping };
}

/** True when `haystack` holds any raw identifier, in any letter case. */
export function leakedIdentifier(haystack: string | Buffer): string | null {
  const text = (typeof haystack === "string" ? haystack : haystack.toString("latin1")).toLowerCase();
  return RAW_IDENTIFIERS.find((r) => text.includes(r.toLowerCase())) ?? null;
}
