import { DEPARTMENT_SPECS, deptSpec } from './departments.ts';
import { JOINT_ITEMS } from './items.ts';
import { STREETS } from './names.ts';
import { hash32, rngFor, type Rng } from './prng.ts';
import { isActive, matchesScope } from './scope.ts';
import { ceremonyOf, chinaDate, planDraw } from './draw-plan.ts';
import {
  RISK_CLASSES,
  type DemoBatch,
  type DemoBatchStage,
  type DemoBatchTimeline,
  type DemoDraw,
  type DemoEntity,
  type DemoItemList,
  type DemoItemRef,
  type DemoPlan,
  type DemoResult,
  type DemoSampling,
  type DemoScope,
  type RiskClass,
} from './types.ts';

/** The demo year: the seed bulletin (专刊第08期, 10 July 2023) reports on the first half of 2023. */
export const DEMO_YEAR = 2023 as const;
/**
 * The demo's "today", Monday 16 October 2023, the first working week after the National Day
 * holiday: the first half-year is closed (every H1 batch published by 30 June, as the bulletin
 * reports), the third quarter's batches are published, the latest are in review or drawn and
 * awaiting inspection, and the fourth quarter's batches are planned but not yet opened — the second
 * half is visibly in progress. (10 July, the bulletin's date, would leave the second half empty.)
 */
export const DEMO_TODAY = '2023-10-16';
/** The last day of the half-year the seed bulletin reports on. */
export const H1_END = '2023-06-30';
/**
 * The annual plans of 2023: drafted, filed with the joint office (备案) and approved before the
 * Spring Festival holiday (21–27 January 2023); the first batch opens in February.
 */
export const PLAN_DATES = { drafted: '2023-01-09', filed: '2023-01-11', approved: '2023-01-17' } as const;

/**
 * The bulletin's figures for H1 2023 (区本级, counted on the provincial platform by 30 June), which
 * the demo reproduces exactly: batches and entities with results published, of which joint.
 */
export const SEED_H1 = { batches: 63, entities: 578, jointBatches: 11, jointEntities: 53 } as const;

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

type Phase = 'h1' | 'q3' | 'review' | 'drawn' | 'q4';

/** Joint batches of the second half (the third quarter's, one drawn in October, one planned for the fourth). */
const LATER_JOINT_BATCHES: readonly {
  departmentCode: string;
  jointItemIndex: number;
  targets: number;
  phase: Phase;
}[] = [
  { departmentCode: 'JYJ', jointItemIndex: 0, targets: 6, phase: 'q3' },
  { departmentCode: 'WLTJ', jointItemIndex: 5, targets: 5, phase: 'drawn' },
  { departmentCode: 'CGJ', jointItemIndex: 9, targets: 8, phase: 'q4' },
];

/**
 * Single-department batches per department: [H1 (all published by 30 June), opened in the second
 * half by DEMO_TODAY, planned for the fourth quarter (not opened yet)]. With the joint batches: 63
 * in H1, 20 opened since, 22 planned — 105 batches in the year's plans, so the plans' completion
 * by 30 June is 63 / 105 = 60 % (the seed's "60 % of the year's tasks by the end of June").
 */
const DEPT_BATCHES: Record<string, readonly [number, number, number]> = {
  SCJG: [21, 6, 4],
  JYJ: [2, 1, 1],
  GAFJ: [2, 1, 1],
  STHJ: [2, 1, 1],
  JMJ: [2, 1, 1],
  WLTJ: [2, 1, 1],
  TJJ: [1, 0, 1],
  CGJ: [2, 1, 1],
  RSJ: [2, 1, 1],
  SFJ: [1, 0, 1],
  ZFB: [1, 0, 1],
  WJJ: [3, 1, 1],
  YJJ: [2, 1, 1],
  ZJJ: [2, 1, 1],
  MZJ: [1, 0, 1],
  XFJY: [3, 1, 1],
  SWJ: [2, 1, 1],
  FGW: [1, 0, 1],
};

/** Second-half batches opened by DEMO_TODAY: published (Q3), in review, drawn (awaiting inspection). */
const OPENED_STAGES: readonly Phase[] = ['q3', 'q3', 'q3', 'q3', 'q3', 'q3', 'q3', 'q3', 'q3'].concat(
  ['review', 'review', 'review', 'review', 'review'],
  ['drawn', 'drawn', 'drawn', 'drawn'],
) as Phase[];

