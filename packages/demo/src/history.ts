import { DEPARTMENT_SPECS, deptSpec } from './departments.ts';
import { JOINT_ITEMS } from './items.ts';
import { STREETS } from './names.ts';
import { hash32, rngFor, type Rng } from './prng.ts';
import { isActive, matchesScope } from './scope.ts';
import {
  RISK_CLASSES,
  type DemoBatch,
  type DemoBatchStage,
  type DemoEntity,
  type DemoItemList,
  type DemoItemRef,
  type DemoResult,
  type DemoSampling,
  type DemoScope,
  type RiskClass,
} from './types.ts';

/** The demo's "today": batches whose window ended long enough ago are published. */
export const DEMO_TODAY = '2026-11-20';
/** Results of batches whose window ended on or before this day have been reviewed and published. */
const PUBLISHED_BY = '2026-10-31';

/**
 * Joint batches as in the seed bulletin (H1 2023: 11 batches, 53 objects): department → objects per
 * batch, each batch using the joint item list row given.
 */
export const SEED_JOINT_BATCHES: readonly {
  departmentCode: string;
  jointItemIndex: number;
  targets: number;
}[] = [
  { departmentCode: 'JYJ', jointItemIndex: 0, targets: 5 },
  { departmentCode: 'JYJ', jointItemIndex: 1, targets: 5 },
  { departmentCode: 'GAFJ', jointItemIndex: 2, targets: 1 },
  { departmentCode: 'STHJ', jointItemIndex: 3, targets: 1 },
  { departmentCode: 'JMJ', jointItemIndex: 4, targets: 8 },
  { departmentCode: 'WLTJ', jointItemIndex: 5, targets: 5 },
  { departmentCode: 'WLTJ', jointItemIndex: 6, targets: 4 },
  { departmentCode: 'WLTJ', jointItemIndex: 7, targets: 4 },
  { departmentCode: 'TJJ', jointItemIndex: 8, targets: 4 },
  { departmentCode: 'CGJ', jointItemIndex: 9, targets: 8 },
  { departmentCode: 'RSJ', jointItemIndex: 10, targets: 8 },
];

/** Single-department batches per department over the year. */
const DEPT_BATCHES: Record<string, number> = {
  SCJG: 18,
  JYJ: 2,
  GAFJ: 2,
  STHJ: 2,
  JMJ: 2,
  WLTJ: 2,
  TJJ: 1,
  CGJ: 2,
  RSJ: 2,
  SFJ: 1,
  ZFB: 1,
  WJJ: 3,
  YJJ: 2,
  ZJJ: 2,
  MZJ: 1,
  XFJY: 3,
  SWJ: 2,
  FGW: 1,
};

interface Slot {
  departmentCode: string;
  jointItemIndex: number | null;
  windowStart: string;
  windowEnd: string;
  stage: DemoBatchStage;
}

function iso(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

function dayOf(rng: Rng, month: number, from = 1, to = 28): string {
  return `2026-${String(month).padStart(2, '0')}-${String(rng.int(from, to)).padStart(2, '0')}`;
}

/** The year's batches in order, without their details: depends on the seed only (not on entities). */
function schedule(seed: string): Slot[] {
  const rng = rngFor(seed, 'schedule');
  const slots: Omit<Slot, 'stage'>[] = [];
  for (const j of SEED_JOINT_BATCHES) {
    const start = dayOf(rng, rng.int(3, 5));
    const end = addDays(start, rng.int(20, 40));
    slots.push({
      departmentCode: j.departmentCode,
      jointItemIndex: j.jointItemIndex,
      windowStart: start,
      windowEnd: end < '2026-06-30' ? end : '2026-06-30',
    });
  }
  const dept: Omit<Slot, 'stage'>[] = [];
  for (const d of DEPARTMENT_SPECS) {
    for (let i = 0; i < (DEPT_BATCHES[d.code] ?? 0); i++) {
      // Spring Festival falls in February 2026; the bulk of the work is done by the end of June
      const month = rng.weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 2, 7, 7, 7, 6, 4, 4, 4, 3]);
      const start = dayOf(rng, month);
      dept.push({
        departmentCode: d.code,
        jointItemIndex: null,
        windowStart: start,
        windowEnd: addDays(start, rng.int(20, 60)),
      });
    }
  }
  // the latest few batches are still in progress
  for (const s of rng.sample(dept, 4)) {
    s.windowStart = dayOf(rng, 11, 2, 16);
    s.windowEnd = addDays(s.windowStart, rng.int(25, 40));
  }
  slots.push(...dept);
  slots.sort((a, b) =>
    a.windowStart !== b.windowStart
      ? a.windowStart < b.windowStart
        ? -1
        : 1
      : a.departmentCode !== b.departmentCode
        ? a.departmentCode < b.departmentCode
          ? -1
          : 1
        : (a.jointItemIndex ?? -1) - (b.jointItemIndex ?? -1),
  );
  return slots.map((s) => ({
    ...s,
    stage: s.windowEnd <= PUBLISHED_BY ? 'published' : s.windowEnd < DEMO_TODAY ? 'results' : 'matched',
  }));
}

