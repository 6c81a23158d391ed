/**
 * 重错码纠错: the queue of duplicate, wrong and damaged codes in the entity directory, and the
 * four ways to resolve an entry — correct the code (the entity keeps its id, so its inspections
 * stay attached; the old code goes to entity_code_history), merge duplicates (their targets move
 * to the kept entity; the other is marked merged, never deleted), mark a legal pilot code, dismiss.
 * Every action writes an audit event in its transaction.
 *
 * Access (access.ts): the queue corrects registration facts, which are shared master data, so
 * every action (detect, correct, merge, pilot, dismiss) is for the joint office and the lead
 * bureau (FORBIDDEN_MASTER_DATA for other departments). Another department reads (list, detail,
 * export) the entries that involve an entity it supervises, and none else (404).
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import XLSX from 'xlsx';
import { AppError, classifyCode } from '@choucha/core';
import {
  codeIssues,
  entities,
  entityCodeHistory,
  entityExclusions,
  recusals,
  targets,
  type Executor,
  type Tx,
} from '@choucha/db';
import { assertMayWriteMasterData, authorize, masterDataReadScope, mayWriteMasterData } from './access.ts';
import { pgTextArray } from './directories.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';

export const CODE_ISSUE_KINDS = [
  'duplicate_code',
  'multiple_codes',
  'check_failed',
  'unrecoverable',
  'malformed',
] as const;
export type CodeIssueKind = (typeof CODE_ISSUE_KINDS)[number];
export const CODE_ISSUE_STATUSES = ['open', 'corrected', 'merged', 'pilot', 'dismissed'] as const;

export const CODE_ISSUE_KIND_ZH: Record<CodeIssueKind, string> = {
  duplicate_code: '同一代码对应多个主体',
  multiple_codes: '同一主体（名称、住所相同）有多个代码',
  check_failed: '统一社会信用代码校验位不符',
  unrecoverable: '代码已被 Excel 损坏，无法恢复',
  malformed: '代码格式错误',
};

async function rows<T>(tx: Executor, q: SQL): Promise<T[]> {
  const r = (await tx.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

/**
 * Find issues and queue the new ones (a finding already queued — open or resolved — is not queued
 * again: the fingerprint is kind + code + entity ids). With `importId`, only findings that involve
 * an entity of that import are looked for. Returns the number of new entries.
 */
