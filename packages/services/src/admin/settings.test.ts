/**
 * The district rules in the settings table: defaults, a validated and audited change with its
 * history, the generic setting pair, and draws that use the rules in effect at their commitment
 * and keep them afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import {
  AppError,
  DEFAULT_DISTRICT_RULES,
  DISTRICT_RULES_KEY,
  verifyBundleText,
  type CommitmentRecordV2,
  type PublicBundleV2,
} from '@choucha/core';
import { auditEvents, draws, entities, settingsHistory } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { commitDraw, previewDraw, revealDraw } from '../draws.ts';
import { bundleFileOf } from '../campaigns/draw-test-support.ts';
import { createTask } from '../tasks.ts';
import {
  currentRules,
  getRules,
  getSetting,
  listSettingHistory,
  putSetting,
  updateRules,
  uploadLimitBytes,
} from './settings.ts';
import { inTransaction } from '../audit.ts';

const DICE = '16180339887498948482'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const auditCount = async (action: string) =>
  (await w.database.db.select().from(auditEvents).where(eq(auditEvents.action, action))).length;

describe('rules in the settings', () => {
  it('are the defaults while nothing is stored, readable by staff, not by the public', async () => {
    const v = await getRules(w.svc, w.actors.inspector);
    expect(v).toEqual({
      rules: DEFAULT_DISTRICT_RULES,
      defaults: DEFAULT_DISTRICT_RULES,
      version: 0,
      updatedAt: null,
      updatedBy: null,
    });
    expect((await caught(getRules(w.svc, { kind: 'anonymous' }))).code).toBe('AUTH_REQUIRED');
    expect(await uploadLimitBytes(w.svc, 1024 * 1024 * 1024)).toBe(50 * 1024 * 1024);
  });

  it('only the joint office changes them; every problem is coded; nothing is written on refusal', async () => {
    expect((await caught(updateRules(w.svc, w.actors.scjg, { teamSize: 3 }))).code).toBe('FORBIDDEN');
    expect((await caught(updateRules(w.svc, w.actors.leader, { teamSize: 3 }))).code).toBe('FORBIDDEN');
    const e = await caught(
      updateRules(w.svc, w.actors.admin, { teamSize: 11, coolDownMonths: -1, unclassifiedClass: 'E', x: 1 }),
    );
    expect(e.code).toBe('SETTINGS_INVALID');
    expect(e.status).toBe(400);
    expect(e.details).toEqual({
      issues: [
        { field: 'x', code: 'RULE_UNKNOWN_FIELD', params: {}, zh: '未知的规则项', en: 'Unknown rule' },
        {
          field: 'teamSize',
          code: 'RULE_OUT_OF_RANGE',
          params: { min: 2, max: 10 },
          zh: '取值范围为 2–10',
          en: 'Allowed range: 2–10',
        },
        {
          field: 'coolDownMonths',
          code: 'RULE_OUT_OF_RANGE',
          params: { min: 0, max: 36 },
          zh: '取值范围为 0–36',
          en: 'Allowed range: 0–36',
        },
        {
          field: 'unclassifiedClass',
          code: 'RULE_CLASS_UNKNOWN',
          params: { classes: 'A、B、C、D' },
          zh: '须为已配置的风险分类之一：A、B、C、D',
          en: 'Must be one of the configured classes: A、B、C、D',
        },
      ],
    });
    expect(await w.database.db.select().from(settingsHistory)).toEqual([]);
    expect(await auditCount('settings.update')).toBe(0);
    expect((await getRules(w.svc, w.actors.admin)).version).toBe(0);
  });

  it('a change writes the value, a history row and an audit event with before/after, in one go', async () => {
    w.setNow('2026-01-05T08:00:00Z');
    const v = await updateRules(
      w.svc,
      w.actors.admin,
      { teamSize: 3, jointSharePercent: 10, uploadLimitMb: 20 },
      { note: '联席会议 2026 年第 1 次会议决定', version: 0 },
    );
    expect(v).toEqual({
      rules: { ...DEFAULT_DISTRICT_RULES, teamSize: 3, jointSharePercent: 10, uploadLimitMb: 20 },
      defaults: DEFAULT_DISTRICT_RULES,
      version: 1,
      updatedAt: '2026-01-05T08:00:00.000Z',
      updatedBy: 'admin',
    });
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'settings.update'));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({
      actorName: 'admin',
      subjectType: 'setting',
      subjectId: DISTRICT_RULES_KEY,
      before: { teamSize: 2, jointSharePercent: 8, uploadLimitMb: 50 },
      after: {
        teamSize: 3,
        jointSharePercent: 10,
        uploadLimitMb: 20,
        note: '联席会议 2026 年第 1 次会议决定',
      },
    });
    expect(await uploadLimitBytes(w.svc, 1024 * 1024 * 1024)).toBe(20 * 1024 * 1024);
    // the server's own ceiling still wins
    expect(await uploadLimitBytes(w.svc, 1 << 20)).toBe(1 << 20);
    // an unchanged value writes nothing
    await updateRules(w.svc, w.actors.admin, { teamSize: 3 });
    expect(await auditCount('settings.update')).toBe(1);
    // a change based on an old version is refused
    expect((await caught(updateRules(w.svc, w.actors.admin, { yearlyCap: 4 }, { version: 0 }))).code).toBe(
      'SETTINGS_STALE',
    );
    expect((await currentRules(w.svc)).yearlyCap).toBe(3);
  });

  it('history: newest first, who, when, note and exactly what changed', async () => {
    w.setNow('2026-01-06T09:30:00Z');
    await updateRules(w.svc, w.actors.admin, { jointSharePercent: 12.5 }, { version: 1 });
    const h = await listSettingHistory(w.svc, w.actors.admin, DISTRICT_RULES_KEY);
    expect(h.map(({ value: _v, id: _i, ...rest }) => rest)).toEqual([
      {
        changedAt: '2026-01-06T09:30:00.000Z',
        changedBy: 'admin',
        note: null,
        changes: [{ field: 'jointSharePercent', before: 10, after: 12.5 }],
      },
      {
        changedAt: '2026-01-05T08:00:00.000Z',
        changedBy: 'admin',
        note: '联席会议 2026 年第 1 次会议决定',
        changes: [
          { field: 'teamSize', before: 2, after: 3 },
          { field: 'jointSharePercent', before: 8, after: 10 },
          { field: 'uploadLimitMb', before: 50, after: 20 },
        ],
      },
    ]);
    // other keys' history is the joint office's only
    expect((await caught(listSettingHistory(w.svc, w.actors.scjg, 'organisation'))).code).toBe('FORBIDDEN');
  });

  it('the generic pair keeps another key apart (organisation) with its own history', async () => {
    const org = { province: '陕西省', city: '西安市', district: '碑林区', regionCode: '610103' };
    const r = await inTransaction(w.svc, w.actors.admin, (tx) =>
      putSetting(tx, w.svc, w.actors.admin, 'organisation', org, '首次设置'),
    );
    expect(r).toEqual({ before: undefined });
    expect((await getSetting(w.svc, 'organisation'))?.value).toEqual(org);
    const again = await inTransaction(w.svc, w.actors.admin, (tx) =>
      putSetting(tx, w.svc, w.actors.admin, 'organisation', { ...org, district: '雁塔区' }),
    );
    expect(again).toEqual({ before: org });
    expect((await listSettingHistory(w.svc, w.actors.admin, 'organisation')).map((x) => x.value)).toEqual([
      { ...org, district: '雁塔区' },
      org,
    ]);
    expect((await getRules(w.svc, w.actors.admin)).version).toBe(2);
    expect(await getSetting(w.svc, 'nothing-here')).toBeUndefined();
  });
});

describe('draws use the rules of their commitment', () => {
  it('records them; a change after the commitment alters neither the record nor the teams', async () => {
    w.setNow('2026-02-01T08:00:00Z');
    // team size 3 is in effect (set above)
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: '规则记录测试',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-02-10',
      windowEnd: '2026-02-28',
      scope: { streets: ['张家村街道'] },
      sampling: { ratio: 0.1 },
    });
    const committed = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    const expected = {
      teamSize: 3,
      coolDownMonths: 6,
      yearlyCap: 3,
      riskClasses: ['A', 'B', 'C', 'D'],
      unclassifiedClass: 'B',
      maxLoadPerInspector: null,
    };
    const stored = async () =>
      (await w.database.db.select({ rules: draws.rules }).from(draws).where(eq(draws.id, committed.id)))[0]!
        .rules;
    expect(await stored()).toEqual(expected);
    expect(committed.rules).toEqual(expected);
    const record = JSON.parse(committed.commitment) as CommitmentRecordV2;
    expect(record.matching.rules).toEqual({
      teamSize: 3,
      maxLoad: null,
      maxPerDraw: null,
      avoidPrevious: true,
    });
    // the rules change between the commitment and the reveal
    await updateRules(w.svc, w.actors.admin, { teamSize: 2, maxLoadPerInspector: 1, yearlyCap: 1 });
    const drawn = await revealDraw(w.svc, w.actors.scjg, committed.id, { dice: DICE });
    expect(drawn.targets).toHaveLength(3);
    expect(drawn.targets.map((t) => t.team.length)).toEqual([3, 3, 3]);
    expect(await stored()).toEqual(expected);
    expect(drawn.commitment).toBe(committed.commitment);
    expect(drawn.rules).toEqual(expected);
    // the public bundle (protocol v2) verifies with the teams of 3
    const { text, bundle } = await bundleFileOf<PublicBundleV2>(w.svc, committed.id);
    expect(bundle.commitment.matching.rules.teamSize).toBe(3);
    expect(bundle.teams!.map((t) => t.teams[0]!.inspectors.length)).toEqual([3, 3, 3]);
    expect(verifyBundleText(text)).toMatchObject({ verdict: 'verified', stage: 'matched', targets: 3 });

    // the next draw uses the new rules: the cap of 1 a year leaves out the 3 drawn entities
    const next = await createTask(w.svc, w.actors.scjg, {
      name: '新规则测试',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-03-28',
      scope: { streets: ['张家村街道'] },
      sampling: { ratio: 0.1 },
    });
    const p = await previewDraw(w.svc, w.actors.scjg, next);
    expect(p).toMatchObject({ rosterSize: 27, excluded: 3, targets: 3 });
    const d2 = await commitDraw(w.svc, w.actors.scjg, next, { seedSource: { dice: true } });
    expect(
      (await w.database.db.select({ rules: draws.rules }).from(draws).where(eq(draws.id, d2.id)))[0]!.rules,
    ).toEqual({ ...expected, teamSize: 2, yearlyCap: 1, maxLoadPerInspector: 1 });
    expect((JSON.parse(d2.commitment) as CommitmentRecordV2).matching.rules).toEqual({
      teamSize: 2,
      maxLoad: 1,
      maxPerDraw: null,
      avoidPrevious: true,
    });
    await updateRules(w.svc, w.actors.admin, { teamSize: 3, maxLoadPerInspector: null, yearlyCap: 3 });
  });

  it('an entity without a class is drawn in the class the rules name', async () => {
    const ids = (
      await w.database.db.select({ id: entities.id }).from(entities).orderBy(asc(entities.id))
    ).map((r) => r.id);
    // entity 0 is class A, entity 4 class C: unclassified now
    await w.database.db
      .update(entities)
      .set({ riskClass: null })
      .where(inArray(entities.id, [ids[0]!, ids[4]!]));
    const t = await createTask(w.svc, w.actors.scjg, {
      name: '未分类测试',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-11-10',
      windowEnd: '2026-11-28',
      sampling: { ratio: 0.1, classes: { A: 0.1, B: 0.1, C: 0.1, D: 0.1 } },
    });
    const pop = async () =>
      Object.fromEntries(
        (await previewDraw(w.svc, w.actors.scjg, t)).strata.map((s) => [s.riskClass, s.population]),
      );
    // 60 entities, classes A,B,B,B,C,D in turn (10/30/10/10); two have lost their class
    expect(await pop()).toEqual({ A: 9, B: 32, C: 9, D: 10 });
    await updateRules(w.svc, w.actors.admin, { unclassifiedClass: 'D' });
    expect(await pop()).toEqual({ A: 9, B: 30, C: 9, D: 12 });
  });
});
