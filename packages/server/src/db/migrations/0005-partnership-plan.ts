import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/*
 * The Partnership Plan (docs/decisions/0005-partnership-plan.md): plans with their priorities, key
 * actions and progress, targets on indicators, read-across links, partners, the governance record
 * (consultation responses, delegated amendments), indicator series and the grants budget.
 * Flags are integers 0/1; dates ISO text (`YYYY-MM-DD`, instants ISO-8601 UTC); lists are JSON
 * text; money is whole pence; fractional numbers are double precision on PostgreSQL (real is
 * 4-byte there) and real (8-byte) on SQLite. Every editable record has `row_version` for the
 * optimistic save (`where id = ? and row_version = ?`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const autoId = (isPostgres(db) ? "serial" : "integer") as "integer";
  const double = (isPostgres(db) ? "double precision" : "real") as "real";

  await db.schema
    .createTable("plan")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("area_code", "text", (c) => c.notNull())
    .addColumn("partnership_name", "text", (c) => c.notNull())
    .addColumn("period_from", "text", (c) => c.notNull())
    .addColumn("period_to", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("previous_id", "integer", (c) => c.references("plan.id").onDelete("set null"))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("assessment_ref", "text")
    .addColumn("statutory_basis", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("key_decision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("forward_plan_notice_date", "text")
    .addColumn("iia_completed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("iia_date", "text")
    .addColumn("iia_summary", "text")
    .addColumn("iia_link", "text")
    .addColumn("delegation_post", "text")
    .addColumn("delegation_email", "text")
    .addColumn("delegation_after_consulting", "text")
    .addColumn("consultees", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("cabinet_date", "text")
    .addColumn("cabinet_resolution", "text")
    .addColumn("council_date", "text")
    .addColumn("council_resolution", "text")
    .addColumn("published_date", "text")
    .addColumn("review_date", "text")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_previous").on("plan").column("previous_id").execute();

  await db.schema
    .createTable("plan_priority")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("rationale", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("evidence", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("area_codes", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("years", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("plan_priority_plan").on("plan_priority").column("plan_id").execute();

  await db.schema
    .createTable("plan_action")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("priority_id", "integer", (c) => c.notNull().references("plan_priority.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("owner_organisation_id", "integer", (c) => c.notNull().references("organisation.id"))
    .addColumn("lead_role", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("milestones", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("not_started"))
    .addColumn("budget_line", "text")
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("plan_action_plan").on("plan_action").column("plan_id").execute();
  await db.schema.createIndex("plan_action_priority").on("plan_action").column("priority_id").execute();
  await db.schema.createIndex("plan_action_owner").on("plan_action").column("owner_organisation_id").execute();

  await db.schema
    .createTable("action_progress")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("action_id", "integer", (c) => c.notNull().references("plan_action.id").onDelete("cascade"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("action_progress_action").on("action_progress").column("action_id").execute();

  await db.schema
    .createTable("indicator")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("polarity", "text", (c) => c.notNull())
    .addColumn("period_type", "text", (c) => c.notNull())
    .addColumn("rag_rule", "text", (c) => c.notNull().defaultTo("default"))
    .addColumn("tolerance_percent", double, (c) => c.notNull().defaultTo(0))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("derived_area_code", "text")
    .addColumn("derived_crime", "text")
    .addColumn("derived_measure", "text")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("indicator_value")
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id").onDelete("cascade"))
    .addColumn("area_code", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("value", double, (c) => c.notNull())
    .addColumn("file", "text")
    .addColumn("imported_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("indicator_value_pk", ["indicator_id", "area_code", "period"])
    .execute();

  await db.schema
    .createTable("plan_target")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("priority_id", "integer", (c) => c.references("plan_priority.id").onDelete("set null"))
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicator.id"))
    .addColumn("baseline_period", "text", (c) => c.notNull())
    .addColumn("baseline_value", double, (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("target_value", double, (c) => c.notNull())
    .addColumn("deadline", "text", (c) => c.notNull())
    .addColumn("tolerance_percent", double)
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("plan_target_plan").on("plan_target").column("plan_id").execute();
  await db.schema.createIndex("plan_target_indicator").on("plan_target").column("indicator_id").execute();

  await db.schema
    .createTable("plan_link")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("plan_link_plan").on("plan_link").column("plan_id").execute();

  await db.schema
    .createTable("plan_partner")
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisation.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_partner_pk", ["plan_id", "organisation_id"])
    .execute();

  await db.schema
    .createTable("consultation_response")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("consultee", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("consultation_response_plan").on("consultation_response").column("plan_id").execute();

  await db.schema
    .createTable("plan_amendment")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("by", "text", (c) => c.notNull())
    .addColumn("post", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_amendment_plan").on("plan_amendment").column("plan_id").execute();

  await db.schema
    .createTable("grant_budget")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("plan_id", "integer", (c) => c.notNull().references("plan.id").onDelete("cascade"))
    .addColumn("year", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("amount_pence", "bigint", (c) => c.notNull())
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("grant_budget_plan_year_name", ["plan_id", "year", "name"])
    .execute();

  await db.schema
    .createTable("grant_allocation")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("budget_id", "integer", (c) => c.notNull().references("grant_budget.id").onDelete("cascade"))
    .addColumn("organisation_id", "integer", (c) => c.notNull().references("organisation.id"))
    .addColumn("action_id", "integer", (c) => c.references("plan_action.id").onDelete("set null"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("amount_pence", "bigint", (c) => c.notNull())
    .addColumn("delivered", "text")
    .addColumn("row_version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("grant_allocation_budget").on("grant_allocation").column("budget_id").execute();

  await db.schema
    .createTable("grant_payment")
    .addColumn("id", autoId, (c) => c.primaryKey())
    .addColumn("allocation_id", "integer", (c) => c.notNull().references("grant_allocation.id").onDelete("cascade"))
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("amount_pence", "bigint", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("grant_payment_allocation").on("grant_payment").column("allocation_id").execute();

  // No foreign key: an audit row outlives the plan it was about.
  await db.schema.alterTable("audit_log").addColumn("plan_id", "integer").execute();
  await db.schema.createIndex("audit_log_plan").on("audit_log").column("plan_id").execute();
  await db.schema.createIndex("audit_log_target").on("audit_log").column("target").execute();
  await db.schema
    .alterTable("organisation")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("audit_log_target").ifExists().execute();
  await db.schema.dropIndex("audit_log_plan").ifExists().execute();
  await db.schema.alterTable("audit_log").dropColumn("plan_id").execute();
  await db.schema.alterTable("organisation").dropColumn("demo").execute();
  for (const t of [
    "grant_payment",
    "grant_allocation",
    "grant_budget",
    "plan_amendment",
    "consultation_response",
    "plan_partner",
    "plan_link",
    "plan_target",
    "indicator_value",
    "indicator",
    "action_progress",
    "plan_action",
    "plan_priority",
    "plan",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
