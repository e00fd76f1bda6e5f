import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { type TestStore, openTestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";
import { smallPlan } from "./support/indicator-plan-fixture.ts";

/**
 * `safecity indicators …` and `safecity grants …` through the real command (SQLite; the services
 * underneath are tested on both databases): exit codes, file:line errors, money in pounds.
 */
/** Each test runs several commands in child processes; on a busy machine one may take seconds (a bundle rebuild). */
const SLOW = 300_000;

describe("indicators and grants commands", () => {
  let store: TestStore;
  let planId: number;
  beforeAll(async () => {
    store = await openTestStore("sqlite");
    planId = (await smallPlan(store, { areaCode: "E06000045", organisations: ["Street Pastors", "Youth Club Trust"] })).planId;
  });
  afterAll(() => store?.destroy());
  const cli = (...args: string[]) => runCli(args, store.env);
  const write = (name: string, text: string) => {
    const p = path.join(store.env.SAFECITY_DATA_DIR!, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it("indicators import: a bad file exits 3 listing every bad row as file:line, and writes nothing", async () => {
    const bad = write("bad.csv", "indicator,area,period,value\nasb-reports,E06000045,2025-04,431\nasb-reports,E06000045,2025-Q2,12\nfoo,E06000045,2025-04,1\n");
    const r = await cli("indicators", "import", bad);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error: bad.csv: 2 problems on 2 rows; nothing was imported");
    expect(r.stderr).toMatch(/ {2}bad\.csv:3: period must be a month written YYYY-MM.* \(period\)\n/);
    expect(r.stderr).toMatch(/ {2}bad\.csv:4: unknown indicator `foo`.* \(indicator\)\n/);
    expect(await store.db.selectFrom("indicator_value").selectAll().execute()).toEqual([]);
  }, SLOW);

  it("indicators import, re-import, show and list", async () => {
    const good = write("good.csv", "indicator,area,period,value\nasb-reports,E06000045,2025-04,431\nasb-reports,E06000045,2025-05,402\n");
    const first = await cli("indicators", "import", good, "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ file: "good.csv", imported: 2, replaced: 0, unchanged: 0, errors: [] });
    const again = await cli("indicators", "import", good);
    expect(again.stdout).toBe("good.csv: 0 imported, 0 replaced, 2 unchanged\n");
    const show = await cli("indicators", "show", "asb-reports", "--area", "E06000045", "--json");
    expect(JSON.parse(show.stdout).values).toEqual([
      { period: "2025-04", value: 431 },
      { period: "2025-05", value: 402 },
    ]);
    const list = JSON.parse((await cli("indicators", "list", "--json")).stdout) as { key: string; stored: boolean }[];
    expect(list.find((i) => i.key === "asb-reports")).toMatchObject({ stored: true });
    expect(list.find((i) => i.key === "deliberate-fires")).toMatchObject({ stored: false });
  }, SLOW);

  it("grants budget, allocate, pay and show: pounds in and out, over-allocation refused with exit code and reason", async () => {
    const budget = await cli("grants", "budget", "--plan", String(planId), "--year", "2025/26", "--amount", "75000.00", "--name", "Community Safety Budget", "--json");
    expect(budget.code).toBe(0);
    const b = JSON.parse(budget.stdout);
    expect(b).toMatchObject({ amount: "75000.00", year: "2025/26" });
    const alloc = await cli("grants", "allocate", "--budget", String(b.id), "--organisation", "Street Pastors", "--amount", "70000.50", "--purpose", "Night-time economy patrols");
    expect(alloc.stdout).toMatch(/^Allocated £70000\.50 to Street Pastors \(allocation \d+\)\n$/);
    const over = await cli("grants", "allocate", "--budget", String(b.id), "--organisation", "Youth Club Trust", "--amount", "5000.00", "--purpose", "Diversion");
    expect(over.code).not.toBe(0);
    expect(over.stderr).toContain("at most £4,999.50 more can be");
    const allocationId = Number(/allocation (\d+)/.exec(alloc.stdout)![1]);
    expect((await cli("grants", "pay", "--allocation", String(allocationId), "--amount", "35000.25", "--date", "2025-06-30")).code).toBe(0);
    const badAmount = await cli("grants", "pay", "--allocation", String(allocationId), "--amount", "12.345", "--date", "2025-06-30");
    expect(badAmount.stderr).toContain("--amount must be an amount in pounds with at most 2 decimals, e.g. 75000.00; got `12.345`");
    const show = JSON.parse((await cli("grants", "show", "--plan", String(planId), "--json")).stdout);
    expect(show.totals).toEqual({ budget: "75000.00", allocated: "70000.50", paid: "35000.25", unallocated: "4999.50" });
    expect(show.budgets[0].allocations[0]).toMatchObject({ organisation: "Street Pastors", amount: "70000.50", paid: "35000.25", outstanding: "35000.25" });
    const audit = await listAudit(store, { planId });
    expect(audit.map((a) => a.action)).toEqual(["grant.payment.create", "grant.allocation.create", "grant.budget.create"]);
    expect(audit.every((a) => a.actor.startsWith("cli:"))).toBe(true);
  }, SLOW);
});
