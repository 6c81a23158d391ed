/**
 * verifyBundleV2 (docs/specs/draw-protocol-v2.md §12 steps 3–4): recompute a v2 bundle whose shape
 * validateBundleV2 accepted, and report the FIRST difference. The public view checks what the
 * public can (commitment, roster, strata sizes, seed, every SELECTED entity's nonce and ticket, the
 * counts, the matching on the pool); the full view also step 9 (matching root, pool, exclusions,
 * openings, every ticket, the selection per stratum, the escalation counts).
 *
 * Cost: the public view reads the roster text once and hashes it, then one nonce hash and one
 * ticket per selected entity; the full view reads the openings once more with two compressions
 * per entity (nonce hash, ticket prefix) and hashes them.
 */
import { sha256Text } from '../../hash/index.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { drawErr, type DrawError } from '../errors.ts';
import type { SeedOptions } from '../seed.ts';
import { sampleSize } from '../strata.ts';
import { firstDifference } from '../verify.ts';
import { commitmentHashV2, matchingRoot, poolOf } from './commitment.ts';
import { ticketHasher } from './hashes.ts';
import { checkDrandSource } from './rules.ts';
import { deriveSeedV2 } from './seed.ts';
import { matchV2, roundExtras, selectV2 } from './select.ts';
import type { MidstateHasher } from '../ticket-hash.ts';
import {
  checkSelected,
  findKey,
  type OpeningsScan,
  type RosterIndex,
  nonceHashAt,
  nonceHashOfHex,
  parsePublicRoster,
  scanOpenings,
  ticketOfNonceHex,
} from './texts.ts';
import {
  ALGORITHM_V2,
  BUNDLE_FORMAT_V2,
  type BundleStageV2,
  type BundleV2,
  type FullBundleV2,
  type SelectedV2,
  type TeamV2,
} from './types.ts';

export interface VerifiedV2 {
  stage: BundleStageV2;
  view: 'public' | 'full';
  targets: number;
  blsChecked: boolean;
}

function mismatch(path: string, expected: unknown, actual: unknown, what: string) {
  return drawErr(
    'DRAW_BUNDLE_MISMATCH',
    `${what}: at ${path} the bundle has ${JSON.stringify(actual)}, the recomputation gives ${JSON.stringify(expected)}`,
    { path, expected, actual },
  );
}

function diff(expected: unknown, actual: unknown, path: string, what: string) {
  const d = firstDifference(expected, actual, path);
  return d ? mismatch(d.path, d.expected, d.actual, what) : undefined;
}

const own = Object.prototype.hasOwnProperty;

/** Is x a (non-array) object whose own defined members are exactly n (as jsonEqual counts them)? */
function isRecordOf(x: unknown, n: number): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  let m = 0;
  for (const k in x) if (own.call(x, k) && (x as Record<string, unknown>)[k] !== undefined) m++;
  return m === n;
}

/**
 * Fast equality of the recomputed selection with the bundle's, field by field (1,000,000-entity
 * full view: 100,000 entries): true only where firstDifference finds no difference; on false the
 * caller runs diff() for the first difference, so the outcome is the same.
 */
function sameSelection(e: readonly SelectedV2[], a: unknown): boolean {
  if (!Array.isArray(a) || a.length !== e.length) return false;
  for (let i = 0; i < e.length; i++) {
    const x = e[i]!;
    const y: unknown = a[i];
    if (!isRecordOf(y, 4)) return false;
    if (x.key !== y['key'] || x.nonce !== y['nonce'] || x.ticket !== y['ticket'] || x.phase !== y['phase'])
      return false;
  }
  return true;
}

/** As sameSelection, for the teams (key, teams: [{ department, inspectors: [id …] }]). */
function sameTeams(e: readonly TeamV2[], a: unknown): boolean {
  if (!Array.isArray(a) || a.length !== e.length) return false;
  for (let i = 0; i < e.length; i++) {
    const x = e[i]!;
    const y: unknown = a[i];
    if (!isRecordOf(y, 2) || x.key !== y['key']) return false;
    const yt: unknown = y['teams'];
    if (!Array.isArray(yt) || yt.length !== x.teams.length) return false;
    for (let j = 0; j < x.teams.length; j++) {
      const d = x.teams[j]!;
      const z: unknown = yt[j];
      if (!isRecordOf(z, 2) || d.department !== z['department']) return false;
      const zi: unknown = z['inspectors'];
      if (!Array.isArray(zi) || zi.length !== d.inspectors.length) return false;
      for (let k = 0; k < zi.length; k++) if (zi[k] !== d.inspectors[k]) return false;
    }
  }
  return true;
}

