import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { TransitionRequest } from "../plan/governance.ts";
import type {
  ActionProgress,
  ConsultationResponse,
  DelegatedAmendment,
  GrantAllocation,
  GrantBudget,
  GrantPayment,
  Indicator,
  IndicatorValue,
  KeyAction,
  PartnerOrganisation,
  Plan,
  PlanGovernance,
  Priority,
  ReadAcross,
  Target,
  TargetPerformance,
} from "../plan/plan.types.ts";
import type { PriorityProposals } from "../plan/proposals.ts";
import type { Rollup } from "../plan/rollup.ts";
import {
  type ActionWithProgressSchema,
  type ConsultationResponseSchema,
  DateSchema,
  type DelegatedAmendmentSchema,
  type GrantAllocationSchema,
  type GrantBudgetSchema,
  type GrantPaymentSchema,
  type IndicatorSchema,
  type IndicatorValueSchema,
  type PartnerOrganisationSchema,
  PeriodSchema,
  PerformanceReportSchema,
  PlanDetailSchema,
  type PlanGovernanceSchema,
  PlanGrantsSchema,
  PlanListSchema,
  PlanSchema,
  type PrioritySchema,
  type PriorityProposalsSchema,
  type ReadAcrossSchema,
  type RollupSchema,
  type TargetPerformanceSchema,
  type TargetSchema,
  type TargetWithPerformanceSchema,
  TransitionBodySchema,
  TransitionRequestSchema,
} from "./plan.schema.ts";

/** `A & B` written out as one object type, as zod's `.extend` infers it. */
type Flat<T> = { [K in keyof T]: T[K] };

describe("plan API schemas mirror the domain types", () => {
  it("has exactly the domain type for each record (checked by the type-checker)", () => {
    expectTypeOf<z.infer<typeof PlanSchema>>().toEqualTypeOf<Plan>();
    expectTypeOf<z.infer<typeof PrioritySchema>>().toEqualTypeOf<Priority>();
    expectTypeOf<z.infer<typeof ActionWithProgressSchema>>().toEqualTypeOf<Flat<KeyAction & { progress: ActionProgress[] }>>();
    expectTypeOf<z.infer<typeof TargetSchema>>().toEqualTypeOf<Target>();
    expectTypeOf<z.infer<typeof TargetPerformanceSchema>>().toEqualTypeOf<TargetPerformance>();
    expectTypeOf<z.infer<typeof TargetWithPerformanceSchema>>().toEqualTypeOf<Flat<Target & { performance: TargetPerformance | null }>>();
    expectTypeOf<z.infer<typeof IndicatorSchema>>().toEqualTypeOf<Indicator>();
    expectTypeOf<z.infer<typeof IndicatorValueSchema>>().toEqualTypeOf<IndicatorValue>();
    expectTypeOf<z.infer<typeof ReadAcrossSchema>>().toEqualTypeOf<Flat<ReadAcross & { rowVersion: number }>>();
    expectTypeOf<z.infer<typeof PartnerOrganisationSchema>>().toEqualTypeOf<PartnerOrganisation>();
    expectTypeOf<z.infer<typeof ConsultationResponseSchema>>().toEqualTypeOf<ConsultationResponse>();
    expectTypeOf<z.infer<typeof DelegatedAmendmentSchema>>().toEqualTypeOf<DelegatedAmendment>();
    expectTypeOf<z.infer<typeof PlanGovernanceSchema>>().toEqualTypeOf<PlanGovernance>();
    expectTypeOf<z.infer<typeof TransitionRequestSchema>>().toEqualTypeOf<TransitionRequest>();
    expectTypeOf<z.infer<typeof GrantBudgetSchema>>().toEqualTypeOf<GrantBudget>();
    expectTypeOf<z.infer<typeof GrantAllocationSchema>>().toEqualTypeOf<GrantAllocation>();
    expectTypeOf<z.infer<typeof GrantPaymentSchema>>().toEqualTypeOf<GrantPayment>();
    expectTypeOf<z.infer<typeof RollupSchema>>().toEqualTypeOf<Rollup>();
    expectTypeOf<z.infer<typeof PriorityProposalsSchema>>().toEqualTypeOf<PriorityProposals>();
  });
});

describe("plan API schemas validate", () => {
  it("accepts real calendar dates and the three period forms only", () => {
    expect(DateSchema.safeParse("2024-02-29").success).toBe(true);
    expect(DateSchema.safeParse("2025-02-29").success).toBe(false);
    expect(DateSchema.safeParse("2025-7-1").success).toBe(false);
    for (const p of ["2025-07", "2025-Q3", "2025/26"]) expect(PeriodSchema.safeParse(p).success).toBe(true);
    for (const p of ["2025-13", "2025-Q5", "2025", "Q3 2025"]) expect(PeriodSchema.safeParse(p).success).toBe(false);
  });
  it("reads a transition body by its target state", () => {
    const cabinet = { to: "recommended", date: "2025-07-11", resolution: "Recommend to Council", rowVersion: 4 };
    expect(TransitionBodySchema.parse(cabinet)).toEqual(cabinet);
    expect(TransitionBodySchema.safeParse({ to: "draft", date: "2025-07-11" }).success).toBe(false); // the note is required
    expect(TransitionBodySchema.safeParse({ to: "superseded", date: "2025-07-11" }).success).toBe(false);
    const bad = TransitionRequestSchema.safeParse({ to: "published", date: "11/07/2025" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["date"]);
  });
});

describe("plan API schemas in the OpenAPI document", () => {
  it("convert to JSON Schema, with the domain's enums", () => {
    for (const schema of [PlanListSchema, PlanDetailSchema, PlanGrantsSchema, PerformanceReportSchema, TransitionBodySchema]) {
      expect(() => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" })).not.toThrow();
    }
    const json = JSON.stringify(z.toJSONSchema(PlanSchema, { io: "output", unrepresentable: "any" }));
    expect(json).toContain('"enum":["draft","consultation","recommended","approved","published","review","superseded"]');
  });
});
