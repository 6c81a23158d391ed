/**
 * The REST API's request and response shapes, shared by the server (validation, OpenAPI) and
 * the web client (types). One zod schema per shape; `z.infer` gives the TypeScript type.
 */
import { z } from 'zod';
import { ImportCounts } from './directories.ts';
import { DrawRulesUsed } from './settings.ts';
import { Count, DateText, Id, LabelList, Page } from './bounds.ts';
import { FOLLOW_UPS, RESULT_CODES } from '@choucha/core/result-codes';
import { FollowUpDetailBody, PublicCorrection, ResultItemBody } from './campaigns/results.ts';
import { EscalationRoundView, MaxModeEnum, PublicTaskState } from './campaigns/draw-ops.ts';
import { DashboardDeadline, DashboardOverdue, DashboardTimeliness } from './campaigns/dashboard.ts';

export const ROLE_VALUES = ['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor'] as const;
export const Role = z.enum(ROLE_VALUES);
export type Role = z.infer<typeof Role>;

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---- identity -------------------------------------------------------------------------------
export const Me = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
export const UserRow = Me.extend({ disabled: z.boolean(), createdAt: z.string() });
export type UserRow = z.infer<typeof UserRow>;
export const CreateUserBody = z.object({
  username: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/),
  displayName: z.string().min(1).max(100),
  role: Role,
  departmentId: Id.nullable(),
  password: z.string().min(1).max(200),
});
export const ResetPasswordBody = z.object({ password: z.string().min(1).max(200) });

// ---- directories --------------------------------------------------------------------------
export const Department = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  level: z.string(),
  isLead: z.boolean(),
  parentId: z.number().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  /** absent from older servers; false: deactivated (kept for history, hidden in pickers) */
  active: z.boolean().optional(),
});
export type Department = z.infer<typeof Department>;

export const EntityRow = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  regNo: z.string().nullable(),
  codeStatus: z.string(),
  entityType: z.string().nullable(),
  industryName: z.string().nullable(),
  street: z.string().nullable(),
  address: z.string().nullable(),
  status: z.string(),
  /** Staff only; absent for roles that may not see it. Never on a public endpoint. */
  riskClass: z.string().nullable().optional(),
});
export type EntityRow = z.infer<typeof EntityRow>;
export const EntityQuery = Page.extend({
  q: z.string().max(100).optional(),
  street: z.string().max(50).optional(),
  status: z.string().max(20).optional(),
  entityType: z.string().max(50).optional(),
  riskClass: z.string().max(5).optional(),
});
export const EntityList = z.object({ items: z.array(EntityRow), total: z.number() });

export const Item = z.object({
  id: z.number(),
  editionId: z.number(),
  departmentId: z.number(),
  seq: z.number().nullable(),
  category: z.string(),
  name: z.string(),
  targetDesc: z.string().nullable(),
  itemKind: z.string().nullable(),
  methods: z.array(z.string()),
  subjects: z.array(z.string()),
  basis: z.array(z.string()),
  field: z.string().nullable(),
});
export type Item = z.infer<typeof Item>;
export const ItemEdition = z.object({
  id: z.number(),
  departmentId: z.number().nullable(),
  name: z.string(),
  status: z.string(),
});
export const ItemList = z.object({ editions: z.array(ItemEdition), items: z.array(Item) });

export const Inspector = z.object({
  id: z.number(),
  departmentId: z.number(),
  name: z.string(),
  certNo: z.string().nullable(),
  certValidTo: z.string().nullable(),
  fields: z.array(z.string()),
  active: z.boolean(),
});
export type Inspector = z.infer<typeof Inspector>;

// ---- imports -------------------------------------------------------------------------------
export const ImportKind = z.enum(['entities', 'inspectors', 'items', 'joint_items']);
export const ImportRowReport = z.object({
  rowNumber: z.number(),
  verdict: z.enum(['accepted', 'warning', 'rejected', 'merged']),
  reasons: z.array(z.object({ code: z.string(), field: z.string().optional(), message: z.string() })),
  key: z.string().nullable(),
  name: z.string().nullable(),
});
export type ImportRowReport = z.infer<typeof ImportRowReport>;
export const ImportSummary = z.object({
  id: z.number(),
  kind: z.string(),
  fileName: z.string(),
  status: z.string(),
  counts: ImportCounts,
  createdAt: z.string(),
  committedAt: z.string().nullable(),
});
export const ImportDetail = ImportSummary.extend({
  mapping: z.record(z.string(), z.unknown()).nullable(),
  rows: z.array(ImportRowReport),
});
export type ImportDetail = z.infer<typeof ImportDetail>;

