import { describe, expect, it } from "vitest";
import {
  checkPublicResponse,
  cleanText,
  mapSurveyHeader,
  organisationOrNull,
  PUBLIC_RESPONSE_LIMITS,
  parseTags,
  summariseConsultation,
  type SummaryResponse,
} from "./consultation.ts";

const PRIORITIES = [
  { id: 11, position: 1, title: "Reduce violent crime" },
  { id: 12, position: 2, title: "Tackle anti-social behaviour" },
  { id: 13, position: 3, title: "Violent crime in the night-time economy" },
];

describe("checkPublicResponse", () => {
  it("keeps non-empty comments in priority order, trims, and treats 'n/a' as an individual", () => {
    const r = checkPublicResponse({ overall: "  Good plan \r\n overall ", organisation: "N/A", comments: { 12: " more patrols ", 11: "", 13: "x\u0000y" } }, PRIORITIES);
    expect(r).toEqual({
      ok: true,
      value: {
        overall: "Good plan \n overall",
        organisation: null,
        comments: [
          { priorityId: 12, position: 2, title: "Tackle anti-social behaviour", comment: "more patrols" },
          { priorityId: 13, position: 3, title: "Violent crime in the night-time economy", comment: "xy" },
        ],
      },
    });
  });

  it("asks for at least one view, on the first priority's field", () => {
    const r = checkPublicResponse({ overall: " ", organisation: "Residents' Association", comments: new Map([[11, "  "]]) }, PRIORITIES);
    expect(r).toEqual({ ok: false, problems: [{ field: "priority-11", tooLong: false, message: "Enter your views on at least one priority, or your overall view of the plan" }] });
  });

  it("names every field over its limit with its length", () => {
    const long = "a".repeat(PUBLIC_RESPONSE_LIMITS.commentChars + 1);
    const r = checkPublicResponse({ overall: long, organisation: "o".repeat(201), comments: { 12: long } }, PRIORITIES);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.field, p.tooLong])).toEqual([
      ["priority-12", true],
      ["overall", true],
      ["organisation", true],
    ]);
    expect(r.problems[0]!.message).toBe("Your comments on priority 2 (Tackle anti-social behaviour) must be 5,000 characters or fewer; it has 5,001 characters. Shorten it.");
  });

  it("accepts exactly the limit", () => {
    const r = checkPublicResponse({ overall: "a".repeat(PUBLIC_RESPONSE_LIMITS.commentChars), organisation: "", comments: {} }, PRIORITIES);
    expect(r.ok).toBe(true);
  });
});

describe("text helpers", () => {
  it("cleanText drops control characters but keeps tabs and line breaks", () => {
    expect(cleanText("a\u0000b\u0007c\td\r\ne\rf\u007f")).toBe("abc\td\ne\nf");
  });
  it("organisationOrNull", () => {
    expect(organisationOrNull("  none. ")).toBeNull();
    expect(organisationOrNull("Individual")).toBeNull();
    expect(organisationOrNull("  Bevois   Residents ")).toBe("Bevois Residents");
  });
  it("parseTags lower-cases, splits on commas and lines, drops repeats", () => {
    expect(parseTags("Street lighting, street  LIGHTING\nPolicing,,")).toEqual({ ok: true, tags: ["street lighting", "policing"] });
    expect(parseTags("")).toEqual({ ok: true, tags: [] });
    const tooLong = parseTags("x".repeat(41));
    expect(tooLong.ok).toBe(false);
    const tooMany = parseTags(Array.from({ length: 21 }, (_, i) => `t${i}`).join(","));
    expect(tooMany).toEqual({ ok: false, reason: "Give at most 20 tags to a response; you gave 21" });
  });
});

describe("summariseConsultation", () => {
  it("counts per priority (and removed priorities), tag, organisation and channel", () => {
    const responses: SummaryResponse[] = [
      { channel: "web", organisation: null, overall: "yes", tags: ["lighting", "policing"], comments: [{ priorityId: 11, title: "Reduce violent crime" }] },
      { channel: "web", organisation: "Bevois Residents", overall: "", tags: ["lighting"], comments: [{ priorityId: 11, title: "x" }, { priorityId: 12, title: "y" }] },
      { channel: "survey", organisation: "bevois residents", overall: "", tags: [], comments: [{ priorityId: null, title: "Old priority" }] },
      { channel: "survey", organisation: "Youth Trust", overall: "ok", tags: [], comments: [] },
    ];
    const s = summariseConsultation(responses, PRIORITIES);
    expect(s).toMatchObject({ total: 4, organisations: 3, individuals: 1, byChannel: { web: 2, survey: 2 }, withOverall: 2, untagged: 2 });
    expect(s.perPriority).toEqual([
      { priorityId: 11, position: 1, title: "Reduce violent crime", responses: 2 },
      { priorityId: 12, position: 2, title: "Tackle anti-social behaviour", responses: 1 },
      { priorityId: 13, position: 3, title: "Violent crime in the night-time economy", responses: 0 },
      { priorityId: null, position: null, title: "Old priority (removed from the plan)", responses: 1 },
    ]);
    expect(s.perTag).toEqual([
      { tag: "lighting", responses: 2 },
      { tag: "policing", responses: 1 },
    ]);
    expect(s.perOrganisation).toEqual([
      { organisation: "Bevois Residents", responses: 2 },
      { organisation: "Youth Trust", responses: 1 },
    ]);
  });
});

describe("mapSurveyHeader", () => {
  it("matches overall, organisation, numbered and titled priority columns tolerantly; ignores the rest", () => {
    const r = mapSurveyHeader(
      ["\ufeffRespondent ID", "Start time", "Email", "Q1. Priority 1 - your views", "What do you think of: Violent crime in the night-time economy?", "TACKLE ANTI_SOCIAL BEHAVIOUR", "Overall view", "Organisation (if any)"],
      PRIORITIES,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.columns.overall).toBe(6);
    expect(r.columns.organisation).toBe(7);
    expect([...r.columns.priorities]).toEqual([
      [11, 3],
      [13, 4],
      [12, 5],
    ]);
    expect(r.columns.ignored).toEqual(["Respondent ID", "Start time", "Email"]);
  });

  it("prefers the longest title contained in the header", () => {
    const r = mapSurveyHeader(["P1", "Comments on violent crime in the night time economy"], PRIORITIES);
    expect(r.ok && [...r.columns.priorities]).toEqual([
      [11, 0],
      [13, 1],
    ]);
  });

  it("refuses two columns for one answer and a header with no answer column", () => {
    const clash = mapSurveyHeader(["Priority 1", "Reduce violent crime"], PRIORITIES);
    expect(clash).toEqual({ ok: false, message: expect.stringContaining("columns 1 (`Priority 1`) and 2 (`Reduce violent crime`) both match priority 1 (Reduce violent crime)") });
    const none = mapSurveyHeader(["Name", "Email", "Priority 9"], PRIORITIES);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.message).toContain("Name the columns `Overall view`, `Priority 1` or `Reduce violent crime`");
  });
});