const scheduleCache = new Map<string, Slot[]>();
function cachedSchedule(seed: string): Slot[] {
  let s = scheduleCache.get(seed);
  if (!s) {
    s = schedule(seed);
    scheduleCache.set(seed, s);
  }
  return s;
}

const CLASS_PRESETS: readonly Record<RiskClass, number>[] = [
  { A: 0.02, B: 0.05, C: 0.3, D: 1 },
  { A: 0.03, B: 0.1, C: 0.4, D: 1 },
  { A: 0.05, B: 0.1, C: 0.3, D: 0.8 },
  { A: 0.05, B: 0.2, C: 0.6, D: 1 },
];

function naturalCount(pool: readonly DemoEntity[], s: DemoSampling): number {
  if (s.mode === 'ratio') return Math.ceil(pool.length * s.ratio);
  const sizes: Record<RiskClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const e of pool) sizes[e.riskClass]++;
  let n = 0;
  for (const c of RISK_CLASSES) n += Math.ceil(sizes[c] * s.classes[c]);
  return n;
}

export function generateBatches(
  seed: string,
  entities: readonly DemoEntity[],
  itemLists: readonly DemoItemList[],
): DemoBatch[] {
  const rng = rngFor(seed, 'batches');
  const perDept = new Map<string, number>();
  const directory = new Map<string, DemoEntity[]>();
  for (const e of entities) {
    if (!isActive(e)) continue;
    for (const c of e.supervisingDeptCodes) {
      let l = directory.get(c);
      if (!l) directory.set(c, (l = []));
      l.push(e);
    }
  }
  const eligible = (code: string, scope: DemoScope): DemoEntity[] =>
    (directory.get(code) ?? []).filter((e) => matchesScope(e, scope));
  const listOf = (code: string): DemoItemList => {
    const l = itemLists.find((x) => x.departmentCode === code);
    if (!l) throw new Error(`Invariant: no item list for ${code}`);
    return l;
  };
  return cachedSchedule(seed).map((slot, index): DemoBatch => {
    const dept = deptSpec(slot.departmentCode);
    const usesRiskClass = rng.chance(slot.jointItemIndex === null ? 0.75 : 0.35);
    const dice = rng.digits(rng.int(20, 24));
    const common = {
      index,
      departmentCode: slot.departmentCode,
      year: 2026 as const,
      windowStart: slot.windowStart,
      windowEnd: slot.windowEnd,
      dice,
      stage: slot.stage,
      published: slot.stage === 'published',
      usesRiskClass,
    };

    if (slot.jointItemIndex !== null) {
      const joint = JOINT_ITEMS[slot.jointItemIndex];
      const seedRow = SEED_JOINT_BATCHES.find((j) => j.jointItemIndex === slot.jointItemIndex);
      if (!joint || !seedRow) throw new Error('Invariant: joint batch without its joint item');
      const lead = joint.items[0] as DemoItemRef;
      const scope: DemoScope = { ...(listOf(lead.departmentCode).items[lead.index]?.scope ?? {}) };
      const n = seedRow.targets;
      const sampling: DemoSampling = usesRiskClass
        ? { mode: 'classes', classes: { ...rng.pick(CLASS_PRESETS) }, min: n, max: n }
        : { mode: 'ratio', ratio: rng.pick([0.05, 0.1, 0.2]), min: n, max: n };
      return {
        ...common,
        name: `2026年${joint.name}（${dept.shortName}牵头）`,
        isJoint: true,
        cooperatingDepartmentCodes: [...joint.cooperatingDepartmentCodes],
        jointItemIndex: slot.jointItemIndex,
        items: joint.items.map((r) => ({ ...r })),
        directed: Object.keys(scope).length > 0,
        scope,
        sampling,
        targetCount: n,
      };
    }

    const list = listOf(slot.departmentCode);
    const primaryIndex = rng.int(0, list.items.length - 1);
    const primary = list.items[primaryIndex];
    if (!primary) throw new Error('Invariant: empty item list');
    const same = JSON.stringify(primary.scope);
    const extras = list.items
      .map((it, i) => ({ it, i }))
      .filter(({ it, i }) => i !== primaryIndex && JSON.stringify(it.scope) === same);
    const items: DemoItemRef[] = [
      { departmentCode: slot.departmentCode, index: primaryIndex },
      ...rng
        .sample(extras, rng.int(0, 2))
        .map(({ i }) => ({ departmentCode: slot.departmentCode, index: i })),
    ].sort((a, b) => a.index - b.index);

    let scope: DemoScope = { ...primary.scope };
    let pool = eligible(slot.departmentCode, scope);
    if (rng.chance(0.3)) {
      const streets = rng.sample(STREETS, rng.int(1, 3)).map((s) => s.name);
      const narrowed = pool.filter((e) => streets.includes(e.street));
      if (narrowed.length >= 6) {
        scope = { ...scope, streets };
        pool = narrowed;
      }
    }
    const max = rng.pick([15, 20, 25, 30]);
    const min = Math.min(3, pool.length);
    const sampling: DemoSampling = usesRiskClass
      ? { mode: 'classes', classes: { ...rng.pick(CLASS_PRESETS) }, min, max }
      : { mode: 'ratio', ratio: rng.pick([0.03, 0.05, 0.1, 0.2]), min, max };
    const targetCount = Math.min(pool.length, Math.max(min, Math.min(max, naturalCount(pool, sampling))));
    const no = (perDept.get(slot.departmentCode) ?? 0) + 1;
    perDept.set(slot.departmentCode, no);
    return {
      ...common,
      name: `2026年${dept.shortName}${primary.category}双随机抽查（第${no}批）`,
      isJoint: false,
      cooperatingDepartmentCodes: [],
      jointItemIndex: null,
      items,
      directed: Object.keys(scope).length > 0,
      scope,
      sampling,
      targetCount,
    };
  });
}