const STAGE_OF: Record<Phase, DemoBatchStage> = {
  h1: 'published',
  q3: 'published',
  review: 'results',
  drawn: 'matched',
  q4: 'planned',
};

interface Slot {
  departmentCode: string;
  jointItemIndex: number | null;
  /** The bulletin's (or the plan's) object count of a joint batch. */
  jointTargets: number | null;
  windowStart: string;
  windowEnd: string;
  phase: Phase;
  stage: DemoBatchStage;
}

function iso(day: Date): string {
  return day.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

const min = (a: string, b: string) => (a < b ? a : b);

function ymd(month: number, day: number): string {
  return `${DEMO_YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A window start of the first half: February (after the Spring Festival) to 10 June. */
function h1Start(rng: Rng, weights: readonly number[]): string {
  const month = rng.weighted([2, 3, 4, 5, 6], weights);
  if (month === 2) return ymd(2, rng.int(13, 28));
  if (month === 6) return ymd(6, rng.int(1, 10));
  return ymd(month, rng.int(1, 28));
}

function startOf(rng: Rng, phase: Phase): string {
  switch (phase) {
    case 'h1':
      return h1Start(rng, [3, 7, 7, 7, 3]);
    case 'q3': {
      const month = rng.weighted([7, 8, 9], [4, 4, 1]);
      return month === 7
        ? ymd(7, rng.int(3, 28))
        : month === 8
          ? ymd(8, rng.int(1, 28))
          : ymd(9, rng.int(1, 15));
    }
    // results entered (start + 3 ≤ today), not yet published; National Day (29 Sep – 6 Oct) avoided
    case 'review':
      return rng.pick([
        '2023-09-22',
        '2023-09-25',
        '2023-09-26',
        '2023-09-27',
        '2023-10-09',
        '2023-10-10',
        '2023-10-11',
        '2023-10-12',
      ]);
    // drawn 6–7 days before the window opens (≤ today), not inspected yet
    case 'drawn':
      return rng.pick(['2023-10-17', '2023-10-18', '2023-10-19', '2023-10-20']);
    case 'q4':
      return addDays('2023-10-30', rng.int(0, 42));
  }
}

function endOf(rng: Rng, phase: Phase, start: string): string {
  const end = addDays(start, rng.int(20, 45));
  return phase === 'h1' ? min(end, H1_END) : min(end, '2023-12-29');
}

/** The year's batches in order, without their details: depends on the seed only (not on entities). */
function schedule(seed: string): Slot[] {
  const rng = rngFor(seed, 'schedule');
  const slots: Omit<Slot, 'stage'>[] = [];
  for (const j of SEED_JOINT_BATCHES) {
    const start = h1Start(rng, [1, 3, 3, 3, 1]);
    slots.push({
      departmentCode: j.departmentCode,
      jointItemIndex: j.jointItemIndex,
      jointTargets: j.targets,
      windowStart: start,
      windowEnd: min(addDays(start, rng.int(20, 40)), H1_END),
      phase: 'h1',
    });
  }
  for (const j of LATER_JOINT_BATCHES) {
    const start = startOf(rng, j.phase);
    slots.push({
      departmentCode: j.departmentCode,
      jointItemIndex: j.jointItemIndex,
      jointTargets: j.targets,
      windowStart: start,
      windowEnd: endOf(rng, j.phase, start),
      phase: j.phase,
    });
  }
  const opened: string[] = [];
  for (const d of DEPARTMENT_SPECS) {
    const [h1, later, q4] = DEPT_BATCHES[d.code] ?? [0, 0, 0];
    for (let i = 0; i < later; i++) opened.push(d.code);
    const own = (phase: Phase) => {
      const start = startOf(rng, phase);
      slots.push({
        departmentCode: d.code,
        jointItemIndex: null,
        jointTargets: null,
        windowStart: start,
        windowEnd: endOf(rng, phase, start),
        phase,
      });
    };
    for (let i = 0; i < h1; i++) own('h1');
    for (let i = 0; i < q4; i++) own('q4');
  }
  if (opened.length !== OPENED_STAGES.length) throw new Error('Invariant: opened batches and their stages');
  rng.shuffle(opened).forEach((code, i) => {
    const phase = OPENED_STAGES[i] as Phase;
    const start = startOf(rng, phase);
    slots.push({
      departmentCode: code,
      jointItemIndex: null,
      jointTargets: null,
      windowStart: start,
      windowEnd: endOf(rng, phase, start),
      phase,
    });
  });
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
  return slots.map((s) => ({ ...s, stage: STAGE_OF[s.phase] }));
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

/**
 * The days of a batch's life, as the replay (packages/services/src/demo.ts) runs them: the task is
 * created 10 days before its window, committed 7 and revealed (dice) 6 days before; inspected on
 * the window's 3rd day, results entered the next day, approved by the department after 5 more and
 * published by the joint office 12 days after the window opened (well within 20 working days).
 * A step not reached by DEMO_TODAY is null.
 */
function timelineOf(start: string, stage: DemoBatchStage): DemoBatchTimeline {
  const reached = (s: DemoBatchStage[]) => s.includes(stage);
  const day = (n: number, s: DemoBatchStage[]) => (reached(s) ? addDays(start, n) : null);
  return {
    created: day(-10, ['matched', 'results', 'published']),
    committed: day(-7, ['matched', 'results', 'published']),
    revealed: day(-6, ['matched', 'results', 'published']),
    inspected: day(2, ['results', 'published']),
    entered: day(3, ['results', 'published']),
    reviewed: day(8, ['published']),
    published: day(12, ['published']),
  };
}

/**
 * A batch's timeline and draw: the usual days (timelineOf), with the commitment, the reveal and, when
 * its beacon needs it, the task's day where its recorded drand beacon puts them (draw-plan.ts).
 */
function drawOf(
  seed: string,
  index: number,
  slot: Slot,
  dept: { code: string; shortName: string },
): { timeline: DemoBatchTimeline; draw: DemoDraw | null } {
  const timeline = timelineOf(slot.windowStart, slot.stage);
  if (slot.stage === 'planned') return { timeline, draw: null };
  const plan = planDraw(slot.windowStart, index);
  return {
    timeline: {
      ...timeline,
      created: plan.created,
      committed: chinaDate(new Date(plan.committedAt)),
      revealed: chinaDate(new Date(plan.revealedAt)),
    },
    draw: {
      committedAt: plan.committedAt,
      revealedAt: plan.revealedAt,
      beacon: plan.beacon,
      ceremony: ceremonyOf(seed, index, dept, plan.revealedAt),
    },
  };
}

/** Risk-class ratios, from the lightest to the heaviest (no class is ever exempt). */
const CLASS_PRESETS: readonly Record<RiskClass, number>[] = [
  { A: 0.02, B: 0.05, C: 0.3, D: 1 },
  { A: 0.03, B: 0.1, C: 0.4, D: 1 },
  { A: 0.05, B: 0.2, C: 0.6, D: 1 },
  { A: 0.1, B: 0.3, C: 0.6, D: 1 },
  { A: 0.2, B: 0.5, C: 0.8, D: 1 },
];
/** Ratios of a batch that does not use the risk classes, from the lightest to the heaviest. */
const RATIOS: readonly number[] = [0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1];

function naturalCount(pool: readonly DemoEntity[], s: DemoSampling): number {
  if (s.mode === 'ratio') return Math.ceil(pool.length * s.ratio);
  const sizes: Record<RiskClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const e of pool) sizes[e.riskClass]++;
  let n = 0;
  for (const c of RISK_CLASSES) n += Math.ceil(sizes[c] * s.classes[c]);
  return n;
}

/**
 * The most targets a department's batch plans: a third below what its ratios give on the pool, so
 * that its maximum (the planned count, "at most N in all") is what the draw gives even after the
 * roster's exclusions (no usable code, duplicate codes, cool-down, yearly cap) — the H1 total is exact.
 */
const capacityOf = (natural: number) => Math.min(30, Math.floor(natural / 1.5));

/**
 * The fewest targets a batch plans: 3, or one per risk class when it samples by class ("at most N
 * in all" keeps every class, 不免抽).
 */
const floorOf = (s: DemoSampling) => (s.mode === 'classes' ? Math.max(3, RISK_CLASSES.length) : 3);

/** The sampling of a batch that plans `n` targets: at most n in all (a ratio batch: at least 3). */
function withCount(s: DemoSampling, n: number): DemoSampling {
  return s.mode === 'classes' ? { ...s, min: 0, max: n } : { ...s, min: Math.min(3, n), max: n };
}

function ordinal(n: number): string {
  return ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][n - 1] ?? String(n);
}

export function generateBatches(
  seed: string,
  entities: readonly DemoEntity[],
  itemLists: readonly DemoItemList[],
): DemoBatch[] {
  const rng = rngFor(seed, 'batches');
  const perDept = new Map<string, number>();
  const perJoint = new Map<number, number>();
  const itemOffset = new Map<string, number>();
  const directory = new Map<string, DemoEntity[]>();
  for (const e of entities) {
    // the draw's roster keeps only entities with a code it can key (USCC or registration number)
    if (!isActive(e) || (e.uscc ?? e.regNo) === null || e.codeStatus === 'unrecoverable') continue;
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
  const capacity = new Map<number, number>();
  const batches = cachedSchedule(seed).map((slot, index): DemoBatch => {
    const dept = deptSpec(slot.departmentCode);
    const usesRiskClass = rng.chance(slot.jointItemIndex === null ? 0.75 : 0.35);
    // exactly 20 digits, as every draw commits to (the generator still draws 20–24, so that the
    // rest of the district stays what it was)
    const dice = rng.digits(rng.int(20, 24)).slice(0, 20);
    const { timeline, draw } = drawOf(seed, index, slot, dept);
    const common = {
      index,
      departmentCode: slot.departmentCode,
      year: DEMO_YEAR,
      windowStart: slot.windowStart,
      windowEnd: slot.windowEnd,
      dice,
      stage: slot.stage,
      published: slot.stage === 'published',
      timeline,
      draw,
      usesRiskClass,
    };

    if (slot.jointItemIndex !== null) {
      const joint = JOINT_ITEMS[slot.jointItemIndex];
      const n = slot.jointTargets;
      if (!joint || n === null) throw new Error('Invariant: joint batch without its joint item');
      const lead = joint.items[0] as DemoItemRef;
      const scope: DemoScope = { ...(listOf(lead.departmentCode).items[lead.index]?.scope ?? {}) };
      // exactly the bulletin's count: one stratum of min = max = n, or (批次结合率) the lightest
      // risk-class ratios that give it with a margin on the lead's directory, "at most n in all"
      // (the roster: for each department of the batch, one of its items applies — the intersection
      // across departments of the union of each one's item scopes)
      const scopesOf = new Map<string, DemoScope[]>();
      for (const r of joint.items) {
        const l = scopesOf.get(r.departmentCode) ?? [];
        l.push(listOf(r.departmentCode).items[r.index]?.scope ?? {});
        scopesOf.set(r.departmentCode, l);
      }
      const pool = eligible(slot.departmentCode, scope).filter((e) =>
        [...scopesOf.values()].every((ss) => ss.some((x) => matchesScope(e, x))),
      );
      // ("at most n in all" gives every class at least one: n ≥ 4 classes)
      const preset =
        usesRiskClass && n >= RISK_CLASSES.length
          ? CLASS_PRESETS.find(
              (c) => naturalCount(pool, { mode: 'classes', classes: c, min: 0, max: 0 }) >= 1.5 * n,
            )
          : undefined;
      const sampling: DemoSampling = preset
        ? { mode: 'classes', classes: { ...preset }, min: 0, max: n }
        : { mode: 'ratio', ratio: rng.pick([0.05, 0.1, 0.2]), min: n, max: n };
      const round = (perJoint.get(slot.jointItemIndex) ?? 0) + 1;
      perJoint.set(slot.jointItemIndex, round);
      return {
        ...common,
        usesRiskClass: preset !== undefined,
        name: `${DEMO_YEAR}年${joint.name}（${dept.shortName}牵头${round > 1 ? `，第${ordinal(round)}批` : ''}）`,
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

    // a department works through its list: each batch takes the next item with a pool large enough
    const list = listOf(slot.departmentCode);
    let offset = itemOffset.get(slot.departmentCode);
    if (offset === undefined)
      itemOffset.set(slot.departmentCode, (offset = rng.int(0, list.items.length - 1)));
    const no = (perDept.get(slot.departmentCode) ?? 0) + 1;
    perDept.set(slot.departmentCode, no);
    let primaryIndex = -1;
    for (let k = 0; k < list.items.length; k++) {
      const i = (offset + no - 1 + k) % list.items.length;
      if (eligible(slot.departmentCode, list.items[i]?.scope ?? {}).length >= 12) {
        primaryIndex = i;
        break;
      }
    }
    if (primaryIndex < 0)
      throw new Error(`Invariant: no item of ${slot.departmentCode} with 12 entities in scope`);
    const primary = list.items[primaryIndex]!;
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
    // 定向 by street: a third of the batches, and every batch over a large directory (the market
    // supervision stations work by street; it also keeps the demo's first start short)
    const large = pool.length > 4000;
    if (rng.chance(0.3) || large) {
      const streets = rng.sample(STREETS, rng.int(1, large ? 2 : 3)).map((s) => s.name);
      const narrowed = pool.filter((e) => streets.includes(e.street));
      if (narrowed.length >= 40) {
        scope = { ...scope, streets };
        pool = narrowed;
      }
    }
    const want = slot.departmentCode === 'SCJG' ? rng.int(8, 20) : rng.int(3, 12);
    // the lightest ratios that give the planned count with a margin (heavier ones for a small pool)
    let sampling: DemoSampling;
    if (usesRiskClass) {
      let p = rng.int(0, 2);
      const at = (k: number): DemoSampling => ({
        mode: 'classes',
        classes: { ...(CLASS_PRESETS[k] as Record<RiskClass, number>) },
        min: 0,
        max: 0,
      });
      while (p < CLASS_PRESETS.length - 1 && capacityOf(naturalCount(pool, at(p))) < want) p++;
      sampling = at(p);
    } else {
      let r = rng.int(0, 3);
      const at = (k: number): DemoSampling => ({ mode: 'ratio', ratio: RATIOS[k] as number, min: 0, max: 0 });
      while (r < RATIOS.length - 1 && capacityOf(naturalCount(pool, at(r))) < want) r++;
      sampling = at(r);
    }
    if (sampling.mode === 'classes' && capacityOf(naturalCount(pool, sampling)) < floorOf(sampling))
      sampling = { mode: 'ratio', ratio: 1, min: 0, max: 0 };
    const cap = capacityOf(naturalCount(pool, sampling));
    if (cap < floorOf(sampling)) throw new Error(`Invariant: batch ${index} cannot plan 3 targets`);
    capacity.set(index, cap);
    const targetCount = Math.max(floorOf(sampling), Math.min(want, cap));
    return {
      ...common,
      usesRiskClass: sampling.mode === 'classes',
      name: `${DEMO_YEAR}年${dept.shortName}${primary.category}双随机抽查（第${no}批）`,
      isJoint: false,
      cooperatingDepartmentCodes: [],
      jointItemIndex: null,
      items,
      directed: Object.keys(scope).length > 0,
      scope,
      sampling: withCount(sampling, targetCount),
      targetCount,
    };
  });

  // The first half's own batches share out exactly the bulletin's 578 − 53 objects: one more (or
  // one fewer) for each in turn, in a shuffled order, within each batch's capacity and at least 3.
  const h1 = batches.filter((b) => !b.isJoint && b.stage === 'published' && b.windowStart <= H1_END);
  const jointH1 = batches.filter((b) => b.isJoint && b.stage === 'published' && b.windowStart <= H1_END);
  let diff =
    SEED_H1.entities -
    jointH1.reduce((n, b) => n + b.targetCount, 0) -
    h1.reduce((n, b) => n + b.targetCount, 0);
  const order = rngFor(seed, 'h1-share').shuffle(h1);
  for (let turn = 0; diff !== 0; turn++) {
    if (turn >= order.length * 40)
      throw new Error('Invariant: the H1 batches cannot share out the bulletin’s objects');
    const b = order[turn % order.length] as DemoBatch;
    const room =
      diff > 0 ? (capacity.get(b.index) ?? 0) - b.targetCount : b.targetCount - floorOf(b.sampling);
    if (room <= 0) continue;
    b.targetCount += Math.sign(diff);
    b.sampling = withCount(b.sampling, b.targetCount);
    diff -= Math.sign(diff);
  }
  return batches;
}

/** The annual plans of the year: every department's own batches, and the joint plan's joint batches. */
export function generatePlans(batches: readonly DemoBatch[]): DemoPlan[] {
  const plans: DemoPlan[] = [
    {
      kind: 'joint',
      departmentCode: null,
      year: DEMO_YEAR,
      name: `碑林区${DEMO_YEAR}年度部门联合抽查计划`,
      batchIndexes: batches.filter((b) => b.isJoint).map((b) => b.index),
    },
  ];
  for (const d of DEPARTMENT_SPECS) {
    plans.push({
      kind: 'department',
      departmentCode: d.code,
      year: DEMO_YEAR,
      name: `${d.shortName}${DEMO_YEAR}年度“双随机、一公开”抽查计划`,
      batchIndexes: batches.filter((b) => !b.isJoint && b.departmentCode === d.code).map((b) => b.index),
    });
  }
  return plans;
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