export async function detectCodeIssuesIn(
  tx: Tx,
  opts: {
    importId?: number;
    /** the only codes and name+address pairs that can be duplicated (known to the caller) */
    candidates?: { codes: string[]; nameAddress: [string, string][] };
  } = {},
): Promise<number> {
  const scope = opts.importId === undefined ? sql`true` : sql`e.import_id = ${opts.importId}`;
  const live = sql`e.merged_into_id is null`;
  const c = opts.candidates;
  const codeScope = c
    ? sql`(e.uscc = any(${pgTextArray(c.codes)}::text[]) or (e.uscc is null and e.reg_no = any(${pgTextArray(c.codes)}::text[])))`
    : sql`coalesce(e.uscc, e.reg_no) in (select coalesce(e.uscc, e.reg_no) from entities e where ${scope} and ${live})`;
  const pairScope = c
    ? sql`(e.name, e.address) in (select * from unnest(${pgTextArray(c.nameAddress.map((p) => p[0]))}::text[], ${pgTextArray(c.nameAddress.map((p) => p[1]))}::text[]))`
    : sql`(e.name, e.address) in (select e.name, e.address from entities e where ${scope} and ${live})`;
  const before = await rows<{ n: number }>(tx, sql`select count(*)::int as n from code_issues`);
  // 1. the same code on different entities
  if (!c || c.codes.length > 0)
    await tx.execute(sql`
    insert into code_issues (kind, code, entity_ids, fingerprint, detail, status)
    select 'duplicate_code', g.code, g.ids, 'duplicate_code:' || g.code || ':' || array_to_string(g.ids, ','),
           jsonb_build_object('names', g.names), 'open'
    from (
      select coalesce(e.uscc, e.reg_no) as code, array_agg(e.id order by e.id) as ids,
             array_agg(e.name order by e.id) as names
      from entities e
      where ${live} and coalesce(e.uscc, e.reg_no) is not null and ${codeScope}
      group by coalesce(e.uscc, e.reg_no)
      having count(*) > 1
    ) g
    where not exists (select 1 from code_issues c
      where c.fingerprint = 'duplicate_code:' || g.code || ':' || array_to_string(g.ids, ','))`);
  // 2. the same entity (name and address) under different codes
  if (!c || c.nameAddress.length > 0)
    await tx.execute(sql`
    insert into code_issues (kind, code, entity_ids, fingerprint, detail, status)
    select 'multiple_codes', null, g.ids, 'multiple_codes:' || array_to_string(g.ids, ','),
           jsonb_build_object('name', g.name, 'address', g.address, 'codes', g.codes), 'open'
    from (
      select e.name, e.address, array_agg(e.id order by e.id) as ids,
             array_agg(coalesce(e.uscc, e.reg_no, e.raw_code) order by e.id) as codes
      from entities e
      where ${live} and e.address is not null and ${pairScope}
      group by e.name, e.address
      having count(distinct coalesce(e.uscc, e.reg_no, e.raw_code, '')) > 1
    ) g
    where not exists (select 1 from code_issues c
      where c.fingerprint = 'multiple_codes:' || array_to_string(g.ids, ','))`);
  // 3. one entry per entity with a failed check, an unrecoverable or a malformed code
  await tx.execute(sql`
    insert into code_issues (kind, code, entity_ids, fingerprint, detail, status)
    select e.code_status, coalesce(e.uscc, e.reg_no, e.raw_code), array[e.id],
           e.code_status || ':' || coalesce(e.uscc, e.reg_no, e.raw_code, '') || ':' || e.id,
           jsonb_build_object('name', e.name, 'rawCode', e.raw_code), 'open'
    from entities e
    where ${opts.importId === undefined && c ? codeScope : scope} and ${live}
      and e.code_status in ('check_failed', 'unrecoverable', 'malformed')
      and not exists (select 1 from code_issues c
        where c.fingerprint = e.code_status || ':' || coalesce(e.uscc, e.reg_no, e.raw_code, '') || ':' || e.id)`);
  const after = await rows<{ n: number }>(tx, sql`select count(*)::int as n from code_issues`);
  return (after[0]?.n ?? 0) - (before[0]?.n ?? 0);
}

/** On demand, over the whole directory. */
export async function detectCodeIssues(svc: Services, actor: Actor) {
  authorize(actor, 'directory.import');
  await assertMayWriteMasterData(svc.database.db, actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    const added = await detectCodeIssuesIn(tx);
    await audit({ action: 'code_issue.detect', subjectType: 'code_issue', after: { added } });
    return { added };
  });
}

export interface CodeIssueQuery {
  page: number;
  pageSize: number;
  status?: string | undefined;
  kind?: string | undefined;
  code?: string | undefined;
  entityId?: number | undefined;
}

/** Entries that involve an entity supervised by `dept` (undefined: all). */
function scopeCondition(dept: number | undefined): SQL | undefined {
  if (dept === undefined) return undefined;
  return sql`exists (select 1 from ${entities} e where e.id = any(${codeIssues.entityIds}) and ${dept} = any(e.supervising_dept_ids))`;
}

function issueConditions(
  q: Omit<CodeIssueQuery, 'page' | 'pageSize'>,
  dept: number | undefined,
): SQL | undefined {
  const where: SQL[] = [];
  const scope = scopeCondition(dept);
  if (scope) where.push(scope);
  if (q.status) where.push(eq(codeIssues.status, q.status));
  if (q.kind) where.push(eq(codeIssues.kind, q.kind));
  if (q.code) where.push(sql`${codeIssues.code} like ${`${q.code.toUpperCase()}%`}`);
  if (q.entityId !== undefined) where.push(sql`${q.entityId} = any(${codeIssues.entityIds})`);
  return where.length ? and(...where) : undefined;
}

