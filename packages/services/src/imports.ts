/**
 * Import of the four directories/lists (entities, inspectors, items, joint items) on
 * @choucha/importer: a dry run first (per-row verdicts with reasons, stored with the uploaded
 * bytes), then a commit that re-reads the file and writes everything in ONE transaction with one
 * audit event. Re-importing the same file updates rather than duplicates.
 *
 * Entities stream: rows are validated one by one and COPYed into a staging table in chunks, then
 * merged with INSERT … SELECT / UPDATE … FROM — a million rows fit in well under 1 GiB.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { AppError, bigrams } from '@choucha/core';
import {
  copyRows,
  departments,
  importFiles,
  imports,
  inspectorStatusPeriods,
  inspectors,
  itemEditions,
  items,
  jointItems,
  type CopyValue,
  type Tx,
} from '@choucha/db';
import {
  importError,
  isBlankRow,
  readTable,
  RowProcessor,
  tableTextError,
  SPECS,
  verdictOf,
  writeReportXlsx,
  type ColumnMapping,
  type EntityRecord,
  type ImportCounts,
  type ImportReport,
  type InspectorRecord,
  type ItemRecord,
  type JointItemRecord,
  type MappingOverride,
  type RowReason as ImporterReason,
  type RowReport as ImporterRowReport,
} from '@choucha/importer';
import {
  assertMayReadDepartmentRecord,
  assertMayWriteDepartment,
  assertMayWriteMasterData,
  authorize,
  departmentRecordCondition,
  mayWriteDepartment,
  mayWriteMasterData,
} from './access.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';
import { detectCodeIssuesIn } from './code-issues.ts';

export type ImportKindName = 'entities' | 'inspectors' | 'items' | 'joint_items';
export const IMPORT_KINDS: readonly ImportKindName[] = ['entities', 'inspectors', 'items', 'joint_items'];

/** Reports of every row are kept up to this many data rows; beyond it only the problem rows. */
export const REPORT_ALL_ROWS = 10_000;
/** At most this many problem rows are stored for a huge file (the counts stay exact). */
export const REPORT_MAX_PROBLEM_ROWS = 20_000;

export interface StoredReason {
  code: string;
  severity: 'error' | 'warning' | 'info';
  field?: string;
  header?: string;
  value?: string;
  /** Chinese, specific to the row */
  message: string;
}

/** One row of the stored report (jsonb). */
export interface StoredRow {
  rowNumber: number;
  verdict: 'accepted' | 'warned' | 'rejected' | 'merged';
  reasons: StoredReason[];
  key: string | null;
  name: string | null;
  mergedInto?: number;
  /** the few key fields the xlsx report shows */
  record?: Record<string, unknown>;
}

/** The API's row shape (verdict 'warning' for the importer's 'warned', kept for the web UI). */
export interface RowReport {
  rowNumber: number;
  verdict: 'accepted' | 'warning' | 'rejected' | 'merged';
  reasons: {
    code: string;
    severity: string;
    field?: string;
    header?: string;
    value?: string;
    message: string;
  }[];
  key: string | null;
  name: string | null;
  mergedInto?: number;
}

export interface StoredCounts extends ImportCounts {
  created?: number;
  updated?: number;
  unchanged?: number;
  editions?: number;
}

export interface ImportRequest {
  kind: ImportKindName;
  fileName: string;
  /** The file's bytes (uploads), or … */
  data?: Buffer | undefined;
  /** … a path to stream from (CLI, benchmarks: a CSV is never read whole). */
  path?: string | undefined;
  sheet?: string | number | undefined;
  mapping?: MappingOverride | undefined;
  /** The department the rows belong to when the file does not say (default: the actor's). */
  departmentId?: number | undefined;
  /** items / joint items: the new edition's name (default `<year>版`). */
  editionName?: string | undefined;
  onProgress?: ((rowsDone: number, total: number | null) => void) | undefined;
}

interface FileMeta {
  fileType: string;
  encoding: string | null;
  sheets: readonly string[];
  sheet: string | null;
  notices: readonly string[];
  headerRowNumbers: readonly number[];
  headers: readonly string[];
  mapping: ColumnMapping;
}

interface Processed<R> {
  meta: FileMeta;
  counts: ImportCounts;
  rows: StoredRow[];
  scope: 'all' | 'problems' | 'problems_truncated';
  /** accepted and warned records, in row order (not kept for entities: they stream to the sink) */
  records: { rowNumber: number; record: R; ref: Record<string, number | number[] | null> }[];
}

type Resolver<R> = (
  record: R,
  reasons: ImporterReason[],
  meta: FileMeta,
) => Record<string, number | number[] | null>;

// ---------------------------------------------------------------------------------------------
// departments: matched by name, short name or code

function normDept(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();
}

export async function departmentMatcher(tx: Tx | Services['database']['db']) {
  const rows = await tx
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.name,
      short: departments.shortName,
    })
    .from(departments);
  const byText = new Map<string, number>();
  for (const d of rows) for (const t of [d.code, d.name, d.short]) if (t) byText.set(normDept(t), d.id);
  return (text: string | null): number | undefined => {
    if (!text) return undefined;
    const direct = byText.get(normDept(text));
    if (direct !== undefined) return direct;
    // "碑林区市场监管局" is how a district's own files name "区市场监管局" (its short name).
    const local = /^[\u4e00-\u9fa5]{1,6}?([区县])(.+)$/.exec(normDept(text));
    return local ? byText.get(`${local[1]}${local[2]}`) : undefined;
  };
}

function unknownDept(field: string, header: string, value: string): ImporterReason {
  return {
    code: 'DEPARTMENT_UNKNOWN' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    value,
    zh: `【${header}】部门“${value}”不在部门名录中（按全称、简称或代码匹配）`,
  };
}

function noDept(field: string, header: string): ImporterReason {
  return {
    code: 'DEPARTMENT_MISSING' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    zh: `【${header}】缺少部门，且导入人没有所属部门`,
  };
}

/** A row naming a department the uploader may not write (access.ts: mayWriteDepartment). */
function forbiddenDept(field: string, header: string, value: string, what: string): ImporterReason {
  return {
    code: 'DEPARTMENT_FORBIDDEN' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    value,
    zh: `【${header}】“${value}”不是导入人所在的部门：只能导入本部门的${what}（其他部门的数据由该部门或联合办公室导入）`,
  };
}

/** An inspector file row whose certificate number is another department's inspector. */
function otherDeptInspector(header: string, certNo: string, deptName: string): ImporterReason {
  return {
    code: 'INSPECTOR_OTHER_DEPARTMENT' as ImporterReason['code'],
    severity: 'error',
    field: 'certNo',
    header,
    value: certNo,
    zh: `【${header}】执法证号 ${certNo} 属于${deptName}的执法人员：不能由本部门导入修改或调入本部门`,
  };
}

/** An entity row naming an entity already in the directory, imported by a department (not the lead bureau). */
const FACTS_READ_ONLY: StoredReason = {
  code: 'ENTITY_FACTS_READ_ONLY',
  severity: 'warning',
  message:
    '该主体已在名录中：登记信息（名称、代码、登记状态、住所等）由联合办公室或牵头部门维护，本行未更新登记信息，只将其标记为本部门监管',
};

function header(meta: { mapping: ColumnMapping }, field: string, fallback: string): string {
  return meta.mapping.fields[field]?.header ?? fallback;
}

// ---------------------------------------------------------------------------------------------
// reading a file into verdicts