// ---- tasks, draws, results --------------------------------------------------------------
export const Sampling = z.object({
  /** One ratio for the whole roster, or one per risk class (A/B/C/D…). */
  ratio: z.number().gt(0).lte(1).optional(),
  classes: z
    .record(z.string().max(20), z.number().gt(0).lte(1))
    .refine((c) => Object.keys(c).length <= 50, { message: 'at most 50 classes' })
    .optional(),
  min: Count.optional(),
  max: Count.min(1).optional(),
  /** what max (最多抽取户数) means: in total, split across classes, per class (default) — draw-protocol §4.1 */
  maxMode: MaxModeEnum.optional(),
  /** at most this many teams of one draw per inspector */
  maxLoad: z.number().int().min(1).max(10000).optional(),
});
export type Sampling = z.infer<typeof Sampling>;

export const CreateTaskBody = z.object({
  name: z.string().min(1).max(200),
  departmentId: Id.optional(),
  itemIds: z.array(Id).min(1).max(1000),
  jointDepartmentIds: z.array(Id).max(100).default([]),
  windowStart: DateText,
  windowEnd: DateText,
  scope: z
    .object({
      streets: LabelList.optional(),
      entityTypes: LabelList.optional(),
      industryPrefixes: LabelList.optional(),
      tags: LabelList.optional(),
    })
    .optional(),
  sampling: Sampling,
});
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

export const TaskRow = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  departmentId: z.number(),
  departmentName: z.string(),
  isJoint: z.boolean(),
  jointDepartmentIds: z.array(z.number()),
  windowStart: z.string(),
  windowEnd: z.string(),
  status: z.string(),
  targetCount: z.number(),
  publishedCount: z.number(),
  createdAt: z.string(),
});
export type TaskRow = z.infer<typeof TaskRow>;

export const TeamMember = z.object({ inspectorId: z.number(), name: z.string(), departmentId: z.number() });
export const ResultView = z.object({
  id: z.number(),
  departmentId: z.number(),
  codes: z.array(z.string()),
  followUps: z.array(z.string()),
  note: z.string().nullable(),
  inspectedOn: z.string(),
  status: z.string(),
  reviewNote: z.string().nullable(),
  /** the enterer's answer to the last rejection reason (reviewNote) */
  response: z.string().nullable().optional(),
  approvedAt: z.string().nullable().optional(),
  version: z.number().optional(),
  publishedAt: z.string().nullable(),
});
export type ResultView = z.infer<typeof ResultView>;
export const TargetView = z.object({
  id: z.number(),
  entityId: z.number(),
  entityName: z.string(),
  key: z.string(),
  stratum: z.string(),
  ticket: z.string(),
  rank: z.number(),
  /** protocol v2: 0 for the committed size, i for escalation round i; null for a v1 draw */
  phase: z.number().nullable(),
  team: z.array(TeamMember),
  results: z.array(ResultView),
  /** whether the requesting user may enter this target's result (the server's rule, result-access.ts) */
  canEnter: z.boolean(),
});
export type TargetView = z.infer<typeof TargetView>;
/** The dice ceremony of a reveal (who rolled, where, when, before whom): public by design. */
export const DiceCeremony = z.object({
  place: z.string(),
  /** ISO 8601, UTC */
  at: z.string(),
  rolledBy: z.string(),
  witnesses: z.array(z.string()),
});
export type DiceCeremony = z.infer<typeof DiceCeremony>;
/** The stage of a draw's bundle (draw-protocol-v2 §11); a v1 draw not matched is 'drawn'. */
export const DrawStage = z.enum(['committed', 'drawn', 'infeasible', 'matched']);
/** Another attempt of the same task: its draw id (null when not found) and commitment hash. */
export const DrawLink = z.object({ drawId: z.number().nullable(), commitmentHash: z.string() });
export const DrawView = z.object({
  id: z.number(),
  taskId: z.number(),
  attempt: z.number(),
  status: z.string(),
  algorithmVersion: z.string(),
  commitment: z.string(),
  commitmentHash: z.string(),
  committedAt: z.string(),
  rosterRoot: z.string(),
  rosterSize: z.number(),
  seedSource: z.unknown(),
  seedInputs: z.unknown().nullable(),
  seed: z.string().nullable(),
  redrawReason: z.string().nullable(),
  stage: DrawStage,
  /** v2: the previous attempt this commitment names (its `predecessor`); null for attempt 1 and v1 */
  predecessor: DrawLink.nullable(),
  /** the redraw that superseded this draw */
  supersededBy: DrawLink.extend({ drawId: z.number() }).nullable(),
  ceremony: DiceCeremony.nullable(),
  /** stratum label → risk class, for the roles that see risk classes; null otherwise */
  stratumClasses: z.record(z.string(), z.string()).nullable(),
  /** The district rules the draw used (recorded at its commitment); null for draws before issue 8. */
  rules: DrawRulesUsed.nullable(),
  /** entities drawn beyond the committed size per stratum label, and the escalations one by one */
  escalation: z.record(z.string(), z.number()).optional(),
  escalationRounds: z.array(EscalationRoundView).optional(),
  targets: z.array(TargetView),
});
export type DrawView = z.infer<typeof DrawView>;
/**
 * A cooperating department (配合部门) of a joint task: invited, then accepted (bound: its directory
 * in the roster, its inspectors in the pool) or declined (not bound; its items leave the task).
 */
