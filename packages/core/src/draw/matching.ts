/**
 * Random matching of inspectors (draw-protocol v1 §9).
 *   M = SHA-256("choucha-match-v1" ‖ 0x00 ‖ seed)
 *   tiebreak(inspector, load) = SHA-256(M ‖ UTF-8(id) ‖ 0x00 ‖ load as 4-byte big-endian)
 * Targets are processed in ticket order (all strata together; ties by key); for each target and
 * each participating department (UTF-8 order of its id) the teamSize eligible inspectors with the
 * smallest (current load, tiebreak(inspector, current load)) form the team; then their loads
 * increase by one. An inspector's tiebreak is fresh at every load level, so among inspectors of
 * equal load each is equally likely to be chosen. A joint target's team is the union of the
 * departments' teams. If any target cannot get a full team the whole matching is refused.
 * Escalated targets (phase ≥ 1) are matched after the committed ones, phase by phase, so that an
 * escalation adds teams without changing any existing team; rules.maxPerDraw caps the teams of this
 * draw per inspector (beside maxLoad, which counts the carried load too).
 */
import { sha256, hexToBytes, concatBytes, utf8 } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { compareUtf8 } from './canonical-json.ts';
import type { Item, MatchingInput } from './commitment.ts';
import { drawErr, type DrawError } from './errors.ts';
import { TicketHasher } from './ticket-hash.ts';

export const MATCH_TAG = 'choucha-match-v1';

export interface Target {
  key: string;
  /** Lower-case hex ticket. */
  ticket: string;
  /**
   * Matching phase: 0 for the committed selection, i for the targets added by the i-th escalation
   * (§8). Phases are matched in order, each in ticket order, so escalation never changes an
   * existing team. Absent: 0.
   */
  phase?: number | undefined;
}

export interface DepartmentTeam {
  department: string;
  /** In the order they were chosen. */
  inspectorIds: string[];
}

export interface TargetTeam {
  key: string;
  teams: DepartmentTeam[];
}

export interface InfeasibleTarget {
  key: string;
  department: string;
  needed: number;
  eligible: number;
  excluded: {
    unavailable: number;
    certificate: number;
    competence: number;
    recused: number;
    previous: number;
    atCap: number;
  };
  reason: string;
}

export interface MatchResult {
  teams: TargetTeam[];
  /** Final load of every inspector (including carried load), by id. */
  loads: Record<string, number>;
}

/** M = SHA-256(tag ‖ 0x00 ‖ seed); the tag is MATCH_TAG (v1) unless given (v2: 'choucha-match-v2'). */
export function matchSubseed(seedHex: string, tag: string = MATCH_TAG): Uint8Array {
  const seed = hexToBytes(seedHex);
  if (!seed || seed.length !== 32) throw new Error('Invariant: seed must be 64 hex digits');
  return sha256(concatBytes(utf8(tag), new Uint8Array([0]), seed));
}

/** Options of matchInspectors (v1 calls pass none). */
export interface MatchOptions {
  /** The tag of M (default MATCH_TAG, v1). Draw protocol v2 passes 'choucha-match-v2'. */
  tag?: string;
}

export function tiebreak(subseed: Uint8Array, inspectorId: string, load: number): Uint8Array {
  const l = new Uint8Array(4);
  new DataView(l.buffer).setUint32(0, load);
  return sha256(concatBytes(subseed, utf8(inspectorId), new Uint8Array([0]), l));
}

const HEX13 = /^[0-9a-f]{13}$/;