async function entitySummaries(db: Executor, ids: number[]) {
  if (ids.length === 0) return new Map<number, EntitySummary>();
  const es = await db
    .select({
      id: entities.id,
      name: entities.name,
      uscc: entities.uscc,
      regNo: entities.regNo,
      rawCode: entities.rawCode,
      codeStatus: entities.codeStatus,
      address: entities.address,
      status: entities.status,
      mergedIntoId: entities.mergedIntoId,
    })
    .from(entities)
    .where(inArray(entities.id, ids));
  return new Map(es.map((e) => [e.id, e]));
}
interface EntitySummary {
  id: number;
  name: string;
  uscc: string | null;
  regNo: string | null;
  rawCode: string | null;
  codeStatus: string;
  address: string | null;
  status: string;
  mergedIntoId: number | null;
}

function issueView(i: typeof codeIssues.$inferSelect, es: Map<number, EntitySummary>) {
  return {
    id: i.id,
    kind: i.kind,
    kindZh: CODE_ISSUE_KIND_ZH[i.kind as CodeIssueKind] ?? i.kind,
    code: i.code,
    status: i.status,
    note: i.note,
    detail: (i.detail ?? null) as Record<string, unknown> | null,
    entityIds: i.entityIds,
    entities: i.entityIds.map((id) => es.get(id)).filter((e): e is EntitySummary => e !== undefined),
    resolvedBy: i.resolvedBy,
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
  };
}

