import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type AppError, formatProblem, toBng } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { Pseudonymiser, pseudonymiserFromEnv } from "../src/ingest/local/pseudonymiser.ts";
import { importLocalIncidents } from "../src/services/local-import.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";

const KEY = "4f".repeat(32);
const env = { SAFECITY_PSEUDONYM_KEY: KEY };
const actor = { label: "cli:test", ip: null };
const now = new Date("2026-03-01T09:00:00Z");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-local-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** The pseudonym as the decision record defines it, computed here with Node's own HMAC. */
function expectedKey(raw: string): string {
  return crypto.createHmac("sha256", Buffer.from(KEY, "hex")).update(raw.trim().toLowerCase()).digest("hex").slice(0, 32);
}

const mapping = file(
  "mapping.json",
  JSON.stringify({
    date: { column: "Occurred", format: "DD/MM/YYYY" },
    time: { column: "Time" },
    offence: { column: "HO code", map: { "8/1": "Violence and sexual offences", "28/3": "burglary", "ASB-PERS": "Anti-social behaviour" } },
    location: { latitude: "Lat", longitude: "Lon", lsoa: "LSOA" },
    victim: { column: "Victim ref" },
    place: { column: "Address ref" },
    flags: { domestic: { column: "DA" }, alcohol: { column: "Alcohol", yes: ["Y"], no: ["N", ""] } },
  }),
);

/** Raw identifiers that must never reach the database, a message or an output. */
export const RAW = ["VICTIM-RAW-7731", "PLACE-RAW-0042 FLAT 3", "VICTIM-RAW-1902", "PLACE-RAW-9900"];
const HEADER = "Ref,Occurred,Time,HO code,Lat,Lon,LSOA,Victim ref,Address ref,DA,Alcohol,Notes";
const good = file(
  "extract-good.csv",
  [
    HEADER,
    "1,03/01/2025,22:15,8/1,50.9097,-1.4044,E01032757,VICTIM-RAW-7731,PLACE-RAW-0042 FLAT 3,Y,N,free text never read",
    "2,17/02/2025,,8/1,50.9101,-1.4050,E01032757, victim-raw-7731 ,PLACE-RAW-0042 Flat 3,yes,Y,",
    "3,29/02/2024,07:05,28/3,,,E01017140,VICTIM-RAW-1902,PLACE-RAW-9900,N,,",
    "4,31/12/2025,23:59,ASB-PERS,50.9,-1.4,,,,0,N,",
  ].join("\n"),
);

const bad = file(
  "extract-bad.csv",
  [
    HEADER,
    "1,03/01/2025,22:15,8/1,50.9097,-1.4044,E01032757,VICTIM-RAW-7731,PLACE-RAW-0042 FLAT 3,Y,N,",
    "2,31/02/2025,,8/1,50.9101,-1.4050,E01032757,VICTIM-RAW-7731,PLACE-RAW-9900,Y,N,",
    "3,01/03/2025,25:00,99/9,,,E0101714,VICTIM-RAW-1902,PLACE-RAW-9900,maybe,N,",
    "4,01/03/2025,10:00,8/1,-1.4,50.9,,VICTIM-RAW-1902,PLACE-RAW-9900,N,N,",
    "5,01/03/2025,VICTIM-RAW-1902",
    "6,02/03/2025,10:00,PLACE-RAW-9900,,,E01032757,VICTIM-RAW-1902,PLACE-RAW-9900,N,N,",
  ].join("\n"),
);

describe("pseudonymiser", () => {
  it("is HMAC-SHA-256 of the trimmed, lower-cased identifier (first 128 bits), equal to Node's createHmac", () => {
    const p = new Pseudonymiser(Buffer.from(KEY, "hex"));
    for (const raw of ["VICTIM-RAW-7731", " victim-raw-7731 ", "x".repeat(300), "Ünïcode 42"]) expect(p.pseudonym(raw)).toBe(expectedKey(raw));
    expect(p.pseudonym("   ")).toBeNull();
    const other = new Pseudonymiser(Buffer.from("50".repeat(32), "hex"));
    expect(other.pseudonym("VICTIM-RAW-7731")).not.toBe(p.pseudonym("VICTIM-RAW-7731"));
    expect(other.keyId).not.toBe(p.keyId);
  });

  it("refuses without a key, or with a short one, saying how to make one and never quoting the value", () => {
    for (const e of [{}, { SAFECITY_PSEUDONYM_KEY: "" }, { SAFECITY_PSEUDONYM_KEY: "secret-but-short" }, { SAFECITY_PSEUDONYM_KEY: "zz".repeat(32) }]) {
      let err: AppError | undefined;
      try {
        pseudonymiserFromEnv(e);
      } catch (x) {
        err = x as AppError;
      }
      expect(err?.code).toBe("config.invalid");
      expect(err?.hint).toContain("openssl rand -hex 32");
      expect(`${err?.message} ${err?.hint}`).not.toContain("secret-but-short");
    }
  });
});

