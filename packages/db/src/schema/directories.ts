import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { departments } from './org.ts';

/**
 * 检查对象名录库. Identity: the USCC where present, else the registration number, else the row is
 * kept and flagged (code_status). Codes are not unique on purpose: duplicates are real data that
 * the 重错码 queue works through.
 */
export const entities = pgTable(
  'entities',
  {
    id: serial('id').primaryKey(),
    uscc: text('uscc'),
    regNo: text('reg_no'),
    /**
     * Kind of the registration number (core/registration.ts): 'reg15' (15 digits), 'reg13'
     * (13 digits), 'reg15_alnum' (15 characters with letters, e.g. co-operatives), 'text' (a text
     * number such as 企独陕总字第001234号). Null when there is none.
     */
    regNoKind: text('reg_no_kind'),
    /** The code text as it arrived, kept when it could not be trusted. */
    rawCode: text('raw_code'),
    /** 'valid' | 'check_failed' | 'pilot' | 'reg_no_only' | 'unrecoverable' | 'malformed' | 'missing' */
    codeStatus: text('code_status').notNull(),
    name: text('name').notNull(),
    /** Overlapping two-character pieces of the name, for 2-character Chinese search (GIN). */
    nameBigrams: text('name_bigrams')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    entityType: text('entity_type'),
    industryCode: text('industry_code'),
    industryName: text('industry_name'),
    regionCode: text('region_code'),
    street: text('street'),
    address: text('address'),
    legalRep: text('legal_rep'),
    registeredCapital: numeric('registered_capital'),
    establishedOn: date('established_on'),
    /** 存续 | 在营 | 吊销 | 注销 | 迁出 | 停业 … */
    status: text('status').notNull().default('存续'),
    phone: text('phone'),
    licences: text('licences')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    supervisingDeptIds: integer('supervising_dept_ids')
      .array()
      .notNull()
      .default(sql`'{}'::int[]`),
    /** Internal credit-risk class (A/B/C/D…). Never shown on a public page or endpoint. */
    riskClass: text('risk_class'),
    riskClassifiedAt: timestamp('risk_classified_at', { withTimezone: true }),
    importId: integer('import_id'),
    /** Set when the 重错码 queue merged this entity into another; its history stays attached here. */
    mergedIntoId: integer('merged_into_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('entities_uscc_idx').on(t.uscc),
    index('entities_reg_no_idx').on(t.regNo),
    index('entities_name_bigrams_idx').using('gin', t.nameBigrams),
    index('entities_status_idx').on(t.status),
    index('entities_street_idx').on(t.street),
    index('entities_risk_idx').on(t.riskClass),
  ],
);

/** Temporarily excluded entities (e.g. under a case investigation), with reason; audited. */
export const entityExclusions = pgTable('entity_exclusions', {
  id: serial('id').primaryKey(),
  entityId: integer('entity_id')
    .notNull()
    .references(() => entities.id),
  departmentId: integer('department_id').references(() => departments.id),
  reason: text('reason').notNull(),
  fromDate: date('from_date').notNull(),
  toDate: date('to_date'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 执法检查人员名录库. */
export const inspectors = pgTable(
  'inspectors',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    name: text('name').notNull(),
    certNo: text('cert_no'),
    certValidFrom: date('cert_valid_from'),
    certValidTo: date('cert_valid_to'),
    /** 专管类型 / 专业领域 */
    fields: text('fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    regionCode: text('region_code'),
    /** The 区域 text when it is not a GB/T 2260 code (e.g. 张家村街道). */
    regionName: text('region_name'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    importId: integer('import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspectors_dept_idx').on(t.departmentId)],
);

/** Status over time: 休假 (leave), 借调 (seconded), 停用 (disabled), with date ranges. */
export const inspectorStatusPeriods = pgTable('inspector_status_periods', {
  id: serial('id').primaryKey(),
  inspectorId: integer('inspector_id')
    .notNull()
    .references(() => inspectors.id),
  status: text('status').notNull(),
  fromDate: date('from_date').notNull(),
  toDate: date('to_date'),
  note: text('note'),
});

/** Recusal declarations (行政处罚法 art. 43). */
export const recusals = pgTable(
  'recusals',
  {
    id: serial('id').primaryKey(),
    inspectorId: integer('inspector_id')
      .notNull()
      .references(() => inspectors.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    relation: text('relation').notNull(),
    note: text('note'),
    declaredOn: date('declared_on').notNull(),
    /** 'declared' (by the inspector, awaiting his department admin) | 'confirmed' | 'rejected' */
    status: text('status').notNull().default('confirmed'),
    declaredBy: integer('declared_by'),
    confirmedBy: integer('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    importId: integer('import_id'),
  },
  (t) => [index('recusals_inspector_idx').on(t.inspectorId)],
);

/** 抽查事项清单, in editions: a change creates a new edition; history is never rewritten. */
export const itemEditions = pgTable('item_editions', {
  id: serial('id').primaryKey(),
  departmentId: integer('department_id').references(() => departments.id),
  name: text('name').notNull(),
  /** 'draft' | 'published' | 'superseded' */
  status: text('status').notNull().default('published'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  /** 'items' | 'joint' */
  listKind: text('list_kind').notNull().default('items'),
  /** The edition this one replaced (the old one is kept, status superseded). */
  previousId: integer('previous_id'),
  importId: integer('import_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    editionId: integer('edition_id')
      .notNull()
      .references(() => itemEditions.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    seq: integer('seq'),
    category: text('category').notNull(),
    name: text('name').notNull(),
    targetDesc: text('target_desc'),
    /** 重点检查事项 | 一般检查事项 */
    itemKind: text('item_kind'),
    methods: text('methods')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subjects: text('subjects')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    basis: text('basis')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The field of competence an inspector needs, where the item names one. */
    field: text('field'),
    /** Machine-readable scope: entity types, industries, tags, risk classes. */
    scope: jsonb('scope'),
  },
  (t) => [index('items_edition_idx').on(t.editionId), index('items_dept_idx').on(t.departmentId)],
);

/** The joint item list: items of several departments inspected in one visit. */
export const jointItems = pgTable('joint_items', {
  id: serial('id').primaryKey(),
  editionId: integer('edition_id')
    .notNull()
    .references(() => itemEditions.id),
  domain: text('domain').notNull(),
  name: text('name').notNull(),
  targetDesc: text('target_desc'),
  leadDepartmentId: integer('lead_department_id')
    .notNull()
    .references(() => departments.id),
  cooperatingDepartmentIds: integer('cooperating_department_ids')
    .array()
    .notNull()
    .default(sql`'{}'::int[]`),
  itemIds: integer('item_ids')
    .array()
    .notNull()
    .default(sql`'{}'::int[]`),
});

/** Each import (dry run, then commit) with its per-row report. */
export const imports = pgTable('imports', {
  id: serial('id').primaryKey(),
  /** 'entities' | 'inspectors' | 'items' | 'joint_items' */
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  /** 'dry_run' | 'committed' | 'discarded' */
  status: text('status').notNull(),
  mapping: jsonb('mapping'),
  counts: jsonb('counts').notNull(),
  report: jsonb('report').notNull(),
  /** 'all' (every row) | 'problems' (warned, rejected and merged rows only: a big file) | 'problems_truncated' */
  reportScope: text('report_scope').notNull().default('all'),
  sheet: text('sheet'),
  departmentId: integer('department_id'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  committedAt: timestamp('committed_at', { withTimezone: true }),
});

/** 重错码 work queue. */
export const codeIssues = pgTable(
  'code_issues',
  {
    id: serial('id').primaryKey(),
    /** 'duplicate_code' | 'multiple_codes' | 'check_failed' | 'unrecoverable' | 'malformed' */
    kind: text('kind').notNull(),
    code: text('code'),
    entityIds: integer('entity_ids').array().notNull(),
    /** Identifies the same finding across detections (kind + code + entity ids), so it is not queued twice. */
    fingerprint: text('fingerprint'),
    detail: jsonb('detail'),
    /** 'open' | 'corrected' | 'merged' | 'pilot' | 'dismissed' */
    status: text('status').notNull().default('open'),
    note: text('note'),
    resolvedBy: integer('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('code_issues_fingerprint_idx').on(t.fingerprint),
    index('code_issues_status_idx').on(t.status),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The uploaded file of a dry run, kept until it is committed (the commit re-reads it). */
export const importFiles = pgTable('import_files', {
  importId: integer('import_id')
    .primaryKey()
    .references(() => imports.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
});

/**
 * Every code change of an entity (重错码 correction, merge): the entity keeps its id, so its
 * inspections and records stay attached; the old code is kept here.
 */
export const entityCodeHistory = pgTable(
  'entity_code_history',
  {
    id: serial('id').primaryKey(),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    /** 'correct' | 'merge' | 'pilot' | 'import' */
    action: text('action').notNull(),
    oldUscc: text('old_uscc'),
    oldRegNo: text('old_reg_no'),
    oldRawCode: text('old_raw_code'),
    oldCodeStatus: text('old_code_status'),
    newUscc: text('new_uscc'),
    newRegNo: text('new_reg_no'),
    newCodeStatus: text('new_code_status'),
    /** merge: the entity this one was merged into */
    mergedIntoId: integer('merged_into_id'),
    issueId: integer('issue_id'),
    note: text('note'),
    changedBy: integer('changed_by'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('entity_code_history_entity_idx').on(t.entityId)],
);