export async function listCodeIssues(svc: Services, actor: Actor, q: CodeIssueQuery) {
  authorize(actor, 'directory.import');
  const db = svc.database.db;
  const dept = await masterDataReadScope(db, actor);
  const cond = issueConditions(q, dept);
  const list = await db
    .select()
    .from(codeIssues)
    .where(cond)
    .orderBy(asc(codeIssues.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(codeIssues).where(cond);
  const byStatus = await db
    .select({ status: codeIssues.status, n: count() })
    .from(codeIssues)
    .where(scopeCondition(dept))
    .groupBy(codeIssues.status);
  const es = await entitySummaries(db, [...new Set(list.flatMap((i) => i.entityIds))]);
  return {
    items: list.map((i) => issueView(i, es)),
    total: Number(total?.n ?? 0),
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    mayWrite: await mayWriteMasterData(db, actor),
  };
}

export async function getCodeIssue(svc: Services, actor: Actor, id: number) {
  authorize(actor, 'directory.import');
  const dept = await masterDataReadScope(svc.database.db, actor);
  const [i] = await svc.database.db
    .select()
    .from(codeIssues)
    .where(and(eq(codeIssues.id, id), scopeCondition(dept)));
  if (!i) throw new AppError('NOT_FOUND', `No code issue ${id}`);
  return issueView(i, await entitySummaries(svc.database.db, i.entityIds));
}

async function openIssue(tx: Tx, id: number) {
  const [i] = await tx.select().from(codeIssues).where(eq(codeIssues.id, id)).for('update');
  if (!i) throw new AppError('NOT_FOUND', `No code issue ${id}`);
  if (i.status !== 'open') throw new AppError('CONFLICT', `Code issue ${id} is already ${i.status}`);
  return i;
}

async function resolve(tx: Tx, svc: Services, actor: Actor, id: number, status: string, note: string | null) {
  await tx
    .update(codeIssues)
    .set({ status, note, resolvedBy: actor.kind === 'user' ? actor.id : null, resolvedAt: svc.clock() })
    .where(eq(codeIssues.id, id));
}

function actorId(actor: Actor): number | null {
  return actor.kind === 'user' ? actor.id : null;
}

/**
 * Correct an entity's code. The entity keeps its id (its targets, results and records stay
 * attached); the old code is kept in entity_code_history.
 */
export async function correctCode(
  svc: Services,
  actor: Actor,
  issueId: number,
  input: { entityId?: number | undefined; code: string; note: string },
) {
  authorize(actor, 'directory.import');
  await assertMayWriteMasterData(svc.database.db, actor);
  const v = classifyCode(input.code);
  if (v.kind !== 'uscc' && v.kind !== 'reg_no')
    throw new AppError('USCC_MALFORMED', `The new code is neither a USCC nor a registration number`, {
      field: 'code',
      verdict: v.kind,
    });
  const newStatus =
    v.kind === 'reg_no' ? 'reg_no_only' : v.warnings.includes('USCC_CHECK_FAILED') ? 'check_failed' : 'valid';
  return inTransaction(svc, actor, async (tx, audit) => {
    const issue = await openIssue(tx, issueId);
    const entityId = input.entityId ?? (issue.entityIds.length === 1 ? issue.entityIds[0] : undefined);
    if (entityId === undefined || !issue.entityIds.includes(entityId))
      throw new AppError(
        'VALIDATION_FAILED',
        'Name the entity (one of the issue’s entities) whose code is corrected',
        {
          field: 'entityId',
        },
      );
    const [e] = await tx.select().from(entities).where(eq(entities.id, entityId)).for('update');
    if (!e) throw new AppError('NOT_FOUND', `No entity ${entityId}`);
    const next = {
      uscc: v.kind === 'uscc' ? v.code : e.uscc,
      regNo: v.kind === 'reg_no' ? v.code : e.regNo,
      regNoKind: v.kind === 'reg_no' ? v.regNoKind : e.regNoKind,
      codeStatus: newStatus,
    };
    await tx.insert(entityCodeHistory).values({
      entityId,
      action: 'correct',
      oldUscc: e.uscc,
      oldRegNo: e.regNo,
      oldRawCode: e.rawCode,
      oldCodeStatus: e.codeStatus,
      newUscc: next.uscc,
      newRegNo: next.regNo,
      newCodeStatus: next.codeStatus,
      issueId,
      note: input.note,
      changedBy: actorId(actor),
      changedAt: svc.clock(),
    });
    await tx
      .update(entities)
      .set({ ...next, rawCode: null, updatedAt: svc.clock() })
      .where(eq(entities.id, entityId));
    await resolve(tx, svc, actor, issueId, 'corrected', input.note);
    // the corrected code may now be shared with another entity: queue that at once
    await detectCodeIssuesIn(tx, { candidates: { codes: [v.code], nameAddress: [] } });
    await audit({
      action: 'code_issue.correct',
      subjectType: 'entity',
      subjectId: entityId,
      before: { uscc: e.uscc, regNo: e.regNo, rawCode: e.rawCode, codeStatus: e.codeStatus },
      after: { ...next, issueId, note: input.note },
    });
    return getIssueIn(tx, issueId);
  });
}

/**
 * Merge duplicates into one entity: their targets (and so their results), recusals and exclusions
 * move to the kept entity; the others are marked merged (status 已合并, merged_into_id) and keep
 * their rows — nothing is deleted.
 */
export async function mergeEntities(
  svc: Services,
  actor: Actor,
  issueId: number,
  input: { keepId: number; mergeIds?: number[] | undefined; note: string },
) {
  authorize(actor, 'directory.import');
  await assertMayWriteMasterData(svc.database.db, actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    const issue = await openIssue(tx, issueId);
    if (!issue.entityIds.includes(input.keepId))
      throw new AppError('VALIDATION_FAILED', 'The kept entity must be one of the issue’s entities', {
        field: 'keepId',
      });
    const others = (input.mergeIds ?? issue.entityIds).filter((id) => id !== input.keepId);
    if (others.length === 0 || others.some((id) => !issue.entityIds.includes(id)))
      throw new AppError('VALIDATION_FAILED', 'Merge needs at least one other entity of the issue', {
        field: 'mergeIds',
      });
    const all = await tx
      .select()
      .from(entities)
      .where(inArray(entities.id, [input.keepId, ...others]))
      .for('update');
    const keep = all.find((e) => e.id === input.keepId);
    if (!keep) throw new AppError('NOT_FOUND', `No entity ${input.keepId}`);
    const moved = { targets: 0, recusals: 0, exclusions: 0 };
    for (const o of all.filter((e) => e.id !== input.keepId)) {
      if (o.mergedIntoId !== null) throw new AppError('CONFLICT', `Entity ${o.id} is already merged`);
      const t = await tx
        .update(targets)
        .set({ entityId: keep.id })
        .where(eq(targets.entityId, o.id))
        .returning({ id: targets.id });
      const r = await tx
        .update(recusals)
        .set({ entityId: keep.id })
        .where(eq(recusals.entityId, o.id))
        .returning({ id: recusals.id });
      const x = await tx
        .update(entityExclusions)
        .set({ entityId: keep.id })
        .where(eq(entityExclusions.entityId, o.id))
        .returning({ id: entityExclusions.id });
      moved.targets += t.length;
      moved.recusals += r.length;
      moved.exclusions += x.length;
      await tx.insert(entityCodeHistory).values({
        entityId: o.id,
        action: 'merge',
        oldUscc: o.uscc,
        oldRegNo: o.regNo,
        oldRawCode: o.rawCode,
        oldCodeStatus: o.codeStatus,
        newUscc: keep.uscc,
        newRegNo: keep.regNo,
        newCodeStatus: keep.codeStatus,
        mergedIntoId: keep.id,
        issueId,
        note: input.note,
        changedBy: actorId(actor),
        changedAt: svc.clock(),
      });
      await tx
        .update(entities)
        .set({ mergedIntoId: keep.id, status: '已合并', updatedAt: svc.clock() })
        .where(eq(entities.id, o.id));
    }
    // the kept entity supervises the union of departments, licences and tags
    const union = <T>(a: T[]) => [...new Set(a)];
    await tx
      .update(entities)
      .set({
        supervisingDeptIds: union(all.flatMap((e) => e.supervisingDeptIds)),
        licences: union(all.flatMap((e) => e.licences)),
        tags: union(all.flatMap((e) => e.tags)),
        updatedAt: svc.clock(),
      })
      .where(eq(entities.id, keep.id));
    await tx.insert(entityCodeHistory).values({
      entityId: keep.id,
      action: 'merge',
      oldUscc: keep.uscc,
      oldRegNo: keep.regNo,
      oldCodeStatus: keep.codeStatus,
      newUscc: keep.uscc,
      newRegNo: keep.regNo,
      newCodeStatus: keep.codeStatus,
      issueId,
      note: `${input.note}（并入：${others.join('、')}）`,
      changedBy: actorId(actor),
      changedAt: svc.clock(),
    });
    await resolve(tx, svc, actor, issueId, 'merged', input.note);
    await audit({
      action: 'code_issue.merge',
      subjectType: 'entity',
      subjectId: keep.id,
      before: { entities: all.map((e) => ({ id: e.id, uscc: e.uscc, regNo: e.regNo, name: e.name })) },
      after: { keptId: keep.id, mergedIds: others, moved, issueId, note: input.note },
    });
    return getIssueIn(tx, issueId);
  });
}

/** A legal early pilot code that fails the check: code_status 'pilot' (no longer a warning). */
export async function markPilot(svc: Services, actor: Actor, issueId: number, input: { note: string }) {
  authorize(actor, 'directory.import');
  await assertMayWriteMasterData(svc.database.db, actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    const issue = await openIssue(tx, issueId);
    if (issue.kind !== 'check_failed')
      throw new AppError('CONFLICT', 'Only a code that fails the check can be marked as a pilot code');
    const es = await tx.select().from(entities).where(inArray(entities.id, issue.entityIds)).for('update');
    for (const e of es) {
      await tx.insert(entityCodeHistory).values({
        entityId: e.id,
        action: 'pilot',
        oldUscc: e.uscc,
        oldRegNo: e.regNo,
        oldCodeStatus: e.codeStatus,
        newUscc: e.uscc,
        newRegNo: e.regNo,
        newCodeStatus: 'pilot',
        issueId,
        note: input.note,
        changedBy: actorId(actor),
        changedAt: svc.clock(),
      });
      await tx
        .update(entities)
        .set({ codeStatus: 'pilot', updatedAt: svc.clock() })
        .where(eq(entities.id, e.id));
    }
    await resolve(tx, svc, actor, issueId, 'pilot', input.note);
    await audit({
      action: 'code_issue.pilot',
      subjectType: 'code_issue',
      subjectId: issueId,
      before: { codeStatus: es.map((e) => e.codeStatus) },
      after: { codeStatus: 'pilot', entityIds: issue.entityIds, note: input.note },
    });
    return getIssueIn(tx, issueId);
  });
}

