/**
 * Shapes of the directory endpoints added with issue 4: imports of all four kinds, the 重错码
 * queue, entity detail with its history, inspectors with status periods and recusals, item
 * editions and the public item list.
 */
import { z } from 'zod';
import { DateText, Id, IdText, Page } from './bounds.ts';
import { CertStatus, RecusalRow } from './people.ts';
import { ImportDetailMapping } from './imports.ts';
import { EntityScopeView } from './campaigns/roster.ts';

const boolQuery = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

// ---- imports ---------------------------------------------------------------------------------
export const ImportQuery = z.object({
  kind: z.enum(['entities', 'inspectors', 'items', 'joint_items']).default('entities'),
  /** the sheet to read when a workbook has several (name or 0-based index) */
  sheet: z.string().max(100).optional(),
  /** items / joint items: the new edition's name (default `<year>版`) */
  edition: z.string().max(100).optional(),
  /** the department the rows belong to when the file does not say (joint admin) */
  departmentId: IdText.optional(),
  /** a column mapping override as JSON text: {"field": column index | null} (imports.ts ColumnMappingOverride) */
  mapping: z.string().max(4000).optional(),
});
export const ImportRowReportFull = z.object({
  rowNumber: z.number(),
  verdict: z.enum(['accepted', 'warning', 'rejected', 'merged']),
  reasons: z.array(
    z.object({
      code: z.string(),
      severity: z.string().optional(),
      field: z.string().optional(),
      header: z.string().optional(),
      value: z.string().optional(),
      message: z.string(),
    }),
  ),
  key: z.string().nullable(),
  name: z.string().nullable(),
  mergedInto: z.number().optional(),
});
/** Counts of an import's rows; accepted + warned + rejected (+ merged) = rows. */
export const ImportCounts = z.object({
  rows: z.number(),
  accepted: z.number(),
  warned: z.number(),
  rejected: z.number(),
  merged: z.number().optional(),
  created: z.number().optional(),
  updated: z.number().optional(),
});
export const ImportCountsFull = ImportCounts.extend({
  blank: z.number().optional(),
  unchanged: z.number().optional(),
  editions: z.number().optional(),
});
/** ImportSummary / ImportDetail (index.ts) with the fields added by issue 4. */
export const ImportSummaryFull = z.object({
  id: z.number(),
  kind: z.string(),
  fileName: z.string(),
  status: z.string(),
  counts: ImportCountsFull,
  reportScope: z.string().optional(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
});
export const ImportDetailFull = ImportSummaryFull.extend({
  fileSha256: z.string().optional(),
  sheet: z.string().nullable().optional(),
  mapping: z.record(z.string(), z.unknown()).nullable(),
  /** 'all' | 'problems' | 'problems_truncated' (big files keep only their problem rows) */
  reportScope: z.string().optional(),
  reportNote: z.string().nullable().optional(),
  ...ImportDetailMapping,
  rows: z.array(ImportRowReportFull),
});
export type ImportDetailFull = z.infer<typeof ImportDetailFull>;
export const ImportListQuery = z.object({
  kind: z.enum(['entities', 'inspectors', 'items', 'joint_items']).optional(),
});

// ---- 重错码 queue ------------------------------------------------------------------------------
export const CODE_ISSUE_KIND_VALUES = [
  'duplicate_code',
  'multiple_codes',
  'check_failed',
  'unrecoverable',
  'malformed',
] as const;
export const CODE_ISSUE_STATUS_VALUES = ['open', 'corrected', 'merged', 'pilot', 'dismissed'] as const;
export const CodeIssueFilter = z.object({
  status: z.enum(CODE_ISSUE_STATUS_VALUES).optional(),
  kind: z.enum(CODE_ISSUE_KIND_VALUES).optional(),
  code: z.string().max(18).optional(),
  entityId: IdText.optional(),
});
export const CodeIssueQuery = Page.extend(CodeIssueFilter.shape);
export const CodeIssueEntity = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  regNo: z.string().nullable(),
  rawCode: z.string().nullable(),
  codeStatus: z.string(),
  address: z.string().nullable(),
  status: z.string(),
  mergedIntoId: z.number().nullable(),
});
export const CodeIssue = z.object({
  id: z.number(),
  kind: z.string(),
  kindZh: z.string(),
  code: z.string().nullable(),
  status: z.string(),
  note: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  entityIds: z.array(z.number()),
  entities: z.array(CodeIssueEntity),
  resolvedBy: z.number().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CodeIssue = z.infer<typeof CodeIssue>;
export const CodeIssueList = z.object({
  items: z.array(CodeIssue),
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  /** whether the requesting user may resolve issues (joint office, lead bureau: access.ts mayWriteMasterData) */
  mayWrite: z.boolean(),
});
const Note = z.string().trim().min(2).max(1000);
export const CorrectCodeBody = z.object({
  entityId: Id.optional(),
  code: z.string().trim().min(15).max(40),
  note: Note,
});
export const MergeBody = z.object({
  keepId: Id,
  mergeIds: z.array(Id).min(1).max(1000).optional(),
  note: Note,
});
export const NoteBody = z.object({ note: Note });
export const DetectResult = z.object({ added: z.number() });

// ---- entities ----------------------------------------------------------------------------------
export const EntitySearchQuery = Page.extend({
  q: z.string().max(100).optional(),
  street: z.string().max(50).optional(),
  status: z.string().max(20).optional(),
  entityType: z.string().max(50).optional(),
  industry: z.string().max(50).optional(),
  departmentId: IdText.optional(),
  codeStatus: z.string().max(20).optional(),
  riskClass: z.string().max(5).optional(),
  includeMerged: boolQuery.optional(),
});
export const EntitySearchRow = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  regNo: z.string().nullable(),
  codeStatus: z.string(),
  entityType: z.string().nullable(),
  industryCode: z.string().nullable(),
  industryName: z.string().nullable(),
  street: z.string().nullable(),
  address: z.string().nullable(),
  status: z.string(),
  /** Staff with directory.riskClass only; never on a public endpoint. */
  riskClass: z.string().nullable().optional(),
});
export const EntitySearchList = z.object({
  items: z.array(EntitySearchRow),
  /**
   * The exact number of matching entities — always without a name/code query and in a directory
   * of up to 100,000 entities; with a query over a larger one whose matches a page sample puts
   * beyond `exactCountCap`, that estimate (`totalIsEstimate`, shown as "约 N").
   */
  total: z.number(),
  totalIsEstimate: z.boolean(),
  /** beyond this many (estimated) matches a large directory's total is the estimate */
  exactCountCap: z.number(),
});
export const CodeHistoryRow = z.object({
  id: z.number(),
  entityId: z.number(),
  action: z.string(),
  oldUscc: z.string().nullable(),
  oldRegNo: z.string().nullable(),
  oldRawCode: z.string().nullable(),
  oldCodeStatus: z.string().nullable(),
  newUscc: z.string().nullable(),
  newRegNo: z.string().nullable(),
  newCodeStatus: z.string().nullable(),
  mergedIntoId: z.number().nullable(),
  issueId: z.number().nullable(),
  note: z.string().nullable(),
  changedBy: z.number().nullable(),
  changedAt: z.string(),
});
export const EntityInspection = z.object({
  targetId: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  year: z.number(),
  departmentId: z.number(),
  jointDepartmentIds: z.array(z.number()),
  isJoint: z.boolean(),
  drawId: z.number(),
  drawStatus: z.string(),
  key: z.string(),
  results: z.array(
    z.object({
      id: z.number(),
      targetId: z.number(),
      departmentId: z.number(),
      codes: z.array(z.string()),
      followUps: z.array(z.string()),
      inspectedOn: z.string(),
      status: z.string(),
      publishedAt: z.string().nullable(),
    }),
  ),
});
export const EntityDetail = z.object({
  id: z.number(),
  name: z.string(),
  uscc: z.string().nullable(),
  regNo: z.string().nullable(),
  rawCode: z.string().nullable(),
  codeStatus: z.string(),
  entityType: z.string().nullable(),
  industryCode: z.string().nullable(),
  industryName: z.string().nullable(),
  regionCode: z.string().nullable(),
  street: z.string().nullable(),
  address: z.string().nullable(),
  legalRep: z.string().nullable(),
  registeredCapital: z.string().nullable(),
  establishedOn: z.string().nullable(),
  status: z.string(),
  phone: z.string().nullable(),
  licences: z.array(z.string()),
  tags: z.array(z.string()),
  supervisingDeptIds: z.array(z.number()),
  importId: z.number().nullable(),
  mergedIntoId: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  riskClass: z.string().nullable().optional(),
  riskClassifiedAt: z.string().nullable().optional(),
  inspections: z.array(EntityInspection),
  codeHistory: z.array(CodeHistoryRow),
});
export type EntityDetail = z.infer<typeof EntityDetail>;