function keyRecord(
  kind: ImportKindName,
  r: Record<string, unknown> | null,
): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const pick = (...ks: string[]) => Object.fromEntries(ks.map((k) => [k, r[k] ?? null]));
  switch (kind) {
    case 'entities':
      return pick('name', 'uscc', 'regNo', 'rawCode', 'codeStatus');
    case 'inspectors':
      return pick('name', 'certNo', 'departmentName');
    case 'items':
      return pick('departmentName', 'category', 'name');
    case 'joint_items':
      return pick('domain', 'name', 'leadDepartmentName');
  }
}

function nameOf(kind: ImportKindName, r: Record<string, unknown> | null): string | null {
  if (!r) return null;
  const v = r['name'];
  return typeof v === 'string' ? v : null;
}

function storedReason(r: ImporterReason): StoredReason {
  return {
    code: r.code,
    severity: r.severity,
    ...(r.field !== undefined ? { field: r.field } : {}),
    ...(r.header !== undefined ? { header: r.header } : {}),
    ...(r.value !== undefined ? { value: r.value } : {}),
    message: r.zh,
  };
}

async function processFile<R>(
  svc: Services,
  req: ImportRequest,
  opts: {
    resolve?: Resolver<R>;
    /** receives accepted/warned records as they come (entities); otherwise they are collected */
    sink?: (rowNumber: number, record: R, reasons: readonly ImporterReason[]) => Promise<void> | void;
  },
): Promise<Processed<R>> {
  const input = req.data ?? req.path;
  if (input === undefined) throw new AppError('IMPORT_FILE_EMPTY', 'No file was given');
  const t = await readTable(input, {
    kind: req.kind,
    fileName: req.fileName,
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.mapping !== undefined ? { mapping: req.mapping } : {}),
  });
  if (!t.ok) throw t.error;
  const table = t.value;
  const textError = tableTextError(table);
  if (textError) throw textError;
  if (table.missingRequired.length) {
    throw importError('IMPORT_MAPPING_INVALID', `缺少必需列：${table.missingRequired.join('、')}`, {
      missing: table.missingRequired,
      headers: table.headers,
      mapping: table.mapping,
    });
  }
  const meta: FileMeta = {
    fileType: table.fileType,
    encoding: table.encoding,
    sheets: table.sheets,
    sheet: table.sheet,
    notices: table.notices,
    headerRowNumbers: table.headerRowNumbers,
    headers: table.headers,
    mapping: table.mapping,
  };
  const spec = SPECS[req.kind] as unknown as ConstructorParameters<typeof RowProcessor<R>>[0];
  const processor = new RowProcessor<R>(spec, table.mapping, {
    today: svc.clock().toISOString().slice(0, 10),
  });
  const counts: ImportCounts = { rows: 0, accepted: 0, warned: 0, rejected: 0, merged: 0, blank: 0 };
  const out: Processed<R> = { meta, counts, rows: [], scope: 'all', records: [] };
  let problems = 0;
  const handle = async (reports: ImporterRowReport<R>[]) => {
    for (const r of reports) {
      let verdict = r.verdict;
      let record = r.record;
      let ref: Record<string, number | number[] | null> = {};
      if (record !== null && verdict !== 'rejected' && verdict !== 'merged' && opts.resolve) {
        ref = opts.resolve(record, r.reasons, meta);
        verdict = verdictOf(r.reasons);
        if (verdict === 'rejected') record = null;
      }
      counts[verdict]++;
      // the stored report: every row of a small file, the problem rows of a big one
      if (out.scope === 'all' && counts.rows > REPORT_ALL_ROWS) {
        out.rows = out.rows.filter((x) => x.verdict !== 'accepted');
        problems = out.rows.length;
        out.scope = 'problems';
      }
      const keep = out.scope === 'all' || (verdict !== 'accepted' && problems < REPORT_MAX_PROBLEM_ROWS);
      if (out.scope !== 'all' && verdict !== 'accepted' && problems >= REPORT_MAX_PROBLEM_ROWS)
        out.scope = 'problems_truncated';
      if (keep) {
        if (verdict !== 'accepted') problems++;
        const rec = (record ?? r.record) as Record<string, unknown> | null;
        const row: StoredRow = {
          rowNumber: r.rowNumber,
          verdict,
          reasons: r.reasons.map(storedReason),
          key: r.key,
          name: nameOf(req.kind, rec),
        };
        if (r.mergedInto !== undefined) row.mergedInto = r.mergedInto;
        const kr = keyRecord(req.kind, rec);
        if (kr) row.record = kr;
        out.rows.push(row);
      }
      if (record !== null && (verdict === 'accepted' || verdict === 'warned')) {
        if (opts.sink) await opts.sink(r.rowNumber, record, r.reasons);
        else out.records.push({ rowNumber: r.rowNumber, record, ref });
      }
    }
  };
  for await (const row of table.rows) {
    if (isBlankRow(row)) {
      counts.blank++;
      continue;
    }
    counts.rows++;
    await handle(processor.push(row));
    if (req.onProgress && counts.rows % 10_000 === 0) req.onProgress(counts.rows, table.totalRows);
  }
  await handle(processor.finish());
  req.onProgress?.(counts.rows, table.totalRows);
  return out;
}

// ---------------------------------------------------------------------------------------------
// per-kind resolution (departments) and writing

/**
 * Inspectors (所属部门) and items (编制单位) name their department the same way. A row naming a
 * department the uploader may not write is rejected with DEPARTMENT_FORBIDDEN (access.ts decides).
 */
function departmentResolver<R extends { departmentName: string | null }>(
  label: string,
  what: string,
  actor: Actor,
  match: (t: string | null) => number | undefined,
  fallbackDept: number | undefined,
  extra?: (r: R, departmentId: number, reasons: ImporterReason[], meta: FileMeta) => void,
): Resolver<R> {
  return (r, reasons, meta) => {
    const h = header(meta, 'departmentName', label);
    let id: number | undefined;
    if (r.departmentName) {
      id = match(r.departmentName);
      if (id === undefined) reasons.push(unknownDept('departmentName', h, r.departmentName));
      else if (!mayWriteDepartment(actor, id))
        reasons.push(forbiddenDept('departmentName', h, r.departmentName, what));
    } else {
      id = fallbackDept;
      if (id === undefined) reasons.push(noDept('departmentName', h));
    }
    if (id !== undefined && extra && mayWriteDepartment(actor, id)) extra(r, id, reasons, meta);
    return { departmentId: id ?? null };
  };
}

/**
 * The inspectors a row would update (writeInspectors: same certificate number and name) must be
 * the uploader's to write: another department's inspector is neither changed nor moved.
 */
async function inspectorGuard(db: Tx | Services['database']['db'], actor: Actor) {
  if (mayWriteDepartment(actor, null)) return undefined; // the joint office and the system write any
  const rows = await db
    .select({
      certNo: inspectors.certNo,
      name: inspectors.name,
      departmentId: inspectors.departmentId,
      departmentName: departments.name,
    })
    .from(inspectors)
    .innerJoin(departments, eq(departments.id, inspectors.departmentId))
    .where(sql`${inspectors.certNo} is not null`);
  const byCert = new Map(rows.map((r) => [r.certNo!, r]));
  return (r: InspectorRecord, _departmentId: number, reasons: ImporterReason[], meta: FileMeta) => {
    const found = r.certNo ? byCert.get(r.certNo) : undefined;
    if (found && found.name === r.name && !mayWriteDepartment(actor, found.departmentId))
      reasons.push(otherDeptInspector(header(meta, 'certNo', '执法证号'), r.certNo!, found.departmentName));
  };
}