/** Targets in the matching order: by ticket, then key. */
export function orderTargets(targets: readonly Target[]): Target[] {
  // Sort on the first 52 bits of the ticket as a number (13 hex digits, exact in a double); only
  // equal prefixes compare the strings. Same order as comparing the hex strings, much faster.
  const n = targets.length;
  const prefix = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const head = targets[i]!.ticket.slice(0, 13);
    // Anything but 13 lower-case hex digits (not a ticket) sorts by its string alone.
    prefix[i] = HEX13.test(head) ? Number.parseInt(head, 16) : -1;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => {
    const d = prefix[i]! - prefix[j]!;
    if (d !== 0 && prefix[i]! >= 0 && prefix[j]! >= 0) return d;
    const a = targets[i]!;
    const b = targets[j]!;
    return a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return order.map((i) => targets[i]!);
}

/** Targets in the matching order: by phase, then ticket and key within a phase. */
export function matchingOrder(targets: readonly Target[]): Target[] {
  const phases = [...new Set(targets.map((t) => t.phase ?? 0))].sort((a, b) => a - b);
  if (phases.length <= 1) return orderTargets(targets);
  return phases.flatMap((p) => orderTargets(targets.filter((t) => (t.phase ?? 0) === p)));
}

const overlaps = (aFrom: string, aTo: string, bFrom: string, bTo: string) => aFrom <= bTo && aTo >= bFrom;

/** The English reason of an infeasible (target, department) from its counts. */
export function describeInfeasible(p: Omit<InfeasibleTarget, 'reason'>): string {
  const parts: string[] = [];
  const e = p.excluded;
  if (e.recused) parts.push(`${e.recused} recused`);
  if (e.previous) parts.push(`${e.previous} on this entity's previous inspection`);
  if (e.atCap) parts.push(`${e.atCap} at the workload cap`);
  if (e.unavailable) parts.push(`${e.unavailable} absent on the inspection dates`);
  if (e.certificate) parts.push(`${e.certificate} without a valid certificate`);
  if (e.competence) parts.push(`${e.competence} not competent for the items`);
  const head =
    p.eligible === 0
      ? `no eligible inspector in department ${p.department}`
      : `only ${p.eligible} eligible inspector${p.eligible === 1 ? '' : 's'} in department ${p.department} (${p.needed} needed)`;
  return `${p.key}: ${head}${parts.length ? `; ${parts.join(', ')}` : ''}`;
}

interface Slot {
  id: string;
  load: number;
  /** UTF-8(id) ‖ 0x00 ‖ be32(load): the tiebreak message after M. */
  tail: Uint8Array;
  /** tiebreak(id, load) as 8 big-endian words. */
  tb: Int32Array;
  /** First 53 bits of tb as an exact number, for fast comparison. */
  tbn: number;
  /** Teams of this draw the inspector is on (for rules.maxPerDraw). */
  drawn: number;
}

/** (load, tiebreak) order; tiebreaks of distinct inspectors differ (SHA-256). */
function better(a: Slot, b: Slot): boolean {
  if (a.load !== b.load) return a.load < b.load;
  if (a.tbn !== b.tbn) return a.tbn < b.tbn;
  for (let i = 1; i < 8; i++) {
    const x = a.tb[i]! >>> 0;
    const y = b.tb[i]! >>> 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** A binary min-heap of slots by better(). */
class SlotHeap {
  readonly a: Slot[] = [];
  get size() {
    return this.a.length;
  }
  push(s: Slot) {
    const a = this.a;
    let i = a.length;
    a.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!better(s, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = s;
  }
  pop(): Slot | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && better(a[c + 1]!, a[c]!)) c++;
      if (!better(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Matches inspectors to targets. Same result as scanning every eligible inspector for every target:
 * each department keeps its statically eligible inspectors in a min-heap by (load, tiebreak); a
 * team is the first teamSize popped that are not recused / previous for the target (those are set
 * aside and pushed back); inspectors at the cap leave the heap for good (loads only grow).
 * Cost O(targets × departments × (teamSize + recusals) × log inspectors).
 */
export function matchInspectors(
  items: readonly Item[],
  matching: MatchingInput,
  targets: readonly Target[],
  seedHex: string,
  opts: MatchOptions = {},
): Result<MatchResult, DrawError> {
  const { rules, inspection } = matching;
  if (!Number.isSafeInteger(rules.teamSize) || rules.teamSize < 2)
    return drawErr('DRAW_INPUT_INVALID', 'The team size must be at least 2 (行政处罚法 art. 42)');
  const hasher = new TicketHasher(matchSubseed(seedHex, opts.tag));
  const departments = [...new Set(items.map((i) => i.department))].sort(compareUtf8);
  const required = new Map<string, string[]>();
  for (const d of departments)
    required.set(d, [
      ...new Set(items.filter((i) => i.department === d && i.field !== null).map((i) => i.field!)),
    ]);

  const setTiebreak = (s: Slot) => {
    const n = s.tail.length;
    const l = s.load;
    s.tail[n - 4] = l >>> 24;
    s.tail[n - 3] = (l >>> 16) & 255;
    s.tail[n - 2] = (l >>> 8) & 255;
    s.tail[n - 1] = l & 255;
    hasher.bytesWords(s.tail, n, s.tb);
    s.tbn = (s.tb[0]! >>> 0) * 2 ** 21 + (s.tb[1]! >>> 11);
  };
  const slotOf = new Map<string, Slot>();
  // Static eligibility per department.
  const pool = new Map<string, Slot[]>();
  const staticOut = new Map<string, { unavailable: number; certificate: number; competence: number }>();
  const sortedInspectors = [...matching.inspectors].sort((a, b) => compareUtf8(a.id, b.id));
  for (const d of departments) {
    const out = { unavailable: 0, certificate: 0, competence: 0 };
    const list: Slot[] = [];
    const req = required.get(d)!;
    for (const ins of sortedInspectors) {
      if (ins.department !== d) continue;
      if (ins.unavailable.some((u) => overlaps(u.from, u.to, inspection.from, inspection.to)))
        out.unavailable++;
      else if (!(ins.certificate.from <= inspection.from && ins.certificate.to >= inspection.to))
        out.certificate++;
      else if (!req.every((f) => ins.fields.includes(f))) out.competence++;
      else {
        const id = utf8(ins.id);
        const tail = new Uint8Array(id.length + 5);
        tail.set(id, 0);
        const s: Slot = { id: ins.id, load: ins.load, tail, tb: new Int32Array(8), tbn: 0, drawn: 0 };
        setTiebreak(s);
        slotOf.set(ins.id, s);
        list.push(s);
      }
    }
    pool.set(d, list);
    staticOut.set(d, out);
  }
  const recused = pairMap(matching.recusals);
  const previous = rules.avoidPrevious ? pairMap(matching.previous) : new Map<string, Set<string>>();
  const cap = rules.maxLoad;
  const perDraw = rules.maxPerDraw ?? null;
  if (perDraw !== null && (!Number.isSafeInteger(perDraw) || perDraw < 1))
    return drawErr('DRAW_INPUT_INVALID', 'The per-draw cap must be an integer ≥ 1');
  // at a cap for good: loads and per-draw counts only grow
  const atCap = (s: Slot) => (cap !== null && s.load >= cap) || (perDraw !== null && s.drawn >= perDraw);
  const k = rules.teamSize;
  const heaps = new Map<string, SlotHeap>();
  for (const d of departments) {
    const h = new SlotHeap();
    for (const s of pool.get(d)!) if (!atCap(s)) h.push(s);
    heaps.set(d, h);
  }

  const problems: InfeasibleTarget[] = [];
  const result: TargetTeam[] = [];
  const aside: Slot[] = [];
  const team: Slot[] = [];
  for (const t of matchingOrder(targets)) {
    const rec = recused.get(t.key);
    const prev = previous.get(t.key);
    const teams: DepartmentTeam[] = [];
    for (const d of departments) {
      const heap = heaps.get(d)!;
      aside.length = 0;
      team.length = 0;
      while (team.length < k) {
        const s = heap.pop();
        if (s === undefined) break;
        if (atCap(s)) continue; // at the cap for good
        if (rec?.has(s.id) || prev?.has(s.id)) aside.push(s);
        else team.push(s);
      }
      for (const s of aside) heap.push(s);
      if (team.length < k) {
        for (const s of team) heap.push(s);
        // Explain: count as the definition does (recused, then previous, then at the cap).
        let nRec = 0;
        let nPrev = 0;
        let nCap = 0;
        let eligible = 0;
        for (const s of pool.get(d)!) {
          if (rec?.has(s.id)) nRec++;
          else if (prev?.has(s.id)) nPrev++;
          else if (atCap(s)) nCap++;
          else eligible++;
        }
        const so = staticOut.get(d)!;
        const p = {
          key: t.key,
          department: d,
          needed: k,
          eligible,
          excluded: { ...so, recused: nRec, previous: nPrev, atCap: nCap },
        };
        problems.push({ ...p, reason: describeInfeasible(p) });
        continue;
      }
      const ids = new Array<string>(k);
      for (let j = 0; j < k; j++) {
        const s = team[j]!;
        ids[j] = s.id;
        s.load++;
        s.drawn++;
        setTiebreak(s);
        if (!atCap(s)) heap.push(s);
      }
      teams.push({ department: d, inspectorIds: ids });
    }
    result.push({ key: t.key, teams });
  }
  if (problems.length > 0)
    return drawErr(
      'MATCH_INFEASIBLE',
      `Inspectors cannot be matched to ${new Set(problems.map((p) => p.key)).size} target(s): ${problems
        .slice(0, 5)
        .map((p) => p.reason)
        .join(' | ')}${problems.length > 5 ? ` | … ${problems.length - 5} more` : ''}`,
      { problems },
    );
  const loads: Record<string, number> = {};
  for (const ins of matching.inspectors) loads[ins.id] = slotOf.get(ins.id)?.load ?? ins.load;
  return ok({ teams: result, loads });
}

function pairMap(pairs: readonly { inspectorId: string; key: string }[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const p of pairs) {
    let s = m.get(p.key);
    if (!s) m.set(p.key, (s = new Set()));
    s.add(p.inspectorId);
  }
  return m;
}