export const PARTNER_STATES = ['invited', 'accepted', 'declined'] as const;
export const TaskPartner = z.object({
  departmentId: z.number(),
  state: z.enum(PARTNER_STATES),
  invitedBy: z.number().nullable(),
  invitedAt: z.string(),
  answeredBy: z.number().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type TaskPartner = z.infer<typeof TaskPartner>;
export const TaskDetail = TaskRow.extend({
  items: z.array(Item),
  sampling: Sampling,
  scope: z.unknown().nullable(),
  /** every department named as cooperating, with its answer; `jointDepartmentIds` are the accepted ones */
  partners: z.array(TaskPartner),
  draws: z.array(DrawView),
});
export type TaskDetail = z.infer<typeof TaskDetail>;
export const PartnerAnswerBody = z.object({
  note: z.string().max(500).optional(),
  /** On accepting: the department's items it brings (own list), and rows of the joint item list. */
  itemIds: z.array(z.number().int().min(1)).max(200).optional(),
  jointItemIds: z.array(z.number().int().min(1)).max(200).optional(),
});
/** The answer, and the task as the answering user now sees it (null: a partner that declined no longer sees it). */
export const PartnerAnswer = z.object({ partner: TaskPartner, task: TaskDetail.nullable() });
export type PartnerAnswer = z.infer<typeof PartnerAnswer>;

export const CommitDrawBody = z.object({
  /**
   * What public randomness will fix the seed (one is mandatory: DRAW_INPUT_INVALID): dice rolled in
   * public — true for 20 digits, or { digits: 20…100 }, the exact number to roll — and/or a future
   * drand round.
   */
  seedSource: z
    .object({
      dice: z.union([z.boolean(), z.object({ digits: z.number().int() })]).default(true),
      drand: z.object({ chainHash: z.string().max(128), round: Count.min(1) }).optional(),
    })
    .default({ dice: true }),
  redrawReason: z.string().min(5).max(1000).optional(),
  /** at most this many teams of this draw per inspector (default: the task's sampling.maxLoad; null: none) */
  maxLoad: z.number().int().min(1).max(10000).nullable().optional(),
});
export const RevealDrawBody = z.object({
  dice: z.string().max(200).optional(),
  beacon: z
    .object({
      round: Count.min(1),
      randomness: z.string().max(256),
      signature: z.string().max(1024),
      /** the chained (mainnet) scheme's previous signature; null or absent for quicknet */
      previousSignature: z.string().max(1024).nullable().optional(),
    })
    .optional(),
  /**
   * The dice ceremony record. Optional here (a draw by drand alone; the CLI); the web form asks for
   * it whenever the commitment has dice. Checked by the service (DRAW_CEREMONY_INVALID, details.field:
   * texts 1–200 characters, 1–10 witnesses, `at` an ISO time not in the future).
   */
  ceremony: z
    .object({
      place: z.string().max(2000),
      at: z.string().max(100),
      rolledBy: z.string().max(2000),
      witnesses: z.array(z.string().max(2000)).max(100),
    })
    .optional(),
});

export { RESULT_CODES, FOLLOW_UPS } from '@choucha/core/result-codes';
export const EnterResultBody = z.object({
  codes: z.array(z.enum(RESULT_CODES)).min(1).max(50),
  followUps: z.array(z.enum(FOLLOW_UPS)).max(50).default([]),
  note: z.string().max(2000).optional(),
  inspectedOn: DateText,
  /** a result per cited item of the department (all of them when given) */
  items: z.array(ResultItemBody).max(200).optional(),
  followUpDetails: z.array(FollowUpDetailBody).max(20).optional(),
  /** the answer to the rejection reason when a rejected result is submitted again */
  response: z.string().max(1000).optional(),
});
export type EnterResultBody = z.infer<typeof EnterResultBody>;
export const ReviewBody = z.object({ note: z.string().max(1000).optional() });

// ReviewRow: ./campaigns/results.ts

// ---- public portal (never risk class, never unpublished results) -------------------------
export const PublicResult = z.object({
  id: z.number(),
  entityName: z.string(),
  code: z.string(),
  taskName: z.string(),
  departmentName: z.string(),
  items: z.array(z.string()),
  codes: z.array(z.string()),
  inspectedOn: z.string(),
  publishedAt: z.string(),
  drawId: z.number(),
  /** 更正: each correction of this published result, with its date and reason */
  corrections: z.array(PublicCorrection),
  /**
   * One row per target: every department's published result on it (a joint task's target is
   * published once, with each department's items and codes), the lead department first.
   */
  byDepartment: z.array(
    z.object({
      departmentName: z.string(),
      items: z.array(z.string()),
      codes: z.array(z.string()),
      inspectedOn: z.string(),
      publishedAt: z.string(),
      corrections: z.array(PublicCorrection),
    }),
  ),
});
export type PublicResult = z.infer<typeof PublicResult>;
export const PublicResultQuery = Page.extend({ q: z.string().max(100).optional() });
export const PublicResultList = z.object({ items: z.array(PublicResult), total: z.number() });
export const PublicDraw = z.object({
  id: z.number(),
  taskName: z.string(),
  departmentName: z.string(),
  attempt: z.number(),
  status: z.string(),
  algorithmVersion: z.string(),
  commitment: z.string(),
  commitmentHash: z.string(),
  committedAt: z.string(),
  seedInputs: z.unknown().nullable(),
  seed: z.string().nullable(),
  redrawReason: z.string().nullable(),
  /** committed | drawn | infeasible | matched (a superseded draw keeps the stage it reached) */
  stage: DrawStage,
  /** v2: the previous attempt the commitment names; null for attempt 1 and for v1 draws */
  predecessor: DrawLink.nullable(),
  /** the redraw that superseded this draw (its commitment names this one as predecessor) */
  supersededBy: DrawLink.extend({ drawId: z.number() }).nullable(),
  /** the dice ceremony: place, time, who rolled, the witnesses (officials, notaries) */
  ceremony: DiceCeremony.nullable(),
  /** no stratum (not even its opaque label: it would group the targets by class); selection order */
  targets: z.array(
    z.object({
      entityName: z.string(),
      key: z.string(),
      ticket: z.string(),
      /** v2: 0, or the escalation round that added it; null for a v1 draw */
      phase: z.number().nullable(),
    }),
  ),
  /** the task's real state (committed … published / corrected), services/campaigns/public-draw-state.ts */
  taskState: PublicTaskState.optional(),
});
export type PublicDraw = z.infer<typeof PublicDraw>;
export const PublicDrawRow = PublicDraw.omit({ targets: true, commitment: true });
export const PublicDrawList = z.object({ items: z.array(PublicDrawRow) });

// ---- dashboard, audit ------------------------------------------------------------------------
export const Dashboard = z.object({
  year: z.number(),
  /** years that have tasks, newest first (the default year is the first) */
  years: z.array(z.number()),
  /** today in China (the deadlines' reference) */
  today: z.string(),
  tasks: z.number(),
  jointTasks: z.number(),
  targets: z.number(),
  jointTargets: z.number(),
  published: z.number(),
  /** results awaiting the department's decision (submitted) */
  pendingReview: z.number(),
  /** results approved, awaiting publication by the joint office */
  awaitingPublication: z.number(),
  problemsFound: z.number(),
  /** Entities with a standing result (submitted, approved or published). */
  inspectedEntities: z.number(),
  /** Entities inspected jointly: ≥ 2 departments entered a result for it in one visit. */
  jointEntities: z.number(),
  /** Visits (a target, or a joint visit) on which ≥ 2 departments entered a result. */
  jointVisits: z.number(),
  /** jointEntities / inspectedEntities. */
  jointShare: z.number(),
  /** The district's yearly targets (rules in the settings): joint share in percent, joint objects. */
  goals: z.object({ jointSharePercent: z.number(), jointObjects: z.number() }),
  /** 公示及时率 */
  timeliness: DashboardTimeliness,
  overdue: DashboardOverdue,
  /** the nearest publicity deadlines, most urgent first (at most 10) */
  deadlines: z.array(DashboardDeadline),
  byDepartment: z.array(
    z.object({
      departmentId: z.number(),
      departmentName: z.string(),
      tasks: z.number(),
      jointTasks: z.number(),
      targets: z.number(),
      jointTargets: z.number(),
      published: z.number(),
      inspectedEntities: z.number(),
      jointEntities: z.number(),
    }),
  ),
  byMonth: z.array(z.object({ month: z.string(), targets: z.number(), published: z.number() })),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const AuditEvent = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string().nullable(),
  departmentId: z.number().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditQuery = Page.extend({
  action: z.string().max(100).optional(),
  subjectType: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
});
export const AuditList = z.object({ items: z.array(AuditEvent), total: z.number() });
/** One problem of the chain: a code (AUDIT_EVENT_* / AUDIT_ANCHOR_*) and its text in both languages. */
export const AuditProblem = z.object({
  code: z.string(),
  seq: z.number(),
  /** The last event of a missing range, else null. */
  lastSeq: z.number().nullable(),
  zh: z.string(),
  en: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;
/** A published head of the chain, `SEQ:HASH` (seq from 1, 64 hex digits). */
export const AuditAnchorText = z
  .string()
  .max(100)
  .regex(/^[1-9][0-9]{0,14}:[0-9a-fA-F]{64}$/, 'SEQ:HASH');
export const AuditVerifyQuery = z.object({
  anchor: z.union([AuditAnchorText, z.array(AuditAnchorText).max(100)]).optional(),
});
export const AuditAnchorResult = z.object({
  seq: z.number(),
  hash: z.string(),
  source: z.enum(['given', 'checkpoint']),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string().nullable(),
  status: z.enum(['ok', 'truncated', 'missing', 'mismatch', 'unproven']),
});
export type AuditAnchorResult = z.infer<typeof AuditAnchorResult>;
export const AuditVerify = z.object({
  ok: z.boolean(),
  checked: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  /** Every problem (at most 1000 listed; problemCount counts them all). */
  problems: z.array(AuditProblem),
  problemCount: z.number(),
  anchors: z.array(AuditAnchorResult),
  checkpoints: z.object({ checked: z.number(), failed: z.array(AuditAnchorResult) }),
});
export type AuditVerify = z.infer<typeof AuditVerify>;
/** A checkpoint of the audit chain, published on the portal. */
export const AuditCheckpoint = z.object({
  seq: z.number(),
  hash: z.string(),
  createdAt: z.string(),
  reason: z.string(),
  reference: z.string().nullable(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;
export const AuditCheckpointList = z.object({ items: z.array(AuditCheckpoint), total: z.number() });
export type AuditCheckpointList = z.infer<typeof AuditCheckpointList>;
export * from './directories.ts';
export * from './imports.ts';
export * from './bounds.ts';
export * from './people.ts';
export * from './settings.ts';
export * from './admin.ts';
export * from './campaigns/results.ts';
export * from './campaigns/plans.ts';
export * from './campaigns/roster.ts';
export * from './campaigns/joint.ts';
export * from './campaigns/draw-ops.ts';
export * from './campaigns/calendar.ts';
export * from './campaigns/dashboard.ts';
export * from './campaigns/supervision.ts';