function jointResolver(match: (t: string | null) => number | undefined): Resolver<JointItemRecord> {
  return (r, reasons, meta) => {
    const lead = match(r.leadDepartmentName);
    if (lead === undefined)
      reasons.push(
        unknownDept(
          'leadDepartmentName',
          header(meta, 'leadDepartmentName', '发起部门'),
          r.leadDepartmentName,
        ),
      );
    const coop: number[] = [];
    for (const n of r.cooperatingDepartmentNames) {
      const id = match(n);
      if (id === undefined)
        reasons.push(
          unknownDept(
            'cooperatingDepartmentNames',
            header(meta, 'cooperatingDepartmentNames', '配合部门'),
            n,
          ),
        );
      else if (id !== lead && !coop.includes(id)) coop.push(id);
    }
    return { leadDepartmentId: lead ?? null, cooperatingDepartmentIds: coop };
  };
}

function actorDept(actor: Actor, req: { departmentId?: number | undefined }): number | undefined {
  if (req.departmentId !== undefined) return req.departmentId;
  return actor.kind === 'user' && actor.departmentId !== null ? actor.departmentId : undefined;
}

/** Reads the file (inside `tx` when committing) and, with `write`, writes it. */
async function runKind(
  svc: Services,
  actor: Actor,
  tx: Tx | undefined,
  req: ImportRequest,
  importId: number | undefined,
): Promise<{ processed: Processed<unknown>; written: Partial<StoredCounts> }> {
  const db = tx ?? svc.database.db;
  const match = await departmentMatcher(db);
  const dept = actorDept(actor, req);
  switch (req.kind) {
    case 'entities': {
      // registration facts are master data: a department's rows add entities and its supervision only
      const facts = await mayWriteMasterData(db, actor);
      if (!tx || importId === undefined) {
        if (facts) {
          const processed = await processFile<EntityRecord>(svc, req, { sink: () => undefined });
          return { processed: processed as Processed<unknown>, written: {} };
        }
        // a department's dry run: which rows name an entity already in the directory? (matched
        // in a transaction of its own; its temporary tables go with it)
        return inTransaction(svc, actor, async (dtx) => {
          const loader = new EntityLoader(svc, dtx, 0, dept, false, true);
          await loader.begin();
          const processed = await processFile<EntityRecord>(svc, req, {
            sink: (rowNumber, record, reasons) => loader.push(rowNumber, record, reasons),
          });
          await loader.finish(processed.meta.mapping);
          await loader.markReadOnlyRows(processed);
          return { processed: processed as Processed<unknown>, written: {} };
        });
      }
      timingStart.t = Date.now();
      const loader = new EntityLoader(svc, tx, importId, dept, facts, false);
      await loader.begin();
      const processed = await processFile<EntityRecord>(svc, req, {
        sink: (rowNumber, record, reasons) => loader.push(rowNumber, record, reasons),
      });
      const written = await loader.finish(processed.meta.mapping);
      if (!facts) await loader.markReadOnlyRows(processed);
      timing('written');
      await detectCodeIssuesIn(tx, {
        importId,
        ...(loader.candidates ? { candidates: loader.candidates } : {}),
      });
      timing('code issues detected');
      return { processed: processed as Processed<unknown>, written };
    }
    case 'inspectors': {
      // resolve departments while reading: the resolver needs the header texts, known after readTable
      const guard = await inspectorGuard(db, actor);
      const processed = await processFile<InspectorRecord>(svc, req, {
        resolve: departmentResolver<InspectorRecord>('所属部门', '执法人员', actor, match, dept, guard),
      });
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeInspectors(svc, actor, tx, processed, importId),
      };
    }
    case 'items': {
      const processed = await processFile<ItemRecord>(svc, req, {
        resolve: departmentResolver<ItemRecord>('编制单位', '抽查事项清单', actor, match, dept),
      });
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeItems(svc, actor, tx, processed, importId, req),
      };
    }
    case 'joint_items': {
      const processed = await processFile<JointItemRecord>(svc, req, {
        resolve: jointResolver(match),
      });
      if (!tx || importId === undefined) return { processed: processed as Processed<unknown>, written: {} };
      return {
        processed: processed as Processed<unknown>,
        written: await writeJoint(svc, tx, processed, importId, req),
      };
    }
  }
}

// ---- entities ------------------------------------------------------------------------------

const STAGE_COLUMNS = [
  'rn',
  'mkey',
  'uscc',
  'reg_no',
  'raw_code',
  'code_status',
  'name',
  'name_bigrams',
  'entity_type',
  'industry_code',
  'industry_name',
  'region_code',
  'street',
  'address',
  'legal_rep',
  'registered_capital',
  'established_on',
  'status',
  'phone',
  'licences',
  'tags',
] as const;

/** importer field → entity columns it fills (when the file has that column, an update overwrites them) */
const FIELD_COLUMNS: Record<string, readonly string[]> = {
  name: ['name', 'name_bigrams'],
  entityType: ['entity_type'],
  industryCode: ['industry_code', 'industry_name'],
  industryName: ['industry_code', 'industry_name'],
  regionCode: ['region_code'],
  street: ['street'],
  address: ['address'],
  legalRep: ['legal_rep'],
  registeredCapital: ['registered_capital'],
  establishedOn: ['established_on'],
  status: ['status'],
  phone: ['phone'],
  licences: ['licences'],
  tags: ['tags'],
};

/** The identity used to match a file row with an existing entity. */
export function entityMatchKey(r: {
  uscc: string | null;
  regNo: string | null;
  name: string;
  rawCode: string | null;
  address: string | null;
}): string {
  if (r.uscc) return `U:${r.uscc}`;
  if (r.regNo) return `R:${r.regNo}`;
  return `N:${r.name}|${r.rawCode ?? ''}|${r.address ?? ''}`;
}

const ENTITY_MKEY_SQL = `case when e.uscc is not null then 'U:' || e.uscc when e.reg_no is not null then 'R:' || e.reg_no else 'N:' || e.name || '|' || coalesce(e.raw_code, '') || '|' || coalesce(e.address, '') end`;

const COPY_CHUNK = 25_000;

/**
 * uint32 → uint32 open-addressing hash map in typed arrays: a million entries in 16 MiB (a Map
 * would take several times that). Grows by doubling.
 */
export class HashMap32 {
  private keys = new Uint32Array(1 << 16);
  private values = new Uint32Array(1 << 16);
  private size = 0;
  get(k: number): number | undefined {
    const key = k === 0 ? 1 : k;
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = this.keys[i]!;
      if (at === 0) return undefined;
      if (at === key) return this.values[i];
    }
  }
  set(k: number, v: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const key = k === 0 ? 1 : k;
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = this.keys[i]!;
      if (at === 0) {
        this.keys[i] = key;
        this.values[i] = v;
        this.size++;
        return;
      }
      if (at === key) {
        this.values[i] = v;
        return;
      }
    }
  }
  private grow() {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Uint32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, values[i]!);
  }
}

/** FNV-1a, 32 bits: a compact fingerprint (collisions only add candidates, checked in SQL). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const timingStart = { t: 0 };
function timing(what: string) {
  if (process.env.CHOUCHA_IMPORT_TIMING)
    process.stderr.write(`  [import] ${what} ${Date.now() - timingStart.t} ms\n`);
}

/** Drops the secondary indexes of entities (inside the caller's transaction); returns their definitions. */
async function dropEntityIndexes(tx: Tx): Promise<{ name: string; def: string }[]> {
  const r = (await tx.execute(
    sql.raw(`select indexname as name, indexdef as def from pg_indexes
      where schemaname = current_schema() and tablename = 'entities' and indexname <> 'entities_pkey'`),
  )) as unknown as { rows: { name: string; def: string }[] };
  for (const i of r.rows) await tx.execute(sql.raw(`drop index "${i.name}"`));
  return r.rows;
}

