import type { ActionStatus, Milestone, OrganisationKind } from "@safecity/core";
import { DEMO_EMAIL_DOMAIN } from "./demo-names.ts";

/**
 * The words and dates of the demo partnership plan, modelled on Southampton's Safe City
 * Partnership Plan report to Cabinet and Council (../shared/seed/): a 3-year plan whose three
 * priorities stay for three years, key actions owned by council services and partners, targets on
 * indicators, a £75,000 Community Safety Budget given as grants to four voluntary groups, and a
 * key decision taken through consultation, Cabinet (delegating final amendments to a director
 * after consulting the Cabinet Member) and Full Council (Policy Framework).
 */

export const DEMO_PLAN = {
  title: "Demo City Safe City Partnership Plan 2025-28",
  partnershipName: "Demo City Safe City Partnership",
  periodFrom: "2025-04",
  periodTo: "2028-03",
  years: ["2025/26", "2026/27", "2027/28"],
  assessmentRef: "Demo City Strategic Assessment 2025, police data to 2025-12 (synthetic demo data)",
  forwardPlanNoticeDate: "2025-06-02",
  impactAssessment: {
    completed: true,
    date: "2025-06-20",
    summary:
      "Integrated Impact Assessment: positive impact for victims of domestic abuse and residents of the priority areas; no negative impact on any protected group identified; monitoring of stop and search disproportionality added to action 3.",
    link: null,
  },
  delegation: {
    post: "Director of Environment and Economy",
    delegateEmail: `director.environment@${DEMO_EMAIL_DOMAIN}`,
    afterConsulting: "Cabinet Member for Communities",
  },
  consultees: [
    "Safe City Partnership members",
    "Children and Young People's Trust",
    "Management Board of Directors",
    "Overview and Scrutiny Management Committee",
    "Cabinet Member for Communities",
  ],
  consultationDate: "2025-05-19",
  responses: [
    {
      consultee: "Safe City Partnership members",
      date: "2025-06-05",
      summary: "Agreed the three priorities for three years; asked for a night-time economy measure alongside all violence.",
    },
    {
      consultee: "Children and Young People's Trust",
      date: "2025-06-12",
      summary: "Supports the youth diversion action; asked that first-time entrants be a target under priority 2.",
    },
    {
      consultee: "Overview and Scrutiny Management Committee",
      date: "2025-06-26",
      summary: "Content with the plan; asked for quarterly performance reports and the grant outcomes at year end.",
    },
  ],
  cabinet: {
    date: "2025-07-15",
    resolution:
      "(i) To delegate authority to the Director of Environment and Economy to agree any final amendments to the Plan following consultation with the Cabinet Member for Communities prior to submission to Council for approval. (ii) Subject to (i) above, to recommend the Demo City Safe City Partnership Plan 2025-28 to Council for approval.",
  },
  amendment: {
    date: "2025-07-28",
    summary:
      "After consulting the Cabinet Member for Communities: priority 1's rationale names the night-time economy's share of violence, as the partnership asked in consultation.",
  },
  council: { date: "2025-09-10", resolution: "To approve the Demo City Safe City Partnership Plan 2025-28 (Policy Framework)." },
  publishedDate: "2025-09-17",
} as const;

export interface DemoOrganisation {
  key: string;
  name: string;
  kind: OrganisationKind;
  role: string;
}

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  { key: "council", name: "Demo City Council", kind: "council", role: "responsible authority" },
  { key: "police", name: "Demo City Police", kind: "police", role: "responsible authority" },
  { key: "fire", name: "Demo Fire and Rescue Service", kind: "fire", role: "responsible authority" },
  { key: "health", name: "Demo Integrated Care Board", kind: "health", role: "responsible authority" },
  { key: "probation", name: "Demo Probation Delivery Unit", kind: "probation", role: "responsible authority" },
  { key: "pastors", name: "Demo Street Pastors", kind: "voluntary", role: "voluntary sector" },
  { key: "womens-aid", name: "Demo Women's Aid", kind: "voluntary", role: "voluntary sector" },
  { key: "victim-support", name: "Demo Victim Support Hub", kind: "voluntary", role: "voluntary sector" },
  { key: "youth", name: "Demo Youth Diversion Project", kind: "voluntary", role: "voluntary sector" },
];

