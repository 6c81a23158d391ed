import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { eq } from 'drizzle-orm';
import { completeUscc, isAppError } from '@choucha/core';
import { auditEvents, entities, targets } from '@choucha/db';
import { openTestWorld, type TestWorld } from './testing.ts';
import { runImport } from './imports/index.ts';
import {
  correctCode,
  detectCodeIssues,
  dismissCodeIssue,
  exportCodeIssuesXlsx,
  listCodeIssues,
  markPilot,
  mergeEntities,
} from './code-issues.ts';
import { getEntity, searchEntities } from './directories.ts';
import { commitDraw, createTask, revealDraw } from './index.ts';

let w: TestWorld;
const GOOD = completeUscc('91610103MA6U0A1B2');
const OTHER = completeUscc('91610103MA6U0A1C3');
// a USCC with a wrong check character (an early pilot code looks like this)
const BAD_CHECK = `${GOOD.slice(0, 17)}${GOOD[17] === '0' ? '1' : '0'}`;

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  const csv = [
    '企业名称,统一社会信用代码,注册号,住所',
    `甲公司,${GOOD},,碑林区南大街1号`,
    `乙公司,${GOOD},,碑林区南大街2号`, // the same code on a different entity
    `丙公司,${OTHER},,碑林区东大街9号`,
    `丙公司,,610103600123454,碑林区东大街9号`, // the same entity under another code
    `丁公司,${BAD_CHECK},,碑林区西大街3号`,
    `戊公司,9.14690062012665E+17,,碑林区北大街4号`,
    `己公司,91610103MA6U0A1B,,碑林区北大街5号`,
  ].join('\n');
  await runImport(w.svc, w.actors.scjg, {
    kind: 'entities',
    fileName: 'q.csv',
    data: Buffer.from(csv),
    commit: true,
  });
});
afterAll(async () => {
  await w?.cleanup();
});

async function issue(kind: string) {
  const l = await listCodeIssues(w.svc, w.actors.admin, { page: 1, pageSize: 50, kind, status: 'open' });
  const i = l.items[0];
  if (!i) throw new Error(`no open ${kind} issue`);
  return i;
}

async function lastAudit(action: string) {
  const ev = await w.database.db.select().from(auditEvents).where(eq(auditEvents.action, action));
  return ev.at(-1);
}

describe('重错码 queue', () => {
  it('detects every kind after an import commit', async () => {
    const l = await listCodeIssues(w.svc, w.actors.admin, { page: 1, pageSize: 50 });
    const kinds = new Set(l.items.map((i) => i.kind));
    for (const k of ['duplicate_code', 'multiple_codes', 'check_failed', 'unrecoverable', 'malformed'])
      expect(kinds, k).toContain(k);
    expect(l.byStatus['open']).toBe(l.total);
    // on demand: nothing new
    expect((await detectCodeIssues(w.svc, w.actors.admin)).added).toBe(0);
  });

  it('correct: the entity keeps its id and history; old code kept; audited', async () => {
    const i = await issue('unrecoverable');
    const id = i.entityIds[0]!;
    const fixed = completeUscc('91610103MA6U0A1D4');
    const r = await correctCode(w.svc, w.actors.scjg, i.id, { code: fixed, note: '据营业执照更正' });
    expect(r.status).toBe('corrected');
    const e = await getEntity(w.svc, w.actors.scjg, id);
    expect(e.uscc).toBe(fixed);
    expect(e.codeStatus).toBe('valid');
    expect(e.codeHistory[0]?.oldRawCode).toBe('9.14690062012665E+17');
    expect((await lastAudit('code_issue.correct'))?.subjectId).toBe(String(id));
    // a bad new code is refused
    const m = await issue('malformed');
    await expect(correctCode(w.svc, w.actors.scjg, m.id, { code: '12345', note: 'x' })).rejects.toSatisfy(
      (e) => isAppError(e) && e.code === 'USCC_MALFORMED',
    );
    // a resolved entry cannot be resolved again
    await expect(dismissCodeIssue(w.svc, w.actors.scjg, i.id, { note: 'again' })).rejects.toSatisfy(
      (e) => isAppError(e) && e.code === 'CONFLICT',
    );
  });

  it('merge: targets move to the kept entity; the other is marked merged, not deleted; audited', async () => {
    const i = await issue('multiple_codes');
    const [keepId, otherId] = i.entityIds as [number, number];
    // give the other entity an inspection history: draw it into a task
    const task = await createTask(w.svc, w.actors.scjg, {
      name: 'merge-history',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      sampling: { ratio: 1 },
    });
    const d = await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } });
    await revealDraw(w.svc, w.actors.scjg, d.id, { dice: '11111222223333344444' });
    const before = await w.database.db.select().from(targets).where(eq(targets.entityId, otherId));
    const r = await mergeEntities(w.svc, w.actors.admin, i.id, { keepId, note: '同一主体，新旧代码' });
    expect(r.status).toBe('merged');
    const after = await w.database.db.select().from(targets).where(eq(targets.entityId, keepId));
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    const [other] = await w.database.db.select().from(entities).where(eq(entities.id, otherId));
    expect(other?.mergedIntoId).toBe(keepId);
    expect(other?.status).toBe('已合并');
    const kept = await getEntity(w.svc, w.actors.admin, keepId);
    expect(kept.codeHistory.some((h) => h.action === 'merge' && h.mergedIntoId === keepId)).toBe(true);
    expect(kept.inspections.length).toBeGreaterThanOrEqual(before.length);
    expect(((await lastAudit('code_issue.merge'))?.after as { mergedIds: number[] }).mergedIds).toEqual([
      otherId,
    ]);
    // merged entities are hidden from search unless asked for
    const s = await searchEntities(w.svc, w.actors.admin, { page: 1, pageSize: 20, q: '丙公司' });
    expect(s.items.map((x) => x.id)).toEqual([keepId]);
  });

  it('pilot: code_status pilot; audited; only for a failed check', async () => {
    const i = await issue('check_failed');
    await markPilot(w.svc, w.actors.scjg, i.id, { note: '早期试点代码，经核实合法' });
    const [e] = await w.database.db.select().from(entities).where(eq(entities.id, i.entityIds[0]!));
    expect(e?.codeStatus).toBe('pilot');
    expect(await lastAudit('code_issue.pilot')).toBeDefined();
    const dup = await issue('duplicate_code');
    await expect(markPilot(w.svc, w.actors.scjg, dup.id, { note: 'no' })).rejects.toSatisfy(
      (x) => isAppError(x) && x.code === 'CONFLICT',
    );
  });

  it('dismiss: audited; the finding is not queued again', async () => {
    const i = await issue('duplicate_code');
    await dismissCodeIssue(w.svc, w.actors.scjg, i.id, { note: '两家公司确为不同主体，代码待登记机关核实' });
    expect((await lastAudit('code_issue.dismiss'))?.subjectId).toBe(String(i.id));
    expect((await detectCodeIssues(w.svc, w.actors.admin)).added).toBe(0);
  });

  it('exports the queue as xlsx with codes as text; inspectors may not see the queue', async () => {
    const buf = await exportCodeIssuesXlsx(w.svc, w.actors.admin, {});
    const wb = XLSX.read(buf);
    const rows = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets['重错码']!);
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.some((r) => r['统一社会信用代码'] === GOOD)).toBe(true);
    await expect(listCodeIssues(w.svc, w.actors.inspector, { page: 1, pageSize: 10 })).rejects.toSatisfy(
      (x) => isAppError(x) && x.code === 'FORBIDDEN',
    );
  });
});