const DIRECT_COLUMNS = [
  ...STAGE_COLUMNS.filter((c) => c !== 'rn' && c !== 'mkey'),
  'supervising_dept_ids',
  'import_id',
  'created_at',
  'updated_at',
];

class EntityLoader {
  private buf: CopyValue[][] = [];
  private inflight: Promise<unknown> = Promise.resolve();
  /**
   * The first load into an empty directory has nothing to match: rows are COPYed straight into
   * entities while the file is still being read (PostgreSQL maintains the indexes meanwhile).
   */
  private direct = false;
  private directRows = 0;
  private dropped: { name: string; def: string }[] = [];
  private readonly now: string;
  /** Rows (numbers) that named an entity already in the directory, when `facts` is false. */
  private readOnly: number[] = [];
  /** Rows that were warned already (so that marking them does not count them twice). */
  private readonly warnedRows = new Set<number>();
  /** Nothing to match (dry run against an empty directory). */
  private idle = false;
  /**
   * @param facts whether the importer writes registration facts (access.ts: mayWriteMasterData);
   *   without, a row that names an existing entity only adds the department's supervision
   * @param dryRun stage and match only (a department's dry run), write nothing
   */
  constructor(
    private readonly svc: Services,
    private readonly tx: Tx,
    private readonly importId: number,
    private readonly dept: number | undefined,
    private readonly facts: boolean,
    private readonly dryRun: boolean,
  ) {
    this.now = svc.clock().toISOString();
  }

  async begin() {
    // lock the table against a concurrent first load (both would take the direct path)
    if (!this.dryRun) await this.tx.execute(sql.raw('lock table entities in share row exclusive mode'));
    const r = (await this.tx.execute(sql.raw('select exists (select 1 from entities) as e'))) as unknown as {
      rows: { e: boolean }[];
    };
    this.direct = r.rows[0]?.e === false && !this.dryRun;
    this.idle = r.rows[0]?.e === false && this.dryRun;
    if (this.idle) return;
    if (this.direct) {
      // building the indexes once at the end is much faster than maintaining the name index
      // (a million names × ~20 bigrams) row by row; all inside this transaction
      this.dropped = await dropEntityIndexes(this.tx);
      return;
    }
    await this.tx.execute(
      sql.raw(`create temp table import_stage (
        rn int, mkey text, uscc text, reg_no text, raw_code text, code_status text, name text,
        name_bigrams text[], entity_type text, industry_code text, industry_name text, region_code text,
        street text, address text, legal_rep text, registered_capital numeric, established_on date,
        status text, phone text, licences text[], tags text[]) on commit drop`),
    );
  }

  /**
   * First load: the only duplicates are within the file, so the 重错码 candidates are collected
   * while reading (codes the importer saw twice; name + address seen with two different codes).
   */
  candidates: { codes: string[]; nameAddress: [string, string][] } | undefined;
  private readonly nameAddressSeen = new HashMap32();

  private track(r: EntityRecord, reasons: readonly ImporterReason[]) {
    const c = (this.candidates ??= { codes: [], nameAddress: [] });
    const code = r.uscc ?? r.regNo;
    if (code && reasons.some((x) => x.code === 'DUPLICATE_KEY')) c.codes.push(code);
    if (r.address) {
      const h = hash32(`${r.name}\u0000${r.address}`);
      const k = hash32(code ?? r.rawCode ?? '');
      const prev = this.nameAddressSeen.get(h);
      if (prev === undefined) this.nameAddressSeen.set(h, k);
      else if (prev !== k) c.nameAddress.push([r.name, r.address]);
    }
  }

  async push(rowNumber: number, r: EntityRecord, reasons: readonly ImporterReason[]) {
    if (this.idle) return;
    if (!this.facts && verdictOf(reasons) === 'warned') this.warnedRows.add(rowNumber);
    if (this.direct) this.track(r, reasons);
    this.buf.push([
      ...(this.direct ? [] : [rowNumber, entityMatchKey(r)]),
      r.uscc,
      r.regNo,
      r.rawCode,
      r.codeStatus,
      r.name,
      bigrams(r.name),
      r.entityType,
      r.industryCode,
      r.industryName,
      r.regionCode,
      r.street,
      r.address,
      r.legalRep,
      r.registeredCapital,
      r.establishedOn,
      r.status,
      r.phone,
      r.licences,
      r.tags,
      ...(this.direct ? [this.dept === undefined ? [] : [this.dept], this.importId, this.now, this.now] : []),
    ]);
    if (this.buf.length >= COPY_CHUNK) await this.flush();
  }

  /** One COPY in flight while the next chunk is read (PostgreSQL works while we parse). */
  private async flush() {
    const rows = this.buf;
    this.buf = [];
    await this.inflight;
    if (rows.length === 0) return;
    if (this.direct) {
      this.directRows += rows.length;
      this.inflight = copyRows(this.svc.database, this.tx, 'entities', DIRECT_COLUMNS, rows);
    } else this.inflight = copyRows(this.svc.database, this.tx, 'import_stage', STAGE_COLUMNS, rows);
  }