export interface DemoPriority {
  title: string;
  rationale: string;
  evidence: { ref: string; text: string }[];
  /** The crime group whose priority areas (assessment: crime rate and IMD) it targets; null: the whole city. */
  areasFor: string | null;
}

export const DEMO_PRIORITIES: readonly DemoPriority[] = [
  {
    title: "Reduce violent crime, including in the night-time economy",
    rationale:
      "Violence and sexual offences are the largest share of recorded crime in Demo City and rose on the previous year (Strategic Assessment 2025, key message 1); the city centre's night-time economy is a hotspot.",
    evidence: [
      { ref: "assessment:2025-12#keyMessage/1", text: "Violence and sexual offences: the largest crime group, up on the same period last year" },
      { ref: "assessment:2025-12#priorityAreas", text: "City-centre LSOAs in the top decile for violence" },
    ],
    areasFor: "Violence and sexual offences",
  },
  {
    title: "Reduce repeat victimisation, with a focus on domestic abuse and vulnerable victims",
    rationale:
      "Repeat domestic abuse cases at the MARAC and repeat victims of anti-social behaviour need joint case management (Strategic Assessment 2025, key message 4).",
    evidence: [{ ref: "assessment:2025-12#keyMessage/4", text: "Repeat domestic abuse incidents: a quarter of MARAC cases are repeats" }],
    areasFor: null,
  },
  {
    title: "Tackle anti-social behaviour and criminal damage in the priority areas",
    rationale:
      "Anti-social behaviour and criminal damage concentrate in the most deprived LSOAs and peak in the summer and October (Strategic Assessment 2025, priority areas and seasonality).",
    evidence: [
      { ref: "assessment:2025-12#priorityAreas", text: "Priority areas: high crime rate and IMD decile 1-2" },
      { ref: "assessment:2025-12#seasonality", text: "Summer and October peaks for ASB" },
    ],
    areasFor: "Anti-social behaviour",
  },
];

export interface DemoAction {
  priority: number;
  title: string;
  owner: string;
  leadRole: string;
  startDate: string;
  dueDate: string;
  status: ActionStatus;
  milestones: Milestone[];
  budgetLine: string | null;
  /** Progress updates recorded after the plan was approved (monitoring). */
  progress: { date: string; status: ActionStatus; note: string }[];
}

const CSB = "Community Safety Budget 2025/26";

