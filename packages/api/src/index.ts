/**
 * The REST API's request and response shapes, shared by the server (validation, OpenAPI) and
 * the web client (types). One zod schema per shape; `z.infer` gives the TypeScript type.
 */
import { z } from 'zod';
import { ImportCounts } from './directories.ts';
import { FOLLOW_UPS, RESULT_CODES } from '@choucha/core/result-codes';

export const ROLE_VALUES = ['joint_admin', 'dept_admin', 'inspector', 'leader'] as const;
export const Role = z.enum(ROLE_VALUES);
export type Role = z.infer<typeof Role>;

export const ErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const IdParam = z.object({ id: z.coerce.number().int().positive() });

export const Page = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

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
  departmentId: z.number().int().positive().nullable(),
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
  classes: z.record(z.string(), z.number().gt(0).lte(1)).optional(),
  min: z.number().int().min(0).optional(),
  max: z.number().int().positive().optional(),
});
export type Sampling = z.infer<typeof Sampling>;

export const CreateTaskBody = z.object({
  name: z.string().min(1).max(200),
  departmentId: z.number().int().positive().optional(),
  itemIds: z.array(z.number().int().positive()).min(1),
  jointDepartmentIds: z.array(z.number().int().positive()).default([]),
  windowStart: z.iso.date(),
  windowEnd: z.iso.date(),
  scope: z
    .object({
      streets: z.array(z.string()).optional(),
      entityTypes: z.array(z.string()).optional(),
      industryPrefixes: z.array(z.string()).optional(),
      tags: z.array(z.string()).optional(),
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
  team: z.array(TeamMember),
  results: z.array(ResultView),
});
export type TargetView = z.infer<typeof TargetView>;
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
  targets: z.array(TargetView),
});
export type DrawView = z.infer<typeof DrawView>;
export const TaskDetail = TaskRow.extend({
  items: z.array(Item),
  sampling: Sampling,
  scope: z.unknown().nullable(),
  draws: z.array(DrawView),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

export const CommitDrawBody = z.object({
  /** What public randomness will fix the seed: dice rolled in public, and/or a future drand round. */
  seedSource: z
    .object({
      dice: z.boolean().default(true),
      drand: z.object({ chainHash: z.string(), round: z.number().int().positive() }).optional(),
    })
    .default({ dice: true }),
  redrawReason: z.string().min(5).max(1000).optional(),
});
export const RevealDrawBody = z.object({
  dice: z.string().max(200).optional(),
  beacon: z.object({ round: z.number().int(), randomness: z.string(), signature: z.string() }).optional(),
});

export { RESULT_CODES, FOLLOW_UPS } from '@choucha/core/result-codes';
export const EnterResultBody = z.object({
  codes: z.array(z.enum(RESULT_CODES)).min(1),
  followUps: z.array(z.enum(FOLLOW_UPS)).default([]),
  note: z.string().max(2000).optional(),
  inspectedOn: z.iso.date(),
});
export type EnterResultBody = z.infer<typeof EnterResultBody>;
export const ReviewBody = z.object({ note: z.string().max(1000).optional() });

export const ReviewRow = z.object({
  resultId: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  departmentName: z.string(),
  entityName: z.string(),
  key: z.string(),
  codes: z.array(z.string()),
  followUps: z.array(z.string()),
  inspectedOn: z.string(),
  enteredAt: z.string(),
  status: z.string(),
});
export type ReviewRow = z.infer<typeof ReviewRow>;

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
  targets: z.array(
    z.object({ entityName: z.string(), key: z.string(), stratum: z.string(), ticket: z.string() }),
  ),
});
export type PublicDraw = z.infer<typeof PublicDraw>;
export const PublicDrawRow = PublicDraw.omit({ targets: true, commitment: true });
export const PublicDrawList = z.object({ items: z.array(PublicDrawRow) });

// ---- dashboard, audit ------------------------------------------------------------------------
export const Dashboard = z.object({
  year: z.number(),
  tasks: z.number(),
  jointTasks: z.number(),
  targets: z.number(),
  jointTargets: z.number(),
  published: z.number(),
  pendingReview: z.number(),
  problemsFound: z.number(),
  jointShare: z.number(),
  byDepartment: z.array(
    z.object({
      departmentId: z.number(),
      departmentName: z.string(),
      tasks: z.number(),
      jointTasks: z.number(),
      targets: z.number(),
      jointTargets: z.number(),
      published: z.number(),
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
export const AuditVerify = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBad: z.object({ seq: z.number(), problem: z.string() }).nullable(),
});
export * from './directories.ts';