  async finish(mapping: ColumnMapping): Promise<Partial<StoredCounts>> {
    if (this.idle) return {};
    await this.flush();
    await this.inflight;
    const importId = this.importId;
    const dept = this.dept;
    const tx = this.tx;
    if (this.direct) {
      timing('copied');
      if (this.dropped.length && this.svc.database.kind === 'postgres')
        await tx.execute(sql.raw(`set local maintenance_work_mem = '512MB'`));
      for (const i of this.dropped) await tx.execute(sql.raw(i.def));
      timing('indexed');
      await tx.execute(sql.raw('analyze entities'));
      return { created: this.directRows, updated: 0 };
    }
    const q = async <T = Record<string, unknown>>(text: string): Promise<T[]> => {
      const r = (await tx.execute(sql.raw(text))) as unknown as { rows: T[] };
      return r.rows;
    };
    const t0 = Date.now();
    const phase = (what: string) => {
      if (process.env.CHOUCHA_IMPORT_TIMING)
        process.stderr.write(`  [import] ${what} ${Date.now() - t0} ms\n`);
    };
    const [{ n: staged } = { n: 0 }] = await q<{ n: number }>('select count(*)::int as n from import_stage');
    if (staged === 0) return { created: 0, updated: 0 };
    const [{ n: existing } = { n: 0 }] = await q<{ n: number }>(
      'select count(*)::int as n from (select 1 from entities limit 200001) x',
    );
    phase('staged');
    await q('create temp table import_match (rn int, id int) on commit drop');
    // an empty directory (the first load) has nothing to match
    if (existing > 0) await this.match(q);
    phase('matched');
    const [{ n: updated } = { n: 0 }] = await q<{ n: number }>('select count(*)::int as n from import_match');
    if (!this.facts)
      this.readOnly = (await q<{ rn: number }>('select rn from import_match order by rn')).map((r) => r.rn);
    if (this.dryRun) return {};
    if (!this.facts) return this.finishSupervisionOnly(q, staged, updated);
    const mapped = new Set<string>();
    for (const f of Object.keys(mapping.fields)) for (const c of FIELD_COLUMNS[f] ?? []) mapped.add(c);
    mapped.add('name');
    mapped.add('name_bigrams');
    mapped.add('status'); // the importer defaults it (存续)
    const now = this.now;
    const deptArr = dept === undefined ? `'{}'::int[]` : `array[${dept}]::int[]`;
    if (updated > 0) {
      const sets = [...mapped].map((c) => `${c} = s.${c}`);
      sets.push(
        `uscc = coalesce(s.uscc, e.uscc)`,
        `reg_no = coalesce(s.reg_no, e.reg_no)`,
        `raw_code = case when s.uscc is null and s.reg_no is null then s.raw_code else e.raw_code end`,
        `code_status = case when e.code_status = 'pilot' and s.code_status = 'check_failed' then 'pilot'
           when s.uscc is null and s.reg_no is null and (e.uscc is not null or e.reg_no is not null) then e.code_status
           when s.uscc is null and e.uscc is not null then e.code_status else s.code_status end`,
        dept === undefined
          ? `supervising_dept_ids = e.supervising_dept_ids`
          : `supervising_dept_ids = case when ${dept} = any(e.supervising_dept_ids) then e.supervising_dept_ids else e.supervising_dept_ids || ${dept} end`,
        `import_id = ${importId}`,
        `updated_at = '${now}'`,
      );
      await q(`update entities e set ${sets.join(', ')}
        from import_match m join import_stage s on s.rn = m.rn where e.id = m.id`);
      phase('updated');
    }
    // 3. the rest are new. A large load into a small table builds the indexes afterwards
    //    (faster than maintaining them row by row), inside the same transaction.
    const created = staged - updated;
    const rebuild = created > 100_000 && existing < created;
    const indexes = rebuild ? await dropEntityIndexes(tx) : [];
    const cols = STAGE_COLUMNS.filter((c) => c !== 'rn' && c !== 'mkey');
    await q(`insert into entities (${cols.join(', ')}, supervising_dept_ids, import_id, created_at, updated_at)
      select ${cols.map((c) => `s.${c}`).join(', ')}, ${deptArr}, ${importId}, '${now}', '${now}'
      from import_stage s ${updated > 0 ? 'where not exists (select 1 from import_match m where m.rn = s.rn)' : ''}`);
    phase('inserted');
    if (indexes.length) {
      if (this.svc.database.kind === 'postgres') await q(`set local maintenance_work_mem = '512MB'`);
      for (const i of indexes) await q(i.def);
      phase('indexed');
    }
    await q('analyze entities');
    phase('analyzed');
    return { created, updated };
  }

  /**
   * A department (not the lead bureau): the rows naming existing entities add its supervision and
   * change nothing else; the other rows are new entities under its supervision.
   */
  private async finishSupervisionOnly(
    q: (text: string) => Promise<unknown[]>,
    staged: number,
    updated: number,
  ): Promise<Partial<StoredCounts>> {
    const dept = this.dept;
    if (dept === undefined) throw new AppError('FORBIDDEN_DEPARTMENT', 'The import has no department');
    const now = this.now;
    if (updated > 0)
      await q(`update entities e set
          supervising_dept_ids = e.supervising_dept_ids || ${dept}, updated_at = '${now}'
        from import_match m where e.id = m.id and not (${dept} = any(e.supervising_dept_ids))`);
    const cols = STAGE_COLUMNS.filter((c) => c !== 'rn' && c !== 'mkey');
    await q(`insert into entities (${cols.join(', ')}, supervising_dept_ids, import_id, created_at, updated_at)
      select ${cols.map((c) => `s.${c}`).join(', ')}, array[${dept}]::int[], ${this.importId}, '${now}', '${now}'
      from import_stage s where not exists (select 1 from import_match m where m.rn = s.rn)`);
    await q('analyze entities');
    return { created: staged - updated, updated };
  }

  /**
   * Marks the rows that named an existing entity (registration facts not written) in the report:
   * reason ENTITY_FACTS_READ_ONLY, verdict warned; counts follow. A big file's report keeps only its
   * problem rows: the marked rows join it (up to the cap), named from the staging table.
   */
  async markReadOnlyRows(p: Processed<EntityRecord>): Promise<void> {
    if (this.readOnly.length === 0) return;
    const pending = new Set(this.readOnly);
    for (const row of p.rows) {
      if (!pending.has(row.rowNumber)) continue;
      pending.delete(row.rowNumber);
      if (row.verdict !== 'accepted' && row.verdict !== 'warned') continue;
      row.reasons.push(FACTS_READ_ONLY);
      if (row.verdict === 'accepted') {
        row.verdict = 'warned';
        p.counts.accepted--;
        p.counts.warned++;
      }
    }
    const missing = [...pending];
    for (const rn of missing) {
      if (this.warnedRows.has(rn)) continue;
      p.counts.accepted--;
      p.counts.warned++;
    }
    if (missing.length === 0) return;
    const problems = p.rows.filter((r) => r.verdict !== 'accepted').length;
    const room = Math.max(0, REPORT_MAX_PROBLEM_ROWS - problems);
    const add = missing.slice(0, room);
    if (add.length) {
      const r = (await this.tx.execute(
        sql`select rn, name, coalesce(uscc, reg_no, raw_code) as key from import_stage where rn = any(${`{${add.join(',')}}`}::int[])`,
      )) as unknown as { rows: { rn: number; name: string; key: string | null }[] };
      for (const x of r.rows)
        p.rows.push({
          rowNumber: x.rn,
          verdict: 'warned',
          reasons: [FACTS_READ_ONLY],
          key: x.key,
          name: x.name,
        });
      p.rows.sort((a, b) => a.rowNumber - b.rowNumber);
    }
    if (add.length < missing.length) p.scope = 'problems_truncated';
  }

  /** Match file rows with entities: the n-th row of a key in the file ↔ the n-th entity of that key. */
  private async match(q: (text: string) => Promise<unknown[]>) {
    await q('analyze import_stage');
    await q(`insert into import_match (rn, id)
      with s as (select rn, mkey, row_number() over (partition by mkey order by rn) as ord from import_stage),
      e as (
        select e.id, ${ENTITY_MKEY_SQL} as mkey, row_number() over (partition by ${ENTITY_MKEY_SQL} order by e.id) as ord
        from entities e
        where e.merged_into_id is null and (
          e.uscc in (select uscc from import_stage where uscc is not null)
          or (e.uscc is null and e.reg_no in (select reg_no from import_stage where uscc is null and reg_no is not null))
          or (e.uscc is null and e.reg_no is null and e.name in (select name from import_stage where uscc is null and reg_no is null)))
      )
      select s.rn, e.id from s join e on e.mkey = s.mkey and e.ord = s.ord`);
    // 2. a row with its new USCC and the old 注册号 ↔ an entity known only by that 注册号;
    //    a row with only the 注册号 ↔ an entity that has a USCC by now
    await q(`insert into import_match (rn, id)
      select distinct on (e.id) s.rn, e.id from import_stage s join entities e on e.reg_no = s.reg_no
      where s.reg_no is not null and e.merged_into_id is null
        and ((s.uscc is not null and e.uscc is null) or (s.uscc is null and e.uscc is not null))
        and not exists (select 1 from import_match m where m.rn = s.rn)
        and not exists (select 1 from import_match m where m.id = e.id)
      order by e.id, s.rn`);
  }
}

// ---- inspectors ----------------------------------------------------------------------------

