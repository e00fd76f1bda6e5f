// The Strategic Assessment document: its schema and canonical JSON form.
export * from "./canonical.ts";
export * from "./assessment.schema.ts";