describe.each(DIALECTS)("local incident import on %s", (dialect) => {
  let store: TestStore;
  let skip = false;
  beforeAll(async () => {
    const a = await dialectAvailability(dialect);
    skip = a.skip;
    if (!skip) store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store?.destroy();
  });
  const count = async () => Number((await store.db.selectFrom("local_incident").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const datasets = async () => store.db.selectFrom("local_dataset").selectAll().execute();

  it("refuses without a key and writes nothing", async (t) => {
    if (skip) return t.skip();
    await expect(importLocalIncidents(store, good, { mappingFile: mapping, actor, now, env: {} })).rejects.toMatchObject({ code: "config.invalid" });
    expect(await count()).toBe(0);
    expect(await datasets()).toHaveLength(0);
  });

  it("lists every bad row as file:line (field), writes nothing, and quotes no identifier", async (t) => {
    if (skip) return t.skip();
    let err: AppError | undefined;
    try {
      await importLocalIncidents(store, bad, { mappingFile: mapping, dataset: "partner", actor, now, env });
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe("import.bad_rows");
    const lines = err!.problems.map(formatProblem);
    expect(lines).toEqual([
      "extract-bad.csv:3: `31/02/2025` is not a date in the form DD/MM/YYYY (Occurred)",
      "extract-bad.csv:4: `25:00` is not a time HH:MM (00:00 to 23:59; empty when unknown) (Time)",
      "extract-bad.csv:4: `99/9` is not in the mapping's offence map: add it, mapped to a police.uk crime type (HO code)",
      "extract-bad.csv:4: `E0101714` is not an LSOA code (E01 or W01 and 6 digits) (LSOA)",
      "extract-bad.csv:4: `maybe` is neither yes (y, yes, 1, true) nor no (n, no, 0, false, empty) for the domestic flag (DA)",
      "extract-bad.csv:5: `-1.4`, `50.9` is not in Great Britain (latitude 49 to 61, longitude -9 to 2.5; are the two columns swapped?) (Lat/Lon)",
      "extract-bad.csv:6: 3 fields where the mapped columns need 11: the row is cut short or its commas are not quoted",
      "extract-bad.csv:7: `(an identifier)` is not in the mapping's offence map: add it, mapped to a police.uk crime type (HO code)",
    ]);
    const everything = JSON.stringify({ message: err!.message, hint: err!.hint, problems: err!.problems });
    for (const raw of RAW) expect(everything.toLowerCase()).not.toContain(raw.toLowerCase());
    expect(await count()).toBe(0);
    expect(await datasets()).toHaveLength(0);
  });

  it("imports a good file with pseudonyms, BNG points, days, minutes and flags as computed by hand", async (t) => {
    if (skip) return t.skip();
    const r = await importLocalIncidents(store, good, { mappingFile: mapping, dataset: "partner", actor, now, env });
    expect(r).toMatchObject({ dataset: "partner", status: "imported", rows: 4, firstDay: "2024-02-29", lastDay: "2025-12-31" });
    expect(r.sha256).toBe(crypto.createHash("sha256").update(fs.readFileSync(good)).digest("hex"));
    const rows = await store.db.selectFrom("local_incident").selectAll().orderBy("day").execute();
    expect(rows.map((x) => [x.day, x.minutes, x.crime_type_id, x.offence_code, x.lsoa_code, x.flags])).toEqual([
      [20240229, 425, 3, "28/3", "E01017140", 0],
      [20250103, 1335, 14, "8/1", "E01032757", 1],
      [20250217, null, 14, "8/1", "E01032757", 3],
      [20251231, 1439, 1, "ASB-PERS", null, 0],
    ]);
    // Victim "VICTIM-RAW-7731" and " victim-raw-7731 " are one person; one place likewise.
    expect(rows.map((x) => x.victim_key)).toEqual([expectedKey("VICTIM-RAW-1902"), expectedKey("VICTIM-RAW-7731"), expectedKey("VICTIM-RAW-7731"), null]);
    expect(rows.map((x) => x.location_key)).toEqual([expectedKey("PLACE-RAW-9900"), expectedKey("PLACE-RAW-0042 FLAT 3"), expectedKey("PLACE-RAW-0042 FLAT 3"), null]);
    const [x, y] = toBng(-1.4044, 50.9097);
    expect(rows[1]!.x).toBeCloseTo(x, 6);
    expect(rows[1]!.y).toBeCloseTo(y, 6);
    // Southampton city centre is near BNG (442000, 112000).
    expect(Math.abs(rows[1]!.x! - 442_000)).toBeLessThan(2_000);
    expect(Math.abs(rows[1]!.y! - 112_000)).toBeLessThan(2_000);
    expect(rows[0]!.x).toBeNull();
    const audit = await listAudit(store, { action: "local.import" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ file: "extract-good.csv", rows: 4 });
  });

  it("is idempotent: the same file with the same key changes nothing; another file needs --replace", async (t) => {
    if (skip) return t.skip();
    const again = await importLocalIncidents(store, good, { mappingFile: mapping, dataset: "partner", actor, now, env });
    expect(again.status).toBe("unchanged");
    expect(await count()).toBe(4);
    const fewer = file("extract-fewer.csv", fs.readFileSync(good, "utf8").split("\n").slice(0, 3).join("\n"));
    await expect(importLocalIncidents(store, fewer, { mappingFile: mapping, dataset: "partner", actor, now, env })).rejects.toMatchObject({ code: "input.invalid" });
    expect(await count()).toBe(4);
    // A bad file under --replace leaves the old rows as they were.
    await expect(importLocalIncidents(store, bad, { mappingFile: mapping, dataset: "partner", replace: true, actor, now, env })).rejects.toMatchObject({ code: "import.bad_rows" });
    expect(await count()).toBe(4);
    const replaced = await importLocalIncidents(store, fewer, { mappingFile: mapping, dataset: "partner", replace: true, actor, now, env });
    expect(replaced).toMatchObject({ status: "replaced", rows: 2 });
    expect(await count()).toBe(2);
    // Key rotation: the same file under a new key is a new dataset with other pseudonyms.
    const rotated = await importLocalIncidents(store, good, { mappingFile: mapping, dataset: "partner-2026", actor, now, env: { SAFECITY_PSEUDONYM_KEY: "a1".repeat(32) } });
    expect(rotated.status).toBe("imported");
    const keys = await store.db.selectFrom("local_incident").select("victim_key").where("victim_key", "is not", null).execute();
    // The replaced dataset holds one victim (two rows), the rotated one two victims: three keys, none shared.
    expect(new Set(keys.map((k) => k.victim_key)).size).toBe(3);
  });

  it("rolls back rows already written in earlier batches when a late row is bad", async (t) => {
    if (skip) return t.skip();
    const before = await count();
    const rows = Array.from({ length: 4500 }, (_, i) => `${i},0${(i % 9) + 1}/01/2025,10:00,8/1,50.9,-1.4,E01032757,V${i % 700},P${i % 300},N,N,`);
    const late = file("extract-late-bad.csv", [HEADER, ...rows, "9999,01/01/2025,10:00,8/1,50.9,-1.4,E01032757,V1,P1,N,N,"].join("\n").replace(/\n9999,01\/01\/2025/, "\n9999,32/01/2025"));
    const err = (await importLocalIncidents(store, late, { mappingFile: mapping, dataset: "late", actor, now, env }).catch((e) => e)) as AppError;
    expect(err.code).toBe("import.bad_rows");
    expect(err.problems.map(formatProblem)).toEqual(["extract-late-bad.csv:4502: `32/01/2025` is not a date in the form DD/MM/YYYY (Occurred)"]);
    expect(await count()).toBe(before);
    expect((await datasets()).map((d) => d.name)).not.toContain("late");
  });

  it("refuses a bad mapping with every problem by field", async (t) => {
    if (skip) return t.skip();
    const m = file("bad-mapping.json", JSON.stringify({ date: { column: "Occurred", format: "MM/DD/YY" }, offence: { column: "HO", map: { "8/1": "Violence" } }, location: { latitude: "Lat" } }));
    const err = (await importLocalIncidents(store, good, { mappingFile: m, actor, now, env }).catch((e) => e)) as AppError;
    expect(err.code).toBe("input.invalid");
    const fields = err.problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(["date.format", "offence.map.8/1", "location"]));
  });
});