export function verifyBundleV2(b: BundleV2, opts: SeedOptions = {}): Result<VerifiedV2, DrawError> {
  const c = b.commitment;
  if (b.format !== BUNDLE_FORMAT_V2)
    return mismatch('$.format', BUNDLE_FORMAT_V2, b.format, 'Unknown bundle format');
  if (c.algorithm !== ALGORITHM_V2)
    return mismatch('$.commitment.algorithm', ALGORITHM_V2, c.algorithm, 'Unknown algorithm');
  // Step 3: the drand source.
  if (c.seedSource.drand) {
    const d = checkDrandSource(c.seedSource.drand);
    if (!d.ok) return d;
  }
  // 4.1 commitmentHash.
  const h = commitmentHashV2(c);
  if (!h.ok) return h;
  if (h.value.hash !== b.commitmentHash)
    return mismatch('$.commitmentHash', h.value.hash, b.commitmentHash, 'The commitment hash differs');
  // 4.2 the public roster.
  const rosterR = parsePublicRoster(b.roster);
  if (!rosterR.ok) return rosterR;
  const roster = rosterR.value;
  const root = sha256Text(b.roster);
  if (root !== c.roster.root)
    return mismatch('$.commitment.roster.root', root, c.roster.root, 'The roster root differs');
  if (roster.size !== c.roster.size)
    return mismatch('$.commitment.roster.size', roster.size, c.roster.size, 'The roster size differs');
  // 4.3 strata.
  let sum = 0;
  for (const s of c.strata) sum += s.population;
  if (sum !== roster.size)
    return mismatch(
      '$.commitment.strata',
      roster.size,
      sum,
      'The strata populations do not add up to the roster size',
    );
  for (let i = 0; i < c.strata.length; i++) {
    const s = c.strata[i]!;
    const size = sampleSize(s.ratio, s.population, s.min, s.max);
    if (size !== s.size)
      return mismatch(`$.commitment.strata[${i}].size`, size, s.size, 'A stratum size differs');
  }
  // 4.4 matching references.
  const pseudonyms = new Set(c.matching.pool.map((p) => p.pseudonym));
  for (let i = 0; i < c.matching.exclusions.length; i++) {
    const e = c.matching.exclusions[i]!;
    if (findKey(roster, e.key) < 0)
      return drawErr('BUNDLE_FIELD_INVALID', `Exclusion ${i}: key ${e.key} is not in the roster`, {
        path: `$.commitment.matching.exclusions[${i}].key`,
      });
    if (!pseudonyms.has(e.pseudonym))
      return drawErr('BUNDLE_FIELD_INVALID', `Exclusion ${i}: pseudonym ${e.pseudonym} is not in the pool`, {
        path: `$.commitment.matching.exclusions[${i}].pseudonym`,
      });
  }
  // 4.5 committed: in the full view the seed-free checks of step 9, then stop.
  if (b.stage === 'committed') {
    if (b.view === 'full') {
      const p = privateChecks(b, roster, null);
      if (!p.ok) return p;
    }
    return ok({ stage: b.stage, view: b.view, targets: 0, blsChecked: false });
  }
  // 4.6 seed.
  if (!b.seedInputs || b.seed === null || !b.selection)
    return drawErr('BUNDLE_FIELD_INVALID', `A ${b.stage} bundle has seed inputs, a seed and a selection`, {
      path: '$.seedInputs',
    });
  const seedR = deriveSeedV2(b.commitmentHash, c.seedSource, b.seedInputs, opts);
  if (!seedR.ok) return seedR;
  const seed = seedR.value.seed;
  if (seed !== b.seed) return mismatch('$.seed', seed, b.seed, 'The seed differs');
  // 4.7 the selected entities against the roster.
  const tickets = ticketHasher(seed);
  const sel = b.selection;
  const perPhase = new Array<number>(b.escalations.length + 1).fill(0);
  for (let i = 0; i < sel.length; i++) {
    const e = sel[i]!;
    const at = findKey(roster, e.key);
    if (at < 0)
      return drawErr('BUNDLE_FIELD_INVALID', `Selected key ${e.key} is not in the roster`, {
        path: `$.selection[${i}].key`,
      });
    const chk = checkSelected(tickets, roster, at, e.nonce, e.ticket);
    const nh = chk === 1 ? nonceHashOfHex(e.nonce) : undefined;
    const line = chk === 1 ? nonceHashAt(roster, at) : undefined;
    if (chk === 1)
      return mismatch(
        `$.selection[${i}].nonce`,
        line,
        nh ?? e.nonce,
        `The nonce of ${e.key} does not hash to its roster line`,
      );
    if (chk === 2)
      return mismatch(
        `$.selection[${i}].ticket`,
        ticketOfNonceHex(tickets, roster, at, e.nonce),
        e.ticket,
        `The ticket of ${e.key} differs`,
      );
    if (!Number.isSafeInteger(e.phase) || e.phase < 0 || e.phase >= perPhase.length)
      return drawErr('BUNDLE_FIELD_INVALID', `Selection ${i}: phase ${e.phase} is not a round`, {
        path: `$.selection[${i}].phase`,
      });
    perPhase[e.phase]!++;
  }
  let committed = 0;
  for (const s of c.strata) committed += s.size;
  if (perPhase[0] !== committed)
    return mismatch(
      '$.selection',
      committed,
      perPhase[0],
      'The number selected in phase 0 is not the sum of the committed sizes',
    );
  for (let r = 1; r < perPhase.length; r++)
    if (perPhase[r] !== b.escalations[r - 1])
      return mismatch(
        `$.escalations[${r - 1}]`,
        perPhase[r],
        b.escalations[r - 1],
        `The number selected in phase ${r} is not what escalation round ${r} added`,
      );
  const blsChecked = seedR.value.blsChecked;
  const done = () => ok({ stage: b.stage, view: b.view, targets: sel.length, blsChecked });
  // 4.8 drawn: no matching (the full view still runs step 9); else the matching on the selection.
  const matched = b.stage === 'drawn' ? ok(null) : checkMatching(b, c, sel, seed);
  if (!matched.ok) return matched;
  if (b.view === 'public') return done();
  // 4.9 full view.
  const priv = b.private;
  const scan = privateChecks(b, roster, tickets);
  if (!scan.ok) return scan;
  if (priv.escalations.length !== b.escalations.length)
    return drawErr(
      'BUNDLE_FIELD_INVALID',
      'The private escalation rounds are not as many as the public ones',
      {
        path: '$.private.escalations',
      },
    );
  const extras = roundExtras(c.strata, priv.escalations, '$.private.escalations', 'BUNDLE_FIELD_INVALID');
  if (!extras.ok) return extras;
  const full = selectV2(roster, priv.openings, scan.value, tickets, c.strata, extras.value);
  const ds = sameSelection(full.selection, sel)
    ? undefined
    : diff(full.selection, sel, '$.selection', 'The selection differs');
  if (ds) return ds;
  const de = diff(full.escalations, b.escalations, '$.escalations', 'The escalation counts differ');
  if (de) return de;
  return done();
}