// ---- inspectors ------------------------------------------------------------------------------
export const InspectorQuery = z.object({
  departmentId: IdText.optional(),
  q: z.string().max(50).optional(),
  field: z.string().max(50).optional(),
  status: z.string().max(10).optional(),
  on: DateText.optional(),
});
export const InspectorRow = z.object({
  id: z.number(),
  departmentId: z.number(),
  name: z.string(),
  certNo: z.string().nullable(),
  certValidFrom: z.string().nullable(),
  certValidTo: z.string().nullable(),
  fields: z.array(z.string()),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  /** 在岗 | 休假 | 借调 | 停用 | 证件过期 on the day asked (default today) */
  status: z.string(),
  certValid: z.boolean(),
  /** the certificate on that day: valid, expiring within 30 days, expired, none (no end date) */
  certStatus: CertStatus,
  /** days until the certificate's last valid day (negative: expired); null without an end date */
  certDaysLeft: z.number().nullable(),
});
export const InspectorDetail = InspectorRow.omit({ certValid: true }).extend({
  createdAt: z.string(),
  importId: z.number().nullable(),
  statusPeriods: z.array(
    z.object({
      id: z.number(),
      status: z.string(),
      fromDate: z.string(),
      toDate: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  /** every recusal of the inspector, whatever its status (only confirmed ones bind the matching) */
  recusals: z.array(RecusalRow),
});

// ---- departments -----------------------------------------------------------------------------
export const DepartmentRow = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  level: z.string(),
  isLead: z.boolean(),
  parentId: z.number().nullable(),
  regionCode: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  /** a deactivated department stays resolvable for history; pickers hide it */
  active: z.boolean(),
});

// ---- items -----------------------------------------------------------------------------------
export const ItemEditionRow = z.object({
  id: z.number(),
  departmentId: z.number().nullable(),
  name: z.string(),
  status: z.string(),
  listKind: z.string(),
  previousId: z.number().nullable(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const ItemRow = z.object({
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
  /** 检查对象范围 (internal, staff only): null = not set, {} = all market entities (campaigns/roster.ts) */
  scope: EntityScopeView.nullable().optional(),
});
export const JointItemRow = z.object({
  id: z.number(),
  editionId: z.number(),
  domain: z.string(),
  name: z.string(),
  targetDesc: z.string().nullable(),
  leadDepartmentId: z.number(),
  cooperatingDepartmentIds: z.array(z.number()),
  itemIds: z.array(z.number()),
});
export const ItemCatalogue = z.object({
  editions: z.array(ItemEditionRow),
  items: z.array(ItemRow),
  jointItems: z.array(JointItemRow),
});
export const ItemEditionDetail = z.object({
  edition: ItemEditionRow,
  items: z.array(ItemRow),
  jointItems: z.array(JointItemRow),
  supersededBy: z.object({ id: z.number(), name: z.string() }).nullable(),
});
/** The public portal's list: published editions, no internal fields. */
export const PublicItemList = z.object({
  editions: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      departmentId: z.number().nullable(),
      departmentName: z.string().nullable(),
      publishedAt: z.string().nullable(),
    }),
  ),
  items: z.array(ItemRow.omit({ field: true, scope: true }).extend({ departmentName: z.string() })),
  jointItems: z.array(
    z.object({
      id: z.number(),
      editionId: z.number(),
      domain: z.string(),
      name: z.string(),
      targetDesc: z.string().nullable(),
      leadDepartmentName: z.string(),
      cooperatingDepartmentNames: z.array(z.string()),
    }),
  ),
});
