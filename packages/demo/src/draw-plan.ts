/**
 * When each demo draw is committed and revealed, the drand round it commits to, and its dice
 * ceremony. Every draw commits to dice (exactly 20 digits) AND a recorded real drand beacon
 * (beacons.ts): the round is published at least a minute after the commitment, and the draw is
 * revealed at or after it, with that beacon.
 *
 * A batch's usual days (history.ts): the task 10 days before its window, committed 7 days before at
 * 10:00 and revealed 6 days before at 10:00 (China time). The recorded beacons are few (real ones
 * only), so a draw takes the beacon nearest to its usual reveal among those it can wait for — after
 * a commitment on or after its task's day, before the day its window opens — and moves its
 * commitment (to the last 10:00 at least a minute before the beacon) or its reveal (to the first
 * 10:00 after it) only as far as that beacon needs. When no recorded beacon falls between its task's
 * day and its window, the draw uses the latest beacon before its window, and its task is created on
 * the day of that commitment (earlier than usual).
 */
import { RECORDED_BEACONS, roundTime, type RecordedBeacon } from './beacons.ts';
import { personName } from './names.ts';
import { hash32, rngFor } from './prng.ts';

export interface DemoCeremony {
  /** Where the dice were rolled. */
  place: string;
  /** When (ISO 8601, UTC). */
  at: string;
  rolledBy: string;
  witnesses: string[];
}

export interface DemoDrawPlan {
  /** The task's day (China date). */
  created: string;
  /** The commitment and the reveal (ISO 8601 instants, UTC). */
  committedAt: string;
  revealedAt: string;
  beacon: RecordedBeacon;
}

const MINUTE = 60_000;

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
/** The first day a task of the year can be opened: after the plans' approval (PLAN_DATES.approved). */
const FIRST_TASK_DAY = '2023-01-18';

/** A China time (UTC+8) of a day. */
export function chinaTime(date: string, hour: number, minute = 0): Date {
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return new Date(`${date}T${hh}:${mm}:00+08:00`);
}

/** The China date (UTC+8) of an instant. */
export function chinaDate(t: Date): string {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The last 10:00 China time at or before t. */
function last10(t: Date): Date {
  const d = chinaDate(t);
  const c = chinaTime(d, 10);
  return c.getTime() <= t.getTime() ? c : chinaTime(addDays(d, -1), 10);
}

/** The first 10:00 China time at or after t. */
function first10(t: Date): Date {
  const d = chinaDate(t);
  const c = chinaTime(d, 10);
  return c.getTime() >= t.getTime() ? c : chinaTime(addDays(d, 1), 10);
}

const TIMED = RECORDED_BEACONS.map((b) => ({ b, t: roundTime(b.chain, b.round) }));

/** The draw of a batch whose window opens on `windowStart` (see the module comment). */
export function planDraw(windowStart: string, index: number): DemoDrawPlan {
  const usualCreated = addDays(windowStart, -10);
  const usualCommit = chinaTime(addDays(windowStart, -7), 10);
  const usualReveal = chinaTime(addDays(windowStart, -6), 10);
  // revealed on the day before the window at the latest
  const latestReveal = chinaTime(addDays(windowStart, -1), 10);
  const earliestCommit = chinaTime(usualCreated, 10);
  const usable = TIMED.filter(
    (x) => x.t.getTime() >= earliestCommit.getTime() + MINUTE && x.t.getTime() <= latestReveal.getTime(),
  );
  let pick: (typeof TIMED)[number];
  if (usable.length > 0) {
    // the nearest to the usual reveal; among the beacons of that day, one by the batch
    const dist = (x: (typeof TIMED)[number]) => Math.abs(x.t.getTime() - usualReveal.getTime());
    const nearest = usable.reduce((a, x) => (dist(x) < dist(a) ? x : a));
    const sameDay = usable.filter((x) => chinaDate(x.t) === chinaDate(nearest.t));
    pick = sameDay[hash32(`beacon\u0000${index}`) % sameDay.length]!;
  } else {
    const before = TIMED.filter(
      (x) =>
        x.t.getTime() <= latestReveal.getTime() &&
        x.t.getTime() >= chinaTime(FIRST_TASK_DAY, 10).getTime() + MINUTE,
    );
    if (before.length === 0) throw new Error(`Invariant: no recorded drand beacon before ${windowStart}`);
    const latestDay = chinaDate(before[before.length - 1]!.t);
    const sameDay = before.filter((x) => chinaDate(x.t) === latestDay);
    pick = sameDay[hash32(`beacon\u0000${index}`) % sameDay.length]!;
  }
  const committed =
    pick.t.getTime() >= usualCommit.getTime() + MINUTE
      ? usualCommit
      : last10(new Date(pick.t.getTime() - MINUTE));
  const revealed = pick.t.getTime() <= usualReveal.getTime() ? usualReveal : first10(pick.t);
  const commitDay = chinaDate(committed);
  return {
    created: commitDay < usualCreated ? commitDay : usualCreated,
    committedAt: committed.toISOString(),
    revealedAt: revealed.toISOString(),
    beacon: pick.b,
  };
}

/** Where a department rolls its dice: its own meeting room (the same one all year). */
const ROOMS = ['三楼会议室', '二楼会议室', '四楼会议室', '五楼视频会议室', '一楼执法大厅'] as const;
const GROUPS = ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八'] as const;

/**
 * The dice ceremony of a draw, deterministic from the demo seed: rolled in the (lead) department's
 * meeting room 20–40 minutes before the reveal is entered, by one of its staff, before the district
 * discipline inspection group stationed in the department (区纪委监委派驻纪检监察组) and a notary of
 * 西安市汉唐公证处 (and, for one draw in three, the department's legal reviewer).
 */
export function ceremonyOf(
  seed: string,
  index: number,
  dept: { code: string; shortName: string },
  revealedAt: string,
): DemoCeremony {
  const office = dept.shortName.startsWith('区') ? `碑林${dept.shortName}` : dept.shortName;
  const room = ROOMS[hash32(`${seed}\u0000room\u0000${dept.code}`) % ROOMS.length]!;
  const group = GROUPS[hash32(`${seed}\u0000group\u0000${dept.code}`) % GROUPS.length]!;
  const rng = rngFor(seed, `ceremony:${index}`);
  const at = new Date(Date.parse(revealedAt) - rng.int(20, 40) * MINUTE);
  const witnesses = [
    `${personName(rng)}（区纪委监委派驻${group}纪检监察组）`,
    `${personName(rng)}（西安市汉唐公证处公证员）`,
  ];
  if (rng.chance(1 / 3)) witnesses.push(`${personName(rng)}（${dept.shortName}法制审核员）`);
  return {
    place: `${office}${room}`,
    at: at.toISOString(),
    rolledBy: `${personName(rng)}（${dept.shortName}）`,
    witnesses,
  };
}