/** Step 4.8: the matching on the selection gives the bundle's teams, or its infeasible pairs. */
function checkMatching(
  b: BundleV2,
  c: BundleV2['commitment'],
  sel: NonNullable<BundleV2['selection']>,
  seed: string,
): Result<null, DrawError> {
  const targets = sel.map((e) => ({ key: e.key, ticket: e.ticket, phase: e.phase }));
  const m = matchV2(c, targets, seed);
  if (!m.ok) return m;
  if (m.value.teams) {
    if (b.stage !== 'matched')
      return mismatch('$.stage', 'matched', b.stage, 'The matching is feasible, the bundle says it is not');
    const teams: TeamV2[] = m.value.teams.map((t) => ({
      key: t.key,
      teams: t.teams.map((d) => ({ department: d.department, inspectors: d.inspectorIds })),
    }));
    const dt = sameTeams(teams, b.teams) ? undefined : diff(teams, b.teams, '$.teams', 'The teams differ');
    if (dt) return dt;
  } else {
    if (b.stage !== 'infeasible')
      return mismatch(
        '$.stage',
        'infeasible',
        b.stage,
        'The matching is infeasible, the bundle says it is matched',
      );
    const pairs = (m.value.problems ?? []).map((p) => ({ key: p.key, department: p.department }));
    const di = diff(pairs, b.infeasible, '$.infeasible', 'The infeasible pairs differ');
    if (di) return di;
  }
  return ok(null);
}

/**
 * Step 9 without the seed (also step 5 of a committed full bundle): matching.root, the pool and
 * the exclusions from the private record, the openings against the roster (with every ticket
 * prefix when the ticket hasher is given), the openings root, each stratum's population.
 */
function privateChecks(
  b: FullBundleV2,
  roster: RosterIndex,
  tickets: MidstateHasher | null,
): Result<OpeningsScan, DrawError> {
  const c = b.commitment;
  const priv = b.private;
  const mr = matchingRoot(priv.matching);
  if (!mr.ok) return mr;
  if (mr.value !== c.matching.root)
    return mismatch('$.commitment.matching.root', mr.value, c.matching.root, 'The matching root differs');
  const pooled = poolOf(
    c.items,
    c.matching.inspection,
    c.matching.rules.avoidPrevious,
    priv.matching,
    (k) => findKey(roster, k) >= 0,
  );
  const dp = diff(pooled.pool, c.matching.pool, '$.commitment.matching.pool', 'The pool differs');
  if (dp) return dp;
  const dx = diff(
    pooled.exclusions,
    c.matching.exclusions,
    '$.commitment.matching.exclusions',
    'The exclusions differ',
  );
  if (dx) return dx;
  const labels = c.strata.map((s) => s.label);
  const scan = scanOpenings(priv.openings, roster, labels, tickets);
  if (!scan.ok) return scan;
  const oroot = sha256Text(priv.openings);
  if (oroot !== c.roster.openingsRoot)
    return mismatch(
      '$.commitment.roster.openingsRoot',
      oroot,
      c.roster.openingsRoot,
      'The openings root differs',
    );
  for (let i = 0; i < c.strata.length; i++)
    if (scan.value.population[i] !== c.strata[i]!.population)
      return mismatch(
        `$.commitment.strata[${i}].population`,
        scan.value.population[i],
        c.strata[i]!.population,
        `The openings put another number of entities in stratum ${c.strata[i]!.label}`,
      );
  return scan;
}