export const DEMO_ACTIONS: readonly DemoAction[] = [
  {
    priority: 0,
    title: "Review late-night licensing and run Best Bar None in the city centre",
    owner: "council",
    leadRole: "Licensing Manager",
    startDate: "2025-10-01",
    dueDate: "2026-09-30",
    status: "not_started",
    milestones: [
      { title: "Cumulative impact assessment published", due: "2025-12-31", done: true },
      { title: "Best Bar None awards", due: "2026-06-30", done: false },
    ],
    budgetLine: null,
    progress: [{ date: "2025-12-19", status: "on_track", note: "Cumulative impact assessment published; 24 venues signed up to Best Bar None." }],
  },
  {
    priority: 0,
    title: "Street pastors and a safe space on Friday and Saturday nights",
    owner: "pastors",
    leadRole: "Street Pastors Coordinator",
    startDate: "2025-10-01",
    dueDate: "2026-03-31",
    status: "not_started",
    milestones: [{ title: "Safe space open every weekend", due: "2025-11-30", done: true }],
    budgetLine: CSB,
    progress: [{ date: "2025-12-12", status: "on_track", note: "Safe space open every Friday and Saturday since November; 310 people helped." }],
  },
  {
    priority: 0,
    title: "Targeted patrols in the violence hotspots of the assessment",
    owner: "police",
    leadRole: "Neighbourhood Policing Inspector",
    startDate: "2025-10-01",
    dueDate: "2026-09-30",
    status: "not_started",
    milestones: [{ title: "Hotspot patrol plan agreed", due: "2025-10-31", done: true }],
    budgetLine: null,
    progress: [{ date: "2025-12-15", status: "at_risk", note: "Patrol hours below plan in November and December (winter demand); violence still above last year." }],
  },
  {
    priority: 1,
    title: "Independent domestic violence advisers at the MARAC and in A&E",
    owner: "womens-aid",
    leadRole: "IDVA Service Manager",
    startDate: "2025-10-01",
    dueDate: "2026-03-31",
    status: "not_started",
    milestones: [{ title: "A&E adviser in post", due: "2025-12-31", done: true }],
    budgetLine: CSB,
    progress: [{ date: "2025-12-18", status: "on_track", note: "A&E adviser in post from December; repeat cases at the MARAC down to 23.8%." }],
  },
  {
    priority: 1,
    title: "Screen for repeat and vulnerable victims in police and council call handling",
    owner: "council",
    leadRole: "Safeguarding Adults Lead",
    startDate: "2025-10-01",
    dueDate: "2026-06-30",
    status: "not_started",
    milestones: [{ title: "Shared vulnerability screening questions", due: "2026-01-31", done: false }],
    budgetLine: null,
    progress: [{ date: "2025-12-10", status: "off_track", note: "Data-sharing agreement not yet signed; screening cannot start until it is." }],
  },
  {
    priority: 1,
    title: "Youth diversion for first-time entrants",
    owner: "youth",
    leadRole: "Youth Diversion Manager",
    startDate: "2025-10-01",
    dueDate: "2026-09-30",
    status: "not_started",
    milestones: [{ title: "Referral pathway with the youth offending service", due: "2025-12-31", done: false }],
    budgetLine: CSB,
    progress: [],
  },
  {
    priority: 2,
    title: "Joint anti-social behaviour and enviro-crime days in the priority areas",
    owner: "council",
    leadRole: "Community Safety Manager",
    startDate: "2025-10-01",
    dueDate: "2025-12-31",
    status: "not_started",
    milestones: [
      { title: "October action days (seasonal peak)", due: "2025-10-31", done: true },
      { title: "Results to the partnership", due: "2025-12-31", done: true },
    ],
    budgetLine: null,
    progress: [{ date: "2025-12-31", status: "completed", note: "Six action days held in the three priority areas; 41 ASB warnings, 12 fly-tips cleared." }],
  },
  {
    priority: 2,
    title: "Fire-setter education and deliberate fire prevention",
    owner: "fire",
    leadRole: "Prevention Manager",
    startDate: "2026-01-05",
    dueDate: "2026-12-31",
    status: "not_started",
    milestones: [],
    budgetLine: null,
    progress: [],
  },
];

/** The grants: the seed's £75,000 Community Safety Budget across four voluntary sector groups. */
export const DEMO_GRANTS = {
  year: "2025/26",
  name: "Community Safety Budget",
  amountPence: 7_500_000,
  allocations: [
    { organisation: "pastors", actionTitle: DEMO_ACTIONS[1]!.title, purpose: "Street pastors and the weekend safe space", amountPence: 2_000_000 },
    { organisation: "womens-aid", actionTitle: DEMO_ACTIONS[3]!.title, purpose: "Independent domestic violence advisers at the MARAC and in A&E", amountPence: 2_500_000 },
    { organisation: "victim-support", actionTitle: null, purpose: "Support for repeat victims of anti-social behaviour", amountPence: 1_500_000 },
    { organisation: "youth", actionTitle: DEMO_ACTIONS[5]!.title, purpose: "Youth diversion for first-time entrants", amountPence: 1_500_000 },
  ],
  /** First-half payments (half of each allocation, paid in October). */
  paymentDate: "2025-10-15",
} as const;

export const DEMO_LINKS = [
  { kind: "plan", name: "Demo City Council Plan 2025-2028", note: "Safer communities outcome" },
  { kind: "partnership", name: "Children and Young People's Trust", note: "Youth diversion and first-time entrants" },
  { kind: "partnership", name: "Health and Wellbeing Board", note: "Alcohol harm and violence admissions" },
] as const;