async function writeInspectors(
  svc: Services,
  actor: Actor,
  tx: Tx,
  p: Processed<InspectorRecord>,
  importId: number,
): Promise<Partial<StoredCounts>> {
  const today = svc.clock().toISOString().slice(0, 10);
  const all = await tx.select().from(inspectors);
  const byCert = new Map<string, (typeof all)[number]>();
  const byName = new Map<string, (typeof all)[number]>();
  for (const i of all) {
    if (i.certNo) byCert.set(i.certNo, i);
    byName.set(`${i.departmentId}|${i.name}`, i);
  }
  let created = 0;
  let updated = 0;
  for (const { record: r, ref } of p.records) {
    const departmentId = ref['departmentId'] as number;
    // identity: the certificate number (of the same person: a shared number is a data error the
    // importer already warned about), else name + department
    const byNo = r.certNo ? byCert.get(r.certNo) : undefined;
    const found =
      (byNo && byNo.name === r.name ? byNo : undefined) ?? byName.get(`${departmentId}|${r.name}`);
    // the resolver rejected such rows already; this keeps the write itself honest
    assertMayWriteDepartment(actor, departmentId);
    if (found) assertMayWriteDepartment(actor, found.departmentId);
    const values = {
      departmentId,
      name: r.name,
      certNo: r.certNo,
      certValidFrom: r.certValidFrom,
      certValidTo: r.certValidTo,
      fields: r.fields,
      regionCode: r.regionCode,
      regionName: r.regionName,
      phone: r.phone,
      active: r.active,
      importId,
    };
    let id: number;
    if (found) {
      await tx.update(inspectors).set(values).where(eq(inspectors.id, found.id));
      id = found.id;
      updated++;
    } else {
      const [row] = await tx.insert(inspectors).values(values).returning({ id: inspectors.id });
      id = row!.id;
      created++;
      if (r.certNo && !byCert.has(r.certNo)) byCert.set(r.certNo, { ...values, id } as (typeof all)[number]);
      byName.set(`${departmentId}|${r.name}`, { ...values, id } as (typeof all)[number]);
    }
    // status over time: an open period per non-在岗 status; 在岗 closes the open one
    const open = await tx
      .select()
      .from(inspectorStatusPeriods)
      .where(and(eq(inspectorStatusPeriods.inspectorId, id), sql`${inspectorStatusPeriods.toDate} is null`));
    const current = open[0];
    const status = r.status || '在岗';
    if (current && current.status !== status) {
      await tx
        .update(inspectorStatusPeriods)
        .set({ toDate: today })
        .where(eq(inspectorStatusPeriods.id, current.id));
    }
    if (status !== '在岗' && (!current || current.status !== status)) {
      await tx
        .insert(inspectorStatusPeriods)
        .values({ inspectorId: id, status, fromDate: today, note: `导入 #${importId}` });
    }
  }
  return { created, updated };
}

// ---- items (editions) ------------------------------------------------------------------------

