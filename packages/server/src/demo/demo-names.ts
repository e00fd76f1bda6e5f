import type { Actor } from "../services/audit.ts";

/**
 * Who the demo acts as. Every row the demo writes through the services is audited with this actor
 * (so `safecity demo --remove` finds the demo's audit rows); the demo's own accounts (the Cabinet's
 * delegate) use the reserved `.invalid` domain, which no real mailbox can have.
 */
export const DEMO_ACTOR: Actor = { label: "demo:safecity-demo", ip: null };
export const DEMO_EMAIL_DOMAIN = "demo-city.invalid";
export const DEMO_USER_EMAIL_LIKE = `%@${DEMO_EMAIL_DOMAIN}`;
