/**
 * The straightforward v1 matching (a scan of every inspector for every target), kept as the
 * reference the optimised matchInspectors() is checked against (matching.test.ts). Test-only.
 */
import { compareBytes } from '../../hash/index.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { compareUtf8 } from '../canonical-json.ts';
import type { Inspector, Item, MatchingInput } from '../commitment.ts';
import { drawErr, type DrawError } from '../errors.ts';
import {
  matchSubseed,
  orderTargets,
  tiebreak,
  type DepartmentTeam,
  type InfeasibleTarget,
  type MatchResult,
  type Target,
  type TargetTeam,
} from '../matching.ts';

const overlaps = (aFrom: string, aTo: string, bFrom: string, bTo: string) => aFrom <= bTo && aTo >= bFrom;

function describe(p: Omit<InfeasibleTarget, 'reason'>): string {
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
  tb: Uint8Array;
  /** First 6 bytes of tb as a number, for fast comparison. */
  tbn: number;
}

export function referenceMatchInspectors(
  items: readonly Item[],
  matching: MatchingInput,
  targets: readonly Target[],
  seedHex: string,
): Result<MatchResult, DrawError> {
  const { rules, inspection } = matching;
  if (!Number.isSafeInteger(rules.teamSize) || rules.teamSize < 2)
    return drawErr('DRAW_INPUT_INVALID', 'The team size must be at least 2 (行政处罚法 art. 42)');
  const subseed = matchSubseed(seedHex);
  const departments = [...new Set(items.map((i) => i.department))].sort(compareUtf8);
  const required = new Map<string, string[]>();
  for (const d of departments)
    required.set(d, [
      ...new Set(items.filter((i) => i.department === d && i.field !== null).map((i) => i.field!)),
    ]);

  const slotOf = new Map<string, Slot>();
  const mkSlot = (ins: Inspector): Slot => {
    const tb = tiebreak(subseed, ins.id, ins.load);
    return { id: ins.id, load: ins.load, tb, tbn: num6(tb) };
  };
  // Static eligibility per department.
  const pool = new Map<string, Slot[]>();
  const staticOut = new Map<string, { unavailable: number; certificate: number; competence: number }>();
  for (const d of departments) {
    const out = { unavailable: 0, certificate: 0, competence: 0 };
    const list: Slot[] = [];
    const req = required.get(d)!;
    for (const ins of [...matching.inspectors].sort((a, b) => compareUtf8(a.id, b.id))) {
      if (ins.department !== d) continue;
      if (ins.unavailable.some((u) => overlaps(u.from, u.to, inspection.from, inspection.to)))
        out.unavailable++;
      else if (!(ins.certificate.from <= inspection.from && ins.certificate.to >= inspection.to))
        out.certificate++;
      else if (!req.every((f) => ins.fields.includes(f))) out.competence++;
      else {
        const s = mkSlot(ins);
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
  const k = rules.teamSize;
  const better = (a: Slot, b: Slot) =>
    a.load < b.load ||
    (a.load === b.load && (a.tbn < b.tbn || (a.tbn === b.tbn && compareBytes(a.tb, b.tb) < 0)));

  const problems: InfeasibleTarget[] = [];
  const result: TargetTeam[] = [];
  const best: Slot[] = [];
  for (const t of orderTargets(targets)) {
    const rec = recused.get(t.key);
    const prev = previous.get(t.key);
    const teams: DepartmentTeam[] = [];
    for (const d of departments) {
      best.length = 0;
      let nRec = 0;
      let nPrev = 0;
      let nCap = 0;
      let eligible = 0;
      for (const s of pool.get(d)!) {
        if (rec?.has(s.id)) {
          nRec++;
          continue;
        }
        if (prev?.has(s.id)) {
          nPrev++;
          continue;
        }
        if (cap !== null && s.load >= cap) {
          nCap++;
          continue;
        }
        eligible++;
        // Keep the k best in order (k is small).
        if (best.length < k || better(s, best[best.length - 1]!)) {
          let j = best.length < k ? best.length : k - 1;
          best[j] = s;
          while (j > 0 && better(s, best[j - 1]!)) {
            best[j] = best[j - 1]!;
            best[j - 1] = s;
            j--;
          }
        }
      }
      if (eligible < k) {
        const so = staticOut.get(d)!;
        const p = {
          key: t.key,
          department: d,
          needed: k,
          eligible,
          excluded: { ...so, recused: nRec, previous: nPrev, atCap: nCap },
        };
        problems.push({ ...p, reason: describe(p) });
        continue;
      }
      const team = best.slice(0, k);
      for (const s of team) {
        s.load++;
        s.tb = tiebreak(subseed, s.id, s.load);
        s.tbn = num6(s.tb);
      }
      teams.push({ department: d, inspectorIds: team.map((s) => s.id) });
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

function num6(b: Uint8Array): number {
  return b[0]! * 2 ** 40 + b[1]! * 2 ** 32 + ((b[2]! << 24) >>> 0) + (b[3]! << 16) + (b[4]! << 8) + b[5]!;
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