function itemSignature(
  rows: {
    seq: number | null;
    category: string;
    name: string;
    targetDesc: string | null;
    itemKind: string | null;
    methods: string[];
    subjects: string[];
    basis: string[];
  }[],
): string {
  return JSON.stringify(
    rows
      .map((r) => [r.seq, r.category, r.name, r.targetDesc, r.itemKind, r.methods, r.subjects, r.basis])
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

async function uniqueEditionName(tx: Tx, departmentId: number | null, base: string): Promise<string> {
  const rows = await tx
    .select({ name: itemEditions.name })
    .from(itemEditions)
    .where(
      departmentId === null
        ? sql`${itemEditions.departmentId} is null`
        : eq(itemEditions.departmentId, departmentId),
    );
  const names = new Set(rows.map((r) => r.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}（修订${i}）`)) return `${base}（修订${i}）`;
}

async function writeItems(
  svc: Services,
  actor: Actor,
  tx: Tx,
  p: Processed<ItemRecord>,
  importId: number,
  req: ImportRequest,
): Promise<Partial<StoredCounts>> {
  const byDept = new Map<number, ItemRecord[]>();
  for (const { record, ref } of p.records) {
    const d = ref['departmentId'] as number;
    byDept.set(d, [...(byDept.get(d) ?? []), record]);
  }
  let created = 0;
  let unchanged = 0;
  let editions = 0;
  const now = svc.clock();
  for (const [departmentId, recs] of byDept) {
    assertMayWriteDepartment(actor, departmentId); // rows of other departments were rejected already
    const [current] = await tx
      .select()
      .from(itemEditions)
      .where(
        and(
          eq(itemEditions.departmentId, departmentId),
          eq(itemEditions.status, 'published'),
          eq(itemEditions.listKind, 'items'),
        ),
      )
      .orderBy(desc(itemEditions.id))
      .limit(1);
    if (current) {
      const old = await tx.select().from(items).where(eq(items.editionId, current.id));
      if (itemSignature(old) === itemSignature(recs)) {
        unchanged += recs.length;
        continue;
      }
    }
    const name = await uniqueEditionName(tx, departmentId, req.editionName ?? `${now.getUTCFullYear()}版`);
    const [ed] = await tx
      .insert(itemEditions)
      .values({
        departmentId,
        name,
        status: 'published',
        publishedAt: now,
        listKind: 'items',
        previousId: current?.id ?? null,
        importId,
        createdAt: now,
      })
      .returning({ id: itemEditions.id });
    if (current)
      await tx.update(itemEditions).set({ status: 'superseded' }).where(eq(itemEditions.id, current.id));
    editions++;
    // the old edition's items stay as they are: tasks that cite them keep citing them
    const old = current ? await tx.select().from(items).where(eq(items.editionId, current.id)) : [];
    const oldByName = new Map(old.map((o) => [`${o.category}|${o.name}`, o]));
    for (const r of recs) {
      const prev = oldByName.get(`${r.category}|${r.name}`);
      await tx.insert(items).values({
        editionId: ed!.id,
        departmentId,
        seq: r.seq,
        category: r.category,
        name: r.name,
        targetDesc: r.targetDesc,
        itemKind: r.itemKind,
        methods: r.methods,
        subjects: r.subjects,
        basis: r.basis,
        // keep what the list itself does not say (competence field, machine-readable scope)
        field: prev?.field ?? null,
        scope: prev?.scope ?? null,
      });
      created++;
    }
  }
  return { created, unchanged, editions };
}

async function writeJoint(
  svc: Services,
  tx: Tx,
  p: Processed<JointItemRecord>,
  importId: number,
  req: ImportRequest,
): Promise<Partial<StoredCounts>> {
  const recs = p.records.map(({ record, ref }) => ({
    domain: record.domain,
    name: record.name,
    targetDesc: record.targetDesc,
    leadDepartmentId: ref['leadDepartmentId'] as number,
    cooperatingDepartmentIds: [...(ref['cooperatingDepartmentIds'] as number[])].sort((a, b) => a - b),
  }));
  const sig = (rows: typeof recs) =>
    JSON.stringify(
      rows
        .map((r) => [r.domain, r.name, r.targetDesc, r.leadDepartmentId, r.cooperatingDepartmentIds])
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
  const [current] = await tx
    .select()
    .from(itemEditions)
    .where(and(sql`${itemEditions.departmentId} is null`, eq(itemEditions.status, 'published')))
    .orderBy(desc(itemEditions.id))
    .limit(1);
  if (current) {
    const old = await tx.select().from(jointItems).where(eq(jointItems.editionId, current.id));
    const oldRecs = old.map((o) => ({
      domain: o.domain,
      name: o.name,
      targetDesc: o.targetDesc,
      leadDepartmentId: o.leadDepartmentId,
      cooperatingDepartmentIds: [...o.cooperatingDepartmentIds].sort((a, b) => a - b),
    }));
    if (sig(oldRecs) === sig(recs)) return { created: 0, unchanged: recs.length, editions: 0 };
  }
  if (recs.length === 0) return { created: 0, editions: 0 };
  const now = svc.clock();
  const name = await uniqueEditionName(
    tx,
    null,
    req.editionName ?? `${now.getUTCFullYear()}版 部门联合抽查事项清单`,
  );
  const [ed] = await tx
    .insert(itemEditions)
    .values({
      departmentId: null,
      name,
      status: 'published',
      publishedAt: now,
      listKind: 'joint',
      previousId: current?.id ?? null,
      importId,
      createdAt: now,
    })
    .returning({ id: itemEditions.id });
  if (current)
    await tx.update(itemEditions).set({ status: 'superseded' }).where(eq(itemEditions.id, current.id));
  // link to the departments' published items of the same name, where there are any
  const published = await tx
    .select({ id: items.id, departmentId: items.departmentId, name: items.name })
    .from(items)
    .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
    .where(eq(itemEditions.status, 'published'));
  for (const r of recs) {
    const depts = [r.leadDepartmentId, ...r.cooperatingDepartmentIds];
    const itemIds = published
      .filter((i) => i.name === r.name && depts.includes(i.departmentId))
      .map((i) => i.id);
    await tx.insert(jointItems).values({ editionId: ed!.id, ...r, itemIds });
  }
  return { created: recs.length, editions: 1 };
}

// ---------------------------------------------------------------------------------------------
// the commands

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function sha256OfPath(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function storedMapping(meta: FileMeta) {
  return {
    fields: Object.fromEntries(Object.entries(meta.mapping.fields).map(([k, v]) => [k, v])),
    unmapped: meta.mapping.unmapped,
    headerRowNumbers: meta.headerRowNumbers,
    headers: meta.headers,
    notices: meta.notices,
    sheets: meta.sheets,
    fileType: meta.fileType,
    encoding: meta.encoding,
  };
}

function assertSomethingAccepted(p: Processed<unknown>): void {
  if (p.counts.accepted + p.counts.warned > 0) return;
  const first = p.rows
    .filter((r) => r.verdict === 'rejected')
    .slice(0, 5)
    .map(
      (r) =>
        `第 ${r.rowNumber} 行：${r.reasons
          .filter((x) => x.severity === 'error')
          .map((x) => x.message)
          .join('；')}`,
    );
  throw new AppError(
    'IMPORT_NOTHING_ACCEPTED',
    `没有可导入的行（共 ${p.counts.rows} 行，拒绝 ${p.counts.rejected} 行）${first.length ? `：${first.join(' / ')}` : ''}`,
    { counts: p.counts, rows: p.rows.slice(0, 50) },
  );
}

function checkKind(kind: string): asserts kind is ImportKindName {
  if (!IMPORT_KINDS.includes(kind as ImportKindName))
    throw new AppError('VALIDATION_FAILED', `Unknown import kind ${kind}`, { field: 'kind' });
}

/**
 * Before a file is read: the department named by `?departmentId=` must be the uploader's to
 * write (FORBIDDEN_DEPARTMENT); the joint list is master data (FORBIDDEN_MASTER_DATA); a
 * department's entity rows need a department to supervise them. Rows naming a department are
 * checked one by one while the file is read (DEPARTMENT_FORBIDDEN).
 */
async function assertImportScope(
  db: Tx | Services['database']['db'],
  actor: Actor,
  kind: ImportKindName,
  departmentId: number | null | undefined,
  dept: number | undefined,
): Promise<void> {
  if (departmentId !== undefined && departmentId !== null) {
    const [d] = await db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, departmentId));
    if (!d)
      throw new AppError('VALIDATION_FAILED', `No department ${departmentId}`, { field: 'departmentId' });
    assertMayWriteDepartment(actor, departmentId);
  }
  if (kind === 'joint_items') await assertMayWriteMasterData(db, actor);
  if (kind === 'entities' && dept === undefined && !(await mayWriteMasterData(db, actor)))
    assertMayWriteDepartment(actor, null);
}

/**
 * Dry run: read and validate the whole file, store the per-row report and the uploaded bytes.
 * Nothing else is written.
 */
export async function dryRunImport(svc: Services, actor: Actor, req: ImportRequest) {
  authorize(actor, 'directory.import');
  checkKind(req.kind);
  await assertImportScope(svc.database.db, actor, req.kind, req.departmentId, actorDept(actor, req));
  const data = req.data ?? (req.path ? (await import('node:fs')).readFileSync(req.path) : undefined);
  if (!data) throw new AppError('IMPORT_FILE_EMPTY', 'No file was given');
  const { processed } = await runKind(svc, actor, undefined, { ...req, data, path: undefined }, undefined);
  const dept = actorDept(actor, req);
  const id = await inTransaction(svc, actor, async (tx, audit) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind: req.kind,
        fileName: req.fileName,
        fileSha256: sha256(data),
        status: 'dry_run',
        mapping: storedMapping(processed.meta),
        counts: processed.counts,
        report: processed.rows,
        reportScope: processed.scope,
        sheet: processed.meta.sheet,
        departmentId: dept ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning({ id: imports.id });
    await tx.insert(importFiles).values({ importId: row!.id, bytes: data });
    await audit({
      action: 'import.dry_run',
      subjectType: 'import',
      subjectId: row!.id,
      departmentId: dept ?? null,
      after: { kind: req.kind, fileName: req.fileName, counts: processed.counts },
    });
    return row!.id;
  });
  return getImport(svc, actor, id);
}

/**
 * Commit a dry run: the stored file is read again and written in ONE transaction with one audit
 * event; any failure leaves nothing behind. The bytes are dropped once committed (the sha-256 stays).
 */
export async function commitImport(
  svc: Services,
  actor: Actor,
  importId: number,
  opts: { onProgress?: (rowsDone: number, total: number | null) => void } = {},
) {
  authorize(actor, 'directory.import');
  await inTransaction(svc, actor, async (tx, audit) => {
    const [imp] = await tx.select().from(imports).where(eq(imports.id, importId)).for('update');
    if (!imp) throw new AppError('IMPORT_NOT_FOUND');
    assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
    if (imp.status !== 'dry_run') throw new AppError('IMPORT_ALREADY_COMMITTED');
    if (actor.kind === 'user' && actor.role !== 'joint_admin' && imp.createdBy !== actor.id)
      throw new AppError(
        'FORBIDDEN',
        'Only the person who uploaded the file (or the joint admin) may commit it',
      );
    const [file] = await tx.select().from(importFiles).where(eq(importFiles.importId, importId));
    if (!file) throw new AppError('CONFLICT', 'The uploaded file is no longer kept; upload it again');
    const kind = imp.kind as ImportKindName;
    // the committing actor's rights decide (the joint admin may commit a department's upload)
    const stored = imp.departmentId !== null ? { departmentId: imp.departmentId } : {};
    await assertImportScope(tx, actor, kind, imp.departmentId, actorDept(actor, stored));
    const req: ImportRequest = {
      kind,
      fileName: imp.fileName,
      data: file.bytes,
      ...(imp.sheet !== null ? { sheet: imp.sheet } : {}),
      ...(imp.departmentId !== null ? { departmentId: imp.departmentId } : {}),
      onProgress: opts.onProgress,
    };
    const { processed, written } = await runKind(svc, actor, tx, req, importId);
    assertSomethingAccepted(processed);
    const counts: StoredCounts = { ...processed.counts, ...written };
    await tx
      .update(imports)
      .set({
        status: 'committed',
        committedAt: svc.clock(),
        counts,
        report: processed.rows,
        reportScope: processed.scope,
      })
      .where(eq(imports.id, importId));
    await tx.delete(importFiles).where(eq(importFiles.importId, importId));
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: imp.departmentId,
      after: { kind, fileName: imp.fileName, fileSha256: imp.fileSha256, counts },
    });
  });
  return getImport(svc, actor, importId);
}

/**
 * Dry run and commit in one pass over the file (`choucha import … --commit`, benchmarks): the
 * import record, its report and the rows are written in one transaction.
 */
export async function runImport(svc: Services, actor: Actor, req: ImportRequest & { commit: boolean }) {
  if (!req.commit) return dryRunImport(svc, actor, req);
  authorize(actor, 'directory.import');
  checkKind(req.kind);
  await assertImportScope(svc.database.db, actor, req.kind, req.departmentId, actorDept(actor, req));
  const fileSha256 = req.data ? sha256(req.data) : req.path ? await sha256OfPath(req.path) : '';
  const dept = actorDept(actor, req);
  const id = await inTransaction(svc, actor, async (tx, audit) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind: req.kind,
        fileName: req.fileName,
        fileSha256,
        status: 'dry_run',
        counts: {},
        report: [],
        departmentId: dept ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning({ id: imports.id });
    const importId = row!.id;
    const { processed, written } = await runKind(svc, actor, tx, req, importId);
    assertSomethingAccepted(processed);
    const counts: StoredCounts = { ...processed.counts, ...written };
    await tx
      .update(imports)
      .set({
        status: 'committed',
        committedAt: svc.clock(),
        counts,
        mapping: storedMapping(processed.meta),
        report: processed.rows,
        reportScope: processed.scope,
        sheet: processed.meta.sheet,
      })
      .where(eq(imports.id, importId));
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: dept ?? null,
      after: { kind: req.kind, fileName: req.fileName, fileSha256, counts },
    });
    return importId;
  });
  return getImport(svc, actor, id);
}

// ---- kept for the CLI start-up and other sessions' tests ---------------------------------------

export async function dryRunEntityImport(svc: Services, actor: Actor, file: { name: string; data: Buffer }) {
  return dryRunImport(svc, actor, { kind: 'entities', fileName: file.name, data: file.data });
}

export async function commitEntityImport(svc: Services, actor: Actor, importId: number) {
  return commitImport(svc, actor, importId);
}

// ---- reading --------------------------------------------------------------------------------

function apiRow(r: StoredRow): RowReport {
  return {
    rowNumber: r.rowNumber,
    verdict: r.verdict === 'warned' ? 'warning' : r.verdict,
    reasons: (r.reasons ?? []).map((x) => ({
      code: x.code,
      severity: x.severity ?? 'warning',
      message: x.message,
      ...(x.field !== undefined ? { field: x.field } : {}),
      ...(x.header !== undefined ? { header: x.header } : {}),
      ...(x.value !== undefined ? { value: x.value } : {}),
    })),
    key: r.key,
    name: r.name,
    ...(r.mergedInto !== undefined ? { mergedInto: r.mergedInto } : {}),
  };
}

function countsView(c: unknown) {
  const x = (c ?? {}) as Partial<StoredCounts>;
  return {
    rows: x.rows ?? 0,
    accepted: x.accepted ?? 0,
    warned: x.warned ?? 0,
    rejected: x.rejected ?? 0,
    merged: x.merged ?? 0,
    blank: x.blank ?? 0,
    ...(x.created !== undefined ? { created: x.created } : {}),
    ...(x.updated !== undefined ? { updated: x.updated } : {}),
    ...(x.unchanged !== undefined ? { unchanged: x.unchanged } : {}),
    ...(x.editions !== undefined ? { editions: x.editions } : {}),
  };
}

const SCOPE_NOTE = {
  all: null,
  problems: `文件超过 ${REPORT_ALL_ROWS} 行：报告只列出有警告、被拒绝或被合并的行（计数为全部行）`,
  problems_truncated: `文件超过 ${REPORT_ALL_ROWS} 行：报告只列出前 ${REPORT_MAX_PROBLEM_ROWS} 个有问题的行（计数为全部行）`,
} as const;

export async function getImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  const scope = (imp.reportScope ?? 'all') as keyof typeof SCOPE_NOTE;
  return {
    id: imp.id,
    kind: imp.kind,
    fileName: imp.fileName,
    fileSha256: imp.fileSha256,
    status: imp.status,
    sheet: imp.sheet,
    counts: countsView(imp.counts),
    createdAt: imp.createdAt.toISOString(),
    committedAt: imp.committedAt?.toISOString() ?? null,
    mapping: (imp.mapping ?? null) as Record<string, unknown> | null,
    reportScope: scope,
    reportNote: SCOPE_NOTE[scope],
    rows: ((imp.report ?? []) as StoredRow[]).map(apiRow),
  };
}

export async function listImports(svc: Services, actor: Actor, q: { kind?: string | undefined } = {}) {
  authorize(actor, 'directory.import');
  const rows = await svc.database.db
    .select({
      id: imports.id,
      kind: imports.kind,
      fileName: imports.fileName,
      status: imports.status,
      counts: imports.counts,
      reportScope: imports.reportScope,
      createdAt: imports.createdAt,
      committedAt: imports.committedAt,
    })
    .from(imports)
    .where(
      and(
        q.kind ? eq(imports.kind, q.kind) : undefined,
        departmentRecordCondition(actor, imports.departmentId, imports.createdBy),
      ),
    )
    .orderBy(desc(imports.id))
    .limit(200);
  return rows.map((r) => ({
    ...r,
    counts: countsView(r.counts),
    createdAt: r.createdAt.toISOString(),
    committedAt: r.committedAt?.toISOString() ?? null,
  }));
}

/** The stored report as .xlsx (导入结果 + 汇总), via the importer's writer. */
export async function importReportXlsx(svc: Services, actor: Actor, importId: number): Promise<Buffer> {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  const m = (imp.mapping ?? {}) as Partial<ReturnType<typeof storedMapping>>;
  const scope = (imp.reportScope ?? 'all') as keyof typeof SCOPE_NOTE;
  const report = {
    kind: imp.kind,
    fileName: imp.fileName,
    fileType: m.fileType ?? 'csv',
    encoding: m.encoding ?? null,
    sheets: m.sheets ?? [],
    sheet: imp.sheet,
    notices: [...(m.notices ?? []), ...(SCOPE_NOTE[scope] ? [SCOPE_NOTE[scope]] : [])],
    headerRowNumbers: m.headerRowNumbers ?? [],
    headers: m.headers ?? [],
    detectedMapping: { fields: m.fields ?? {}, unmapped: m.unmapped ?? [] },
    mapping: { fields: m.fields ?? {}, unmapped: m.unmapped ?? [] },
    counts: countsView(imp.counts),
    rows: ((imp.report ?? []) as StoredRow[]).map((r) => ({
      rowNumber: r.rowNumber,
      verdict: (r.verdict as string) === 'warning' ? 'warned' : r.verdict,
      reasons: (r.reasons ?? []).map((x) => ({ ...x, zh: x.message })),
      record: r.record ?? (r.name ? { name: r.name } : null),
      key: r.key,
    })),
  } as unknown as ImportReport;
  return writeReportXlsx(report);
}