export async function dismissCodeIssue(
  svc: Services,
  actor: Actor,
  issueId: number,
  input: { note: string },
) {
  authorize(actor, 'directory.import');
  await assertMayWriteMasterData(svc.database.db, actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    const issue = await openIssue(tx, issueId);
    await resolve(tx, svc, actor, issueId, 'dismissed', input.note);
    await audit({
      action: 'code_issue.dismiss',
      subjectType: 'code_issue',
      subjectId: issueId,
      before: { status: issue.status },
      after: { status: 'dismissed', note: input.note },
    });
    return getIssueIn(tx, issueId);
  });
}

async function getIssueIn(tx: Tx, id: number) {
  const [i] = await tx.select().from(codeIssues).where(eq(codeIssues.id, id));
  if (!i) throw new AppError('NOT_FOUND');
  return issueView(i, await entitySummaries(tx, i.entityIds));
}

/** The queue (filtered) as .xlsx: one row per issue and entity. */
export async function exportCodeIssuesXlsx(
  svc: Services,
  actor: Actor,
  q: Omit<CodeIssueQuery, 'page' | 'pageSize'>,
): Promise<Buffer> {
  authorize(actor, 'directory.import');
  const db = svc.database.db;
  const list = await db
    .select()
    .from(codeIssues)
    .where(issueConditions(q, await masterDataReadScope(db, actor)))
    .orderBy(desc(codeIssues.status), asc(codeIssues.id))
    .limit(200_000);
  const es = await entitySummaries(db, [...new Set(list.flatMap((i) => i.entityIds))].slice(0, 500_000));
  const STATUS_ZH: Record<string, string> = {
    open: '待处理',
    corrected: '已更正',
    merged: '已合并',
    pilot: '试点代码',
    dismissed: '已忽略',
  };
  const aoa: (string | number)[][] = [
    [
      '编号',
      '问题类型',
      '代码',
      '状态',
      '主体ID',
      '主体名称',
      '统一社会信用代码',
      '注册号',
      '原始代码',
      '住所',
      '处理说明',
      '处理时间',
    ],
  ];
  for (const i of list) {
    for (const id of i.entityIds) {
      const e = es.get(id);
      aoa.push([
        i.id,
        CODE_ISSUE_KIND_ZH[i.kind as CodeIssueKind] ?? i.kind,
        i.code ?? '',
        STATUS_ZH[i.status] ?? i.status,
        id,
        e?.name ?? '',
        e?.uscc ?? '',
        e?.regNo ?? '',
        e?.rawCode ?? '',
        e?.address ?? '',
        i.note ?? '',
        i.resolvedAt?.toISOString() ?? '',
      ]);
    }
  }
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  // codes as text, never as numbers (Excel would damage them again)
  for (let r = 1; r < aoa.length; r++)
    for (const c of [2, 6, 7, 8]) {
      const cell = ws[XLSX.utils.encode_cell({ r, c })] as { t: string; z?: string } | undefined;
      if (cell) {
        cell.t = 's';
        cell.z = '@';
      }
    }
  ws['!cols'] = [8, 28, 22, 10, 8, 36, 22, 18, 22, 36, 30, 22].map((wch) => ({ wch }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '重错码');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

/** The code history of an entity (corrections, merges, pilot marks), oldest first. */
export async function entityCodeHistoryOf(db: Executor, entityId: number) {
  const h = await db
    .select()
    .from(entityCodeHistory)
    .where(
      sql`${entityCodeHistory.entityId} = ${entityId} or ${entityCodeHistory.mergedIntoId} = ${entityId}`,
    )
    .orderBy(asc(entityCodeHistory.id));
  return h.map((r) => ({ ...r, changedAt: r.changedAt.toISOString() }));
}
