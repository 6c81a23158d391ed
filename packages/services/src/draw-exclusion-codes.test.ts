/**
 * Every exclusion of a draw is stored with a stable code and its parameters (draw_exclusions.reason_code,
 * reason_params) beside the English sentence, so the UI shows it in Chinese (issue 8 §6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawExclusions, entities } from '@choucha/db';
import { drawExclusionText, isDrawExclusionCode, type DrawExclusionCode } from '@choucha/core';
import { asc, eq } from 'drizzle-orm';
import { openTestWorld, testUscc, type TestWorld } from './testing.ts';
import { commitDraw, listDrawExclusions, previewDraw } from './draws.ts';
import { excludeEntity } from './exclusions.ts';
import { createTask } from './tasks.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 12 });
});
afterAll(async () => {
  await w?.cleanup();
});

describe('draw exclusions carry a code and parameters', () => {
  it('stores code, params and the English sentence; the code renders in Chinese', async () => {
    const [a, b, c, d] = [w.entityIds[2]!, w.entityIds[4]!, w.entityIds[5]!, w.entityIds[7]!];
    // a: no usable code; c: the same USCC as b; d: temporarily excluded
    await w.database.db.update(entities).set({ uscc: null, regNo: null }).where(eq(entities.id, a));
    const [bRow] = await w.database.db
      .select({ uscc: entities.uscc })
      .from(entities)
      .where(eq(entities.id, b));
    expect(bRow!.uscc).toBe(testUscc(4));
    await w.database.db.update(entities).set({ uscc: bRow!.uscc }).where(eq(entities.id, c));
    await excludeEntity(w.svc, w.actors.admin, d, { reason: '整治期间', fromDate: '2026-01-01' });

    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: '代码测试',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-28',
      sampling: { ratio: 1 },
    });
    const p = await previewDraw(w.svc, w.actors.scjg, taskId);
    expect(p.excluded).toBe(3);
    expect([...p.exclusionsByReason].sort((x, y) => x.code.localeCompare(y.code))).toEqual([
      { code: 'DRAW_EXCLUDED_DUPLICATE_CODE', reason: 'duplicate code', count: 1 },
      { code: 'DRAW_EXCLUDED_NO_CODE', reason: 'no usable code', count: 1 },
      { code: 'DRAW_EXCLUDED_TEMPORARY', reason: 'temporarily excluded', count: 1 },
    ]);

    const draw = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    expect(draw.rosterSize).toBe(9);
    const listed = await listDrawExclusions(w.svc, w.actors.scjg, draw.id);
    const byEntity = new Map(listed.map((e) => [e.entityId, e]));
    expect(byEntity.get(a)).toMatchObject({
      reasonCode: 'DRAW_EXCLUDED_NO_CODE',
      reasonParams: {},
      reason: 'no usable code (USCC or registration number); see the 重错码 queue',
    });
    expect(byEntity.get(c)).toMatchObject({
      reasonCode: 'DRAW_EXCLUDED_DUPLICATE_CODE',
      reasonParams: { code: testUscc(4), otherEntityId: b },
      reason: `duplicate code ${testUscc(4)} (also entity ${b}); pending 重错码 correction`,
    });
    expect(byEntity.get(d)).toMatchObject({
      reasonCode: 'DRAW_EXCLUDED_TEMPORARY',
      reasonParams: { reason: '整治期间' },
      reason: 'temporarily excluded: 整治期间',
    });
    expect(listed).toHaveLength(3);

    // what the web shows for each, in Chinese
    const zh = listed
      .map((e) => {
        expect(isDrawExclusionCode(e.reasonCode)).toBe(true);
        return drawExclusionText(
          e.reasonCode as DrawExclusionCode,
          e.reasonParams as Record<string, string | number>,
          'zh',
        );
      })
      .sort();
    expect(zh).toEqual(
      [
        '无可用代码（统一社会信用代码或注册号），见重错码纠错',
        `代码 ${testUscc(4)} 重复（另见主体 #${b}），待重错码纠错`,
        '暂时排除出抽取：整治期间',
      ].sort(),
    );

    // the rows as stored
    const rows = await w.database.db
      .select({ code: drawExclusions.reasonCode })
      .from(drawExclusions)
      .where(eq(drawExclusions.drawId, draw.id))
      .orderBy(asc(drawExclusions.entityId));
    expect(rows.map((r) => r.code)).toEqual([
      'DRAW_EXCLUDED_NO_CODE',
      'DRAW_EXCLUDED_DUPLICATE_CODE',
      'DRAW_EXCLUDED_TEMPORARY',
    ]);
  });
});