const FOLLOW_UP_FOR_PENDING = ['责令改正', '立案查处', '移送案件线索'] as const;

/**
 * The (deterministic) inspection result of one target of a batch: mostly 未发现问题, about one in
 * ten with a problem. `targetKey` is whatever identifies the target in the draw (USCC, 注册号, id).
 */
export function resultFor(batchIndex: number, targetKey: string, seed = 'beilin-2026'): DemoResult {
  const slot = cachedSchedule(seed)[batchIndex];
  if (!slot) throw new Error(`Invariant: no batch ${batchIndex}`);
  const published = slot.stage === 'published';
  const h = hash32(`${seed}\u0000result\u0000${batchIndex}\u0000${targetKey}`);
  const r = h / 4294967296;
  const second = (h & 0xff) < 20; // ~8% of problem results carry a second code
  const withSecond = (codes: string[]): string[] =>
    second && !codes.includes('未按规定公示应当公示的信息')
      ? [...codes, '未按规定公示应当公示的信息']
      : codes;
  if (r < 0.89) return { codes: ['未发现问题'], followUps: ['无需后续处置'], published };
  if (r < 0.93) return { codes: withSecond(['发现问题经责令已改正']), followUps: ['责令改正'], published };
  if (r < 0.955) {
    const f = FOLLOW_UP_FOR_PENDING[(h >>> 8) % FOLLOW_UP_FOR_PENDING.length] as string;
    return { codes: withSecond(['发现问题待后续处理']), followUps: [f], published };
  }
  if (r < 0.97) return { codes: ['未按规定公示应当公示的信息'], followUps: ['责令改正'], published };
  if (r < 0.978)
    return { codes: ['通过登记的住所（经营场所）无法联系'], followUps: ['列入经营异常名录'], published };
  if (r < 0.985)
    return { codes: ['未发现开展本次抽查涉及的经营活动'], followUps: ['无需后续处置'], published };
  if (r < 0.99) return { codes: ['已关闭停业或正在清算'], followUps: ['无需后续处置'], published };
  if (r < 0.993)
    return {
      codes: ['公示信息隐瞒真实情况、弄虚作假'],
      followUps: ['列入经营异常名录', '立案查处'],
      published,
    };
  if (r < 0.996) return { codes: ['不配合检查情节严重'], followUps: ['列入经营异常名录'], published };
  return { codes: ['违反其他规定'], followUps: ['抄告相关部门'], published };
}
