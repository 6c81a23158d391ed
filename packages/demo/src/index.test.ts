import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyCode } from '@choucha/core';
import {
  DEMO_TODAY,
  DEMO_USERS,
  ENTERPRISE_TYPES,
  H1_END,
  SEED_H1,
  ENTITY_CSV_HEADERS,
  SEED_JOINT_BATCHES,
  addDays,
  generateDistrict,
  isActive,
  matchesScope,
  RECORDED_BEACONS,
  resultFor,
  roundTime,
  writeEntitiesCsv,
  type DemoDistrict,
} from './index.ts';

const district: DemoDistrict = generateDistrict();
const share = (n: number) => n / district.entities.length;
const countBy = <T>(xs: readonly T[], f: (x: T) => boolean) => xs.filter(f).length;

function sha(x: unknown): string {
  return createHash('sha256').update(JSON.stringify(x)).digest('hex');
}

describe('generateDistrict', () => {
  it('is deterministic: same seed, same district; another seed, another district', () => {
    const again = generateDistrict();
    expect(sha(again)).toBe(sha(district));
    expect(sha(generateDistrict('another-seed').entities.slice(0, 50))).not.toBe(
      sha(district.entities.slice(0, 50)),
    );
  });

  it('matches the snapshot hash of the default seed', () => {
    expect(sha(district)).toMatchSnapshot();
  });

  it('has the 18 member units, one lead under the city bureau', () => {
    const district18 = district.departments.filter((d) => d.level === 'district');
    expect(district18).toHaveLength(18);
    expect(new Set(district.departments.map((d) => d.code)).size).toBe(district.departments.length);
    const leads = district18.filter((d) => d.isLead);
    expect(leads.map((d) => d.shortName)).toEqual(['区市场监管局']);
    const city = district.departments.find((d) => d.level === 'city');
    expect(city?.regionCode).toBe('610100');
    expect(leads[0]?.parentCode).toBe(city?.code);
    for (const name of [
      '区教育局',
      '公安碑林分局',
      '生态环境碑林分局',
      '区经贸局（区交通运输局）',
      '区文化和旅游体育局',
      '区统计局',
      '区城管局',
      '区人社局',
      '区司法局',
      '区政府办',
    ]) {
      expect(district18.map((d) => d.shortName)).toContain(name);
    }
    for (const d of district18) {
      expect(d.regionCode).toBe('610103');
      expect(d.contactPhone).toMatch(/^029-8\d{7}$/);
    }
  });

  it('has about 30,000 entities in realistic proportions', () => {
    const es = district.entities;
    expect(es.length).toBeGreaterThanOrEqual(28_000);
    expect(es.length).toBeLessThanOrEqual(32_000);
    expect(share(countBy(es, (e) => ENTERPRISE_TYPES.includes(e.entityType)))).toBeGreaterThan(0.4);
    expect(share(countBy(es, (e) => ENTERPRISE_TYPES.includes(e.entityType)))).toBeLessThan(0.5);
    expect(share(countBy(es, (e) => e.entityType === '个体工商户'))).toBeGreaterThan(0.45);
    expect(share(countBy(es, (e) => e.entityType === '个体工商户'))).toBeLessThan(0.55);
    expect(countBy(es, (e) => e.entityType === '农民专业合作社')).toBeGreaterThan(0);
    expect(countBy(es, (e) => e.entityType === '农民专业合作社')).toBeLessThan(100);
    expect(share(countBy(es, (e) => e.entityType === '分支机构'))).toBeGreaterThan(0.02);
    const risk = (c: string) => share(countBy(es, (e) => e.riskClass === c));
    expect(risk('A')).toBeGreaterThan(0.27);
    expect(risk('A')).toBeLessThan(0.33);
    expect(risk('B')).toBeGreaterThan(0.51);
    expect(risk('B')).toBeLessThan(0.59);
    expect(risk('C')).toBeGreaterThan(0.1);
    expect(risk('C')).toBeLessThan(0.14);
    expect(risk('D')).toBeGreaterThan(0.02);
    expect(risk('D')).toBeLessThan(0.04);
    expect(share(countBy(es, isActive))).toBeGreaterThan(0.88);
    expect(new Set(es.map((e) => e.street)).size).toBe(8);
    expect(new Set(es.map((e) => e.name)).size).toBe(es.length);
    const bad = es.filter(
      (e) =>
        !e.address.startsWith('陕西省西安市碑林区') ||
        !(e.establishedOn >= '1995-01-01' && e.establishedOn <= DEMO_TODAY) ||
        e.supervisingDeptCodes[0] !== 'SCJG' ||
        (e.registeredCapital !== null && !/^\d+(\.\d+)?$/.test(e.registeredCapital)),
    );
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('has ≥ 97% usable codes with realistic defects, and codeStatus agrees with classifyCode', () => {
    const es = district.entities;
    const n = (s: string) => countBy(es, (e) => e.codeStatus === s);
    expect(share(n('valid') + n('reg_no_only'))).toBeGreaterThanOrEqual(0.97);
    expect(share(n('valid'))).toBeGreaterThan(0.94);
    // of the USCCs that are present, ≥ 97% pass the check character
    expect(n('valid') / (n('valid') + n('check_failed'))).toBeGreaterThanOrEqual(0.97);
    expect(share(n('reg_no_only'))).toBeGreaterThan(0.02);
    expect(share(n('reg_no_only'))).toBeLessThan(0.04);
    expect(share(n('missing'))).toBeGreaterThan(0.005);
    expect(share(n('missing'))).toBeLessThan(0.015);
    expect(n('check_failed')).toBeGreaterThan(50);
    expect(n('unrecoverable')).toBeGreaterThan(30);
    const usccs = es.map((e) => e.uscc).filter((u): u is string => u !== null && u !== undefined);
    const dup = usccs.length - new Set(usccs).size;
    expect(dup).toBeGreaterThan(10);
    expect(dup).toBeLessThan(100);
    const kindPrefix = {
      有限责任公司: '91',
      股份有限公司: '91',
      分支机构: '91',
      个体工商户: '92',
      农民专业合作社: '93',
    } as const;
    const bad: unknown[] = [];
    for (const e of es) {
      const raw = e.rawCode ?? e.uscc ?? e.regNo;
      const v = classifyCode(raw, e.regionCode);
      const expected =
        v.kind === 'uscc'
          ? v.warnings.includes('USCC_CHECK_FAILED')
            ? 'check_failed'
            : 'valid'
          : v.kind === 'reg_no'
            ? 'reg_no_only'
            : v.kind;
      if (e.codeStatus !== expected) bad.push([e.name, raw, e.codeStatus, expected]);
      if (e.codeStatus === 'valid' && e.uscc?.slice(0, 2) !== kindPrefix[e.entityType])
        bad.push([e.name, e.uscc, e.entityType]);
    }
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('has about 200 inspectors in existing departments with fields of their department', () => {
    const codes = new Set(district.departments.map((d) => d.code));
    expect(district.inspectors.length).toBeGreaterThanOrEqual(180);
    expect(district.inspectors.length).toBeLessThanOrEqual(220);
    for (const i of district.inspectors) {
      expect(codes.has(i.departmentCode)).toBe(true);
      expect(i.fields.length).toBeGreaterThan(0);
      expect(i.certNo).toMatch(/^610103\d{8}$/);
      expect(i.certValidFrom < i.certValidTo).toBe(true);
    }
    expect(countBy(district.inspectors, (i) => i.departmentCode === 'SCJG')).toBe(60);
    expect(countBy(district.inspectors, (i) => i.certValidTo < DEMO_TODAY)).toBeGreaterThan(0);
    // the others hold a certificate through the whole demo year and today's (a task of 2026 draws them)
    for (const i of district.inspectors.filter((x) => x.certValidTo >= DEMO_TODAY)) {
      expect(i.certValidFrom <= '2023-01-01' && i.certValidTo >= '2027-01-01', i.name).toBe(true);
    }
    expect(
      countBy(district.inspectors, (i) => i.statusPeriods.some((p) => p.status === '休假')),
    ).toBeGreaterThan(0);
    expect(
      countBy(district.inspectors, (i) => i.statusPeriods.some((p) => p.status === '借调')),
    ).toBeGreaterThan(0);
    expect(new Set(district.inspectors.map((i) => i.certNo)).size).toBe(district.inspectors.length);
    for (const r of district.recusals) {
      expect(district.inspectors[r.inspectorIndex]).toBeDefined();
      expect(district.entities[r.entityIndex]).toBeDefined();
    }
    expect(district.recusals.length).toBeGreaterThan(0);
  });

  it('gives every department 3–12 items, each matching some of its directory', () => {
    for (const d of district.departments.filter((x) => x.level === 'district')) {
      const list = district.itemLists.find((l) => l.departmentCode === d.code);
      expect(list, d.code).toBeDefined();
      expect(list?.items.length).toBeGreaterThanOrEqual(3);
      expect(list?.items.length).toBeLessThanOrEqual(12);
      for (const item of list?.items ?? []) {
        expect(item.subjects).toEqual([d.name]);
        expect(item.basis.every((b) => b.startsWith('《'))).toBe(true);
        const inScope = district.entities.filter(
          (e) => isActive(e) && e.supervisingDeptCodes.includes(d.code) && matchesScope(e, item.scope),
        );
        expect(inScope.length, `${d.code} ${item.name}`).toBeGreaterThan(0);
        const able = district.inspectors.filter(
          (i) => i.departmentCode === d.code && i.active && i.fields.includes(item.field),
        );
        expect(able.length, `${d.code} ${item.field}`).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('has joint batches exactly as the seed bulletin in H1: 11 batches, 53 objects', () => {
    const joint = district.batches.filter((b) => b.isJoint && b.windowStart <= H1_END);
    expect(joint).toHaveLength(11);
    expect(joint.reduce((s, b) => s + b.targetCount, 0)).toBe(53);
    const per = (code: string) => joint.filter((b) => b.departmentCode === code);
    const expected: Record<string, [number, number]> = {
      JYJ: [2, 10],
      GAFJ: [1, 1],
      STHJ: [1, 1],
      JMJ: [1, 8],
      WLTJ: [3, 13],
      TJJ: [1, 4],
      CGJ: [1, 8],
      RSJ: [1, 8],
    };
    for (const [code, [batches, objects]] of Object.entries(expected)) {
      expect(per(code), code).toHaveLength(batches);
      expect(
        per(code).reduce((s, b) => s + b.targetCount, 0),
        code,
      ).toBe(objects);
    }
    expect(SEED_JOINT_BATCHES.reduce((s, j) => s + j.targets, 0)).toBe(53);
    for (const b of joint) {
      const ji = district.jointItems[b.jointItemIndex ?? -1];
      expect(ji?.leadDepartmentCode).toBe(b.departmentCode);
      expect(b.cooperatingDepartmentCodes.length).toBeGreaterThan(0);
      expect(b.windowEnd <= H1_END).toBe(true);
      expect(b.timeline.published! <= H1_END).toBe(true);
    }
    // and 3 more in the second half: one published, one drawn, one planned for December
    expect(
      district.batches
        .filter((b) => b.isJoint && b.windowStart > H1_END)
        .map((b) => [b.departmentCode, b.stage]),
    ).toEqual([
      ['JYJ', 'published'],
      ['WLTJ', 'matched'],
      ['CGJ', 'planned'],
    ]);
  });

  it('has the bulletin’s first half: 63 batches and 578 objects published by 30 June, every step of a batch on its day', () => {
    const bs = district.batches;
    const h1 = bs.filter((b) => b.timeline.published !== null && b.timeline.published <= H1_END);
    expect(h1).toHaveLength(SEED_H1.batches);
    expect(h1.reduce((n, b) => n + b.targetCount, 0)).toBe(SEED_H1.entities);
    expect(h1.filter((b) => b.isJoint)).toHaveLength(SEED_H1.jointBatches);
    expect(h1.filter((b) => b.isJoint).reduce((n, b) => n + b.targetCount, 0)).toBe(SEED_H1.jointEntities);
    // the H1 batches are exactly those whose window opens in H1 (none is published in July)
    expect(bs.filter((b) => b.windowStart <= H1_END)).toEqual(h1);
    const count = (stage: string) => countBy(bs, (b) => b.stage === stage);
    expect([count('published'), count('results'), count('matched'), count('planned')]).toEqual([
      73, 5, 5, 22,
    ]);
    for (const b of bs) {
      const t = b.timeline;
      const steps = [t.created, t.committed, t.revealed, t.inspected, t.entered, t.reviewed, t.published];
      const reached = steps.filter((x): x is string => x !== null);
      // steps in order, all by DEMO_TODAY, as far as the stage says
      expect(reached, b.name).toEqual([...reached].sort());
      expect(
        reached.every((x) => x <= DEMO_TODAY),
        b.name,
      ).toBe(true);
      expect(reached.length, b.name).toBe({ planned: 0, matched: 3, results: 5, published: 7 }[b.stage]);
      expect(steps.slice(0, reached.length), b.name).toEqual(reached);
      if (b.stage === 'planned') expect(b.windowStart > DEMO_TODAY, b.name).toBe(true);
      if (t.revealed) expect(t.revealed < b.windowStart && t.created! >= '2023-01-18', b.name).toBe(true);
      if (t.inspected) expect(t.inspected >= b.windowStart && t.inspected <= b.windowEnd, b.name).toBe(true);
    }
  });

  it('commits every opened batch’s draw to its dice and a recorded drand round published a minute or more later, and reveals it at or after that round, before its window', () => {
    const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
    for (const b of district.batches) {
      if (b.stage === 'planned') {
        expect(b.draw, b.name).toBeNull();
        continue;
      }
      const d = b.draw!;
      expect(RECORDED_BEACONS, b.name).toContain(d.beacon);
      const roundAt = roundTime(d.beacon.chain, d.beacon.round).getTime();
      expect(roundAt - Date.parse(d.committedAt), b.name).toBeGreaterThanOrEqual(60_000);
      expect(Date.parse(d.revealedAt), b.name).toBeGreaterThanOrEqual(roundAt);
      // the timeline's days are the draw's (China time), the task's day not after the commitment
      expect(b.timeline.committed, b.name).toBe(chinaDay(d.committedAt));
      expect(b.timeline.revealed, b.name).toBe(chinaDay(d.revealedAt));
      expect(b.timeline.created! <= b.timeline.committed!, b.name).toBe(true);
      // the dice are rolled before the reveal is entered, after the commitment
      expect(d.ceremony.at > d.committedAt && d.ceremony.at < d.revealedAt, b.name).toBe(true);
      expect(d.ceremony.place, b.name).toMatch(/会议室|执法大厅$/);
      expect(d.ceremony.rolledBy, b.name).toMatch(/^\p{Script=Han}{2,3}（.+）$/u);
      expect(d.ceremony.witnesses[0], b.name).toMatch(
        /^\p{Script=Han}{2,3}（区纪委监委派驻第.纪检监察组）$/u,
      );
      expect(d.ceremony.witnesses[1], b.name).toMatch(/^\p{Script=Han}{2,3}（西安市汉唐公证处公证员）$/u);
      expect(d.ceremony.witnesses.length, b.name).toBeLessThanOrEqual(3);
    }
    // the draws of the year on 6 of the 12 recorded rounds, in time order of their windows
    const opened = district.batches.filter((b) => b.draw !== null);
    expect(opened).toHaveLength(83);
    const runs: [string, number][] = [];
    for (const b of opened) {
      const k = `${b.draw!.beacon.chain} ${b.draw!.beacon.round}`;
      const last = runs[runs.length - 1];
      if (last?.[0] === k) last[1]++;
      else runs.push([k, 1]);
    }
    expect(runs).toEqual([
      ['default 2634945', 25],
      ['default 2888337', 47],
      ['quicknet 10', 1],
      ['quicknet 657413', 1],
      ['default 3311596', 1],
      ['quicknet 657413', 1],
      ['default 3366165', 7],
    ]);
    // the usual days (committed 7 days, revealed 6 days before the window) move only as far as the
    // beacon needs: 4 draws keep their commitment day, 2 of them (whose beacon comes after the usual
    // reveal) reveal the day after it; the 79 others are committed on their beacon's day (their task
    // created that day too when it is earlier than usual) and keep their usual reveal
    const keptCommit = opened.filter((b) => b.timeline.committed === addDays(b.windowStart, -7));
    expect(keptCommit.map((b) => b.index)).toEqual([25, 73, 76, 77]);
    const movedReveal = opened.filter((b) => b.timeline.revealed !== addDays(b.windowStart, -6));
    expect(movedReveal.map((b) => [b.index, b.timeline.revealed])).toEqual([
      [76, '2023-10-05'],
      [77, '2023-10-05'],
    ]);
    const movedTask = opened.filter((b) => b.timeline.created !== addDays(b.windowStart, -10));
    expect(movedTask).toHaveLength(78);
  });

  it('has an annual plan for every department and the joint plan, which hold every batch once', () => {
    const plans = district.plans;
    expect(plans).toHaveLength(1 + 18);
    expect(plans.filter((p) => p.kind === 'joint').map((p) => p.departmentCode)).toEqual([null]);
    expect(
      plans
        .filter((p) => p.kind === 'department')
        .map((p) => p.departmentCode)
        .sort(),
    ).toEqual(
      district.departments
        .filter((d) => d.level === 'district')
        .map((d) => d.code)
        .sort(),
    );
    const all = plans.flatMap((p) => p.batchIndexes).sort((a, b) => a - b);
    expect(all).toEqual(district.batches.map((b) => b.index));
    for (const p of plans) {
      expect(p.year).toBe(2023);
      expect(p.batchIndexes.length, p.name).toBeGreaterThan(0);
      for (const i of p.batchIndexes) {
        const b = district.batches[i]!;
        expect(b.isJoint, p.name).toBe(p.kind === 'joint');
        if (p.kind === 'department') expect(b.departmentCode).toBe(p.departmentCode);
      }
    }
    // the seed's "60 % of the year's tasks by the end of June": 63 of the plans' 105 batches
    expect(district.batches).toHaveLength(105);
    expect(SEED_H1.batches / district.batches.length).toBe(0.6);
  });

  it('has batches over Feb–Dec 2023 that can be drawn from the directory', () => {
    const bs = district.batches;
    bs.forEach((b, i) => expect(b.index).toBe(i));
    for (const b of bs) {
      expect(b.year).toBe(2023);
      expect(b.windowStart >= '2023-02-01' && b.windowEnd <= '2023-12-31').toBe(true);
      expect(b.windowStart < b.windowEnd).toBe(true);
      expect(b.dice).toMatch(/^\d{20}$/);
      expect(b.sampling.min).toBeLessThanOrEqual(b.targetCount);
      expect(b.sampling.max).toBeGreaterThanOrEqual(b.targetCount);
      if (b.sampling.mode === 'classes')
        for (const r of Object.values(b.sampling.classes)) expect(r).toBeGreaterThan(0);
      // a department's own batch plans 3–30 targets (joint batches follow the bulletin's counts), at
      // most that many in all; by risk class at least one per class (不免抽)
      expect(b.isJoint || (b.targetCount >= 3 && b.targetCount <= 30), b.name).toBe(true);
      expect(b.sampling.max, b.name).toBe(b.targetCount);
      if (b.sampling.mode === 'classes') expect(b.targetCount, b.name).toBeGreaterThanOrEqual(4);
      expect(b.usesRiskClass, b.name).toBe(b.sampling.mode === 'classes');
      const list = (code: string) => district.itemLists.find((l) => l.departmentCode === code);
      for (const r of b.items) expect(list(r.departmentCode)?.items[r.index], b.name).toBeDefined();
      const pool = district.entities.filter(
        (e) => isActive(e) && e.supervisingDeptCodes.includes(b.departmentCode) && matchesScope(e, b.scope),
      );
      expect(pool.length, b.name).toBeGreaterThanOrEqual(b.targetCount);
    }
    expect(countBy(bs, (b) => b.published)).toBe(countBy(bs, (b) => b.stage === 'published'));
  });

  it('resultFor is deterministic, mostly 未发现问题, ~10% problems, published as its batch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: district.batches.length - 1 }), fc.string(), (i, key) => {
        const r = resultFor(i, key);
        expect(resultFor(i, key)).toEqual(r);
        expect(r.codes.length).toBeGreaterThan(0);
        expect(r.followUps.length).toBeGreaterThan(0);
        expect(r.published).toBe(district.batches[i]?.published);
      }),
    );
    let clean = 0;
    const n = 4000;
    for (let k = 0; k < n; k++)
      if (resultFor(k % district.batches.length, `key-${k}`).codes[0] === '未发现问题') clean++;
    expect(clean / n).toBeGreaterThan(0.85);
    expect(clean / n).toBeLessThan(0.93);
  });

  it('writes a CSV with the Chinese headers, one row per entity', () => {
    const sample = district.entities.slice(0, 500);
    const csv = writeEntitiesCsv(sample);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(ENTITY_CSV_HEADERS.join(','));
    expect(lines).toHaveLength(sample.length + 2);
    expect(writeEntitiesCsv(sample, { bom: true }).startsWith('\uFEFF企业名称')).toBe(true);
    const sci = district.entities.find((e) => e.codeStatus === 'unrecoverable');
    expect(writeEntitiesCsv(sci ? [sci] : [])).toContain(sci?.rawCode ?? '');
  });

  it('has demo users in existing departments, inspector1 linked to an available inspector', () => {
    const codes = new Set(district.departments.map((d) => d.code));
    for (const u of DEMO_USERS) if (u.departmentCode) expect(codes.has(u.departmentCode)).toBe(true);
    const u = DEMO_USERS.find((x) => x.username === 'inspector1');
    const i = district.inspectors[u?.inspectorIndex ?? -1];
    expect(i?.departmentCode).toBe('SCJG');
    expect(i?.active).toBe(true);
    expect(i?.statusPeriods).toEqual([]);
    expect(DEMO_USERS.map((x) => x.role)).toEqual(
      expect.arrayContaining(['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor']),
    );
  });
});
