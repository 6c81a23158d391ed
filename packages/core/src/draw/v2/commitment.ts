/**
 * The v2 commitment (docs/specs/draw-protocol-v2.md §3, §4, §5, §7): nonces and the two roster
 * texts, the strata, the pseudonymous pool and exclusions with the private matching record and its
 * root, the attempt chain, the audit anchor and the seed source, all validated with the ranges of §12.
 */
import { sha256, bytesToHex, utf8 } from '../../hash/index.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { compareUtf8, toCanonicalJson } from '../canonical-json.ts';
import type { Inspector, Item, Pair } from '../commitment.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { isValidKey } from '../roster.ts';
import { ratioMillionths, sampleSize, type StratumPlan } from '../strata.ts';
import { nonceMidstate, pseudonymizer } from './hashes.ts';
import {
  LIMITS,
  checkDrandSource,
  intIn,
  isDateV2,
  isInspectorId,
  isLabelV2,
  isRange,
  textOk,
} from './rules.ts';
import { parsePublicRoster, scanOpenings } from './texts.ts';
import {
  ALGORITHM_V2,
  type CommitmentInputV2,
  type CommitmentRecordV2,
  type CommitmentV2,
  type Exclusion,
  type PoolEntry,
  type PrivateMatchingV2,
} from './types.ts';

const HEX64 = /^[0-9a-f]{64}$/;
const bad = (message: string, details?: Record<string, unknown>) =>
  drawErr('DRAW_INPUT_INVALID', message, details);

const overlaps = (aFrom: string, aTo: string, bFrom: string, bTo: string) => aFrom <= bTo && aTo >= bFrom;

/** The departments of the items in code-point order. */
export function departmentsOf(items: readonly Item[]): string[] {
  return [...new Set(items.map((i) => i.department))].sort(compareUtf8);
}

/**
 * §7: the statically eligible inspectors of the items' departments as the pseudonymous pool (by
 * pseudonym), and the exclusions (recusals, and previous pairs when avoidPrevious) whose inspector
 * is in the pool and whose key is in the roster, by (pseudonym, key), unique. `pseudonymOfId`
 * maps the pool's real ids to their pseudonyms.
 */
export function poolOf(
  items: readonly Item[],
  inspection: { from: string; to: string },
  avoidPrevious: boolean,
  priv: PrivateMatchingV2,
  inRoster: (key: string) => boolean,
): { pool: PoolEntry[]; exclusions: Exclusion[]; pseudonymOfId: Map<string, string> } {
  const pseud = pseudonymizer(priv.salt);
  const depts = new Set(items.map((i) => i.department));
  const required = new Map<string, string[]>();
  for (const d of depts)
    required.set(d, [
      ...new Set(items.filter((i) => i.department === d && i.field !== null).map((i) => i.field!)),
    ]);
  const pool: PoolEntry[] = [];
  const pseudonymOfId = new Map<string, string>();
  for (const ins of priv.inspectors) {
    const req = required.get(ins.department);
    if (!req) continue;
    if (ins.unavailable.some((u) => overlaps(u.from, u.to, inspection.from, inspection.to))) continue;
    if (!(ins.certificate.from <= inspection.from && ins.certificate.to >= inspection.to)) continue;
    if (!req.every((f) => ins.fields.includes(f))) continue;
    const p = pseud(ins.id);
    pseudonymOfId.set(ins.id, p);
    pool.push({ pseudonym: p, department: ins.department, load: ins.load });
  }
  pool.sort((a, b) => compareUtf8(a.pseudonym, b.pseudonym));
  const seen = new Set<string>();
  const exclusions: Exclusion[] = [];
  const add = (pairs: readonly Pair[]) => {
    for (const x of pairs) {
      const p = pseudonymOfId.get(x.inspectorId);
      if (p === undefined || !inRoster(x.key)) continue;
      const k = `${p}\t${x.key}`;
      if (seen.has(k)) continue;
      seen.add(k);
      exclusions.push({ pseudonym: p, key: x.key });
    }
  };
  add(priv.recusals);
  if (avoidPrevious) add(priv.previous);
  exclusions.sort((a, b) => compareUtf8(a.pseudonym, b.pseudonym) || compareUtf8(a.key, b.key));
  return { pool, exclusions, pseudonymOfId };
}

/** matching.root: SHA-256 of the canonical JSON of the private matching record. */
export function matchingRoot(priv: PrivateMatchingV2): Result<string, DrawError> {
  const j = toCanonicalJson(priv);
  if (!j.ok) return j;
  return ok(bytesToHex(sha256(utf8(j.value))));
}

export function commitmentHashV2(
  record: CommitmentRecordV2,
): Result<{ json: string; hash: string }, DrawError> {
  const j = toCanonicalJson(record);
  if (!j.ok) return j;
  return ok({ json: j.value, hash: bytesToHex(sha256(utf8(j.value))) });
}

/** §4 sizes with the §12 ranges; population per label from the roster. */
export function planStrataV2(
  rules: CommitmentInputV2['strata'],
  population: ReadonlyMap<string, number>,
): Result<StratumPlan[], DrawError> {
  if (rules.length === 0) return bad('No stratum is configured');
  if (rules.length > LIMITS.strata) return bad(`At most ${LIMITS.strata} strata`);
  const seen = new Set<string>();
  const plans: StratumPlan[] = [];
  for (const r of rules) {
    if (!isLabelV2(r.label))
      return bad(
        `Stratum label ${JSON.stringify(r.label)} must be 1 to 64 characters without control characters`,
      );
    if (seen.has(r.label)) return bad(`Stratum ${r.label} is configured twice`);
    seen.add(r.label);
    if (ratioMillionths(r.ratio) === undefined)
      return drawErr(
        'DRAW_RATIO_INVALID',
        `Stratum ${r.label}: ratio ${JSON.stringify(r.ratio)} must be a decimal in (0, 1] with at most 6 decimals (no class is exempt)`,
        { stratum: r.label, ratio: r.ratio },
      );
    const min = r.min ?? 0;
    const max = r.max ?? null;
    if (!intIn(min, 0, LIMITS.minMax)) return bad(`Stratum ${r.label}: min must be an integer 0 … 10^8`);
    if (max !== null && !intIn(max, Math.max(1, min), LIMITS.minMax))
      return bad(`Stratum ${r.label}: max must be an integer max(1, min) … 10^8`);
    const n = population.get(r.label) ?? 0;
    if (n === 0)
      return drawErr('DRAW_STRATUM_EMPTY', `Stratum ${r.label} has no entity`, { stratum: r.label });
    plans.push({
      label: r.label,
      ratio: r.ratio,
      min,
      max,
      population: n,
      size: sampleSize(r.ratio, n, min, max),
    });
  }
  for (const l of population.keys())
    if (!seen.has(l))
      return drawErr('DRAW_STRATUM_UNKNOWN', `Stratum ${l} of the roster has no ratio`, { stratum: l });
  return ok(plans.sort((a, b) => compareUtf8(a.label, b.label)));
}

function validateHead(input: CommitmentInputV2): string | undefined {
  const t = input.task;
  if (!textOk(t.id, 64, true)) return 'The task id must be 1 to 64 characters without control characters';
  if (!textOk(t.name, 200, true))
    return 'The task name must be 1 to 200 characters without control characters';
  if (!intIn(input.attempt, 1, LIMITS.attempt)) return 'The attempt must be an integer 1 … 1000';
  if (
    input.attempt === 1
      ? input.predecessor !== null
      : !(typeof input.predecessor === 'string' && HEX64.test(input.predecessor))
  )
    return 'The predecessor is null for attempt 1 and the previous commitment hash (64 hex digits) otherwise';
  if (!intIn(input.audit.seq, 0, Number.MAX_SAFE_INTEGER) || !HEX64.test(input.audit.hash))
    return 'The audit anchor needs a sequence ≥ 0 and a hash of 64 lower-case hex digits';
  if (input.items.length < 1 || input.items.length > LIMITS.items)
    return 'The task needs 1 … 1000 inspection items';
  const ids = new Set<string>();
  for (const i of input.items) {
    if (!textOk(i.id, 64, true) || !textOk(i.department, 64, true))
      return `Item ${JSON.stringify(i.id)}: id and department must be 1 to 64 characters without control characters`;
    if (i.field !== null && !textOk(i.field, 64, false))
      return `Item ${i.id}: the field must be null or 1 to 64 characters`;
    if (ids.has(i.id)) return `Item ${i.id} appears twice`;
    ids.add(i.id);
  }
  const m = input.matching;
  if (!isRange(m.inspection))
    return 'The inspection dates must be real dates YYYY-MM-DD (1900 … 9999) with from ≤ to';
  const r = m.rules;
  if (!intIn(r.teamSize, LIMITS.teamSizeMin, LIMITS.teamSizeMax))
    return 'The team size must be an integer 2 … 20 (行政处罚法 art. 42)';
  if (r.maxLoad !== null && !intIn(r.maxLoad, 1, LIMITS.cap))
    return 'The workload cap must be null or an integer 1 … 10^6';
  if (r.maxPerDraw != null && !intIn(r.maxPerDraw, 1, LIMITS.cap))
    return 'The per-draw cap must be null or an integer 1 … 10^6';
  if (typeof r.avoidPrevious !== 'boolean') return 'avoidPrevious must be a boolean';
  const seen = new Set<string>();
  for (const i of m.inspectors) {
    if (!isInspectorId(i.id))
      return `Inspector id ${JSON.stringify(i.id)} must be 1 to 64 characters without NUL`;
    if (seen.has(i.id)) return `Inspector ${i.id} appears twice`;
    seen.add(i.id);
    if (!textOk(i.department, 64, true))
      return `Inspector ${i.id}: the department must be 1 to 64 characters`;
    if (!i.fields.every((f) => textOk(f, 64, false)))
      return `Inspector ${i.id}: every field is 1 to 64 characters`;
    if (!isRange(i.certificate))
      return `Inspector ${i.id}: the certificate dates must be real dates with from ≤ to`;
    if (!i.unavailable.every((u) => isRange(u)))
      return `Inspector ${i.id}: an absence is not a valid date range`;
    if (!intIn(i.load, 0, LIMITS.load)) return `Inspector ${i.id}: the load must be an integer 0 … 10^6`;
  }
  for (const p of [...m.recusals, ...m.previous])
    if (!isInspectorId(p.inspectorId) || typeof p.key !== 'string')
      return `A recusal or previous pair has an invalid inspector id ${JSON.stringify(p.inspectorId)}`;
  const s = input.seedSource;
  if (!s.dice && !s.drand) return 'The seed source names neither dice nor a drand round';
  if (s.dice && !intIn(s.dice.digits, LIMITS.diceMin, LIMITS.diceMax)) return 'The dice have 20 … 100 digits';
  if (s.drand && !intIn(s.drand.round, 1, Number.MAX_SAFE_INTEGER))
    return 'The drand round is an integer ≥ 1';
  return undefined;
}

function normalisePrivate(
  saltHex: string,
  inspectors: readonly Inspector[],
  recusals: readonly Pair[],
  previous: readonly Pair[],
  inRoster: (key: string) => boolean,
): PrivateMatchingV2 {
  const ids = new Set(inspectors.map((i) => i.id));
  const pairs = (ps: readonly Pair[]) => {
    const seen = new Set<string>();
    const out: Pair[] = [];
    for (const p of ps) {
      // Only pairs that can matter for this draw: a known inspector, a key of the roster.
      if (!ids.has(p.inspectorId) || !inRoster(p.key)) continue;
      const k = `${p.inspectorId}\u0000${p.key}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ inspectorId: p.inspectorId, key: p.key });
    }
    return out.sort((a, b) => compareUtf8(a.inspectorId, b.inspectorId) || compareUtf8(a.key, b.key));
  };
  return {
    salt: saltHex,
    inspectors: inspectors
      .map((i) => {
        const seen = new Set<string>();
        const unavailable = i.unavailable
          .map((u) => ({ from: u.from, to: u.to }))
          .sort((a, b) => compareUtf8(a.from, b.from) || compareUtf8(a.to, b.to))
          .filter((u) => {
            const k = `${u.from}/${u.to}`;
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        return {
          id: i.id,
          department: i.department,
          fields: [...new Set(i.fields)].sort(compareUtf8),
          certificate: { from: i.certificate.from, to: i.certificate.to },
          unavailable,
          load: i.load,
        };
      })
      .sort((a, b) => compareUtf8(a.id, b.id)),
    recusals: pairs(recusals),
    previous: pairs(previous),
  };
}

/** Nonces are drawn in chunks of at most this many entities (64 KiB: the browser's getRandomValues limit). */
const NONCE_CHUNK = 4096;

const HEX_CHAR = new Uint8Array([...'0123456789abcdef'].map((x) => x.charCodeAt(0)));

/**
 * Validates the input and builds the commitment. randomBytes(n) must return n bytes from a
 * cryptographic source: the nonces are drawn first (16 bytes per entity in key order, in chunks of
 * at most 4096 entities), then the 32-byte salt (again if two pool pseudonyms collide).
 */
export function buildCommitmentV2(
  input: CommitmentInputV2,
  randomBytes: (n: number) => Uint8Array,
): Result<CommitmentV2, DrawError> {
  const head = validateHead(input);
  if (head) return bad(head);
  const s = input.seedSource;
  if (s.drand) {
    const d = checkDrandSource(s.drand, '$.seedSource.drand');
    if (!d.ok) return d;
  }
  // Roster: keys, labels, order, duplicates.
  const entries = input.roster;
  if (entries.length === 0) return drawErr('DRAW_ROSTER_EMPTY', 'The roster has no entity');
  if (entries.length > LIMITS.rosterSize) return bad('The roster has more than 10^8 entities');
  const labelOk = new Map<string, boolean>();
  const population = new Map<string, number>();
  for (const e of entries) {
    if (!isValidKey(e.key))
      return drawErr(
        'DRAW_KEY_INVALID',
        `Roster key ${JSON.stringify(e.key)} is neither a USCC nor a registration number`,
        {
          key: e.key,
        },
      );
    let good = labelOk.get(e.stratum);
    if (good === undefined) labelOk.set(e.stratum, (good = isLabelV2(e.stratum)));
    if (!good)
      return bad(
        `Stratum label ${JSON.stringify(e.stratum)} of ${e.key} must be 1 to 64 characters without control characters`,
        {
          key: e.key,
        },
      );
    population.set(e.stratum, (population.get(e.stratum) ?? 0) + 1);
  }
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i - 1]!.key === sorted[i]!.key)
      return drawErr('DRAW_DUPLICATE_KEY', `Key ${sorted[i]!.key} appears more than once in the roster`, {
        key: sorted[i]!.key,
      });
  const strata = planStrataV2(input.strata, population);
  if (!strata.ok) return strata;
  // Nonces and the two texts, written as bytes (no string per entity), decoded once.
  const n = sorted.length;
  const labelBytes = new Map<string, Uint8Array>();
  let pubLen = 0;
  let openLen = 0;
  for (const e of sorted) {
    let lb = labelBytes.get(e.stratum);
    if (!lb) labelBytes.set(e.stratum, (lb = utf8(e.stratum)));
    pubLen += e.key.length + 66;
    openLen += e.key.length + lb.length + 35;
  }
  const pubB = new Uint8Array(pubLen);
  const openB = new Uint8Array(openLen);
  const nh = nonceMidstate();
  const w = new Int32Array(8);
  let p = 0;
  let o = 0;
  for (let c = 0; c < n; c += NONCE_CHUNK) {
    const m = Math.min(NONCE_CHUNK, n - c);
    const bytes = randomBytes(16 * m);
    if (!(bytes instanceof Uint8Array) || bytes.length !== 16 * m)
      throw new Error('Invariant: randomBytes(n) returns n bytes');
    for (let j = 0; j < m; j++) {
      const e = sorted[c + j]!;
      const r = bytes.subarray(16 * j, 16 * j + 16);
      const key = e.key;
      for (let i = 0; i < key.length; i++) {
        const ch = key.charCodeAt(i);
        pubB[p++] = ch;
        openB[o++] = ch;
      }
      pubB[p++] = 9;
      nh.bytesWords(r, 16, w);
      for (let k = 0; k < 8; k++) {
        const x = w[k]!;
        for (let sh = 28; sh >= 0; sh -= 4) pubB[p++] = HEX_CHAR[(x >>> sh) & 15]!;
      }
      pubB[p++] = 10;
      openB[o++] = 9;
      const lb = labelBytes.get(e.stratum)!;
      openB.set(lb, o);
      o += lb.length;
      openB[o++] = 9;
      for (let i = 0; i < 16; i++) {
        openB[o++] = HEX_CHAR[r[i]! >>> 4]!;
        openB[o++] = HEX_CHAR[r[i]! & 15]!;
      }
      openB[o++] = 10;
    }
  }
  if (p !== pubLen || o !== openLen) throw new Error('Invariant: the texts have the computed lengths');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const publicRoster = decoder.decode(pubB);
  const openings = decoder.decode(openB);
  const keySet = new Set(sorted.map((e) => e.key));
  const inRoster = (k: string) => keySet.has(k);
  const m = input.matching;
  const inspection = { from: m.inspection.from, to: m.inspection.to };
  const items = input.items
    .map((i) => ({ id: i.id, department: i.department, field: i.field }))
    .sort((a, b) => compareUtf8(a.id, b.id));
  let priv: PrivateMatchingV2 | undefined;
  let pooled: ReturnType<typeof poolOf> | undefined;
  for (let attempt = 0; attempt < 8 && !pooled; attempt++) {
    const salt = randomBytes(32);
    if (!(salt instanceof Uint8Array) || salt.length !== 32)
      throw new Error('Invariant: randomBytes(n) returns n bytes');
    priv = normalisePrivate(bytesToHex(salt), m.inspectors, m.recusals, m.previous, inRoster);
    const p = poolOf(items, inspection, m.rules.avoidPrevious, priv, inRoster);
    if (new Set(p.pool.map((x) => x.pseudonym)).size === p.pool.length) pooled = p;
  }
  if (!priv || !pooled) return bad('Pseudonyms collide for every salt drawn (is the random source broken?)');
  if (pooled.pool.length > LIMITS.pool) return bad(`The pool has more than ${LIMITS.pool} inspectors`);
  const root = matchingRoot(priv);
  if (!root.ok) return root;
  const record: CommitmentRecordV2 = {
    algorithm: ALGORITHM_V2,
    task: { id: input.task.id, name: input.task.name },
    attempt: input.attempt,
    predecessor: input.predecessor,
    audit: { seq: input.audit.seq, hash: input.audit.hash },
    items,
    roster: {
      root: bytesToHex(sha256(pubB)),
      size: n,
      openingsRoot: bytesToHex(sha256(openB)),
    },
    strata: strata.value,
    matching: {
      inspection,
      rules: {
        teamSize: m.rules.teamSize,
        maxLoad: m.rules.maxLoad,
        maxPerDraw: m.rules.maxPerDraw ?? null,
        avoidPrevious: m.rules.avoidPrevious,
      },
      pool: pooled.pool,
      exclusions: pooled.exclusions,
      root: root.value,
    },
    seedSource: {
      dice: s.dice ? { digits: s.dice.digits } : null,
      drand: s.drand
        ? {
            chainHash: s.drand.chainHash,
            publicKey: s.drand.publicKey,
            scheme: s.drand.scheme,
            round: s.drand.round,
          }
        : null,
    },
  };
  const h = commitmentHashV2(record);
  if (!h.ok) return h;
  return ok({
    record,
    json: h.value.json,
    hash: h.value.hash,
    publicRoster,
    openings,
    privateMatching: priv,
  });
}

/**
 * From what the services stored: the commitment JSON must hash to a v2 record whose roster root,
 * openings root and matching root are those of the texts and the private record given.
 */
export function restoreCommitmentV2(st: {
  json: string;
  publicRoster: string;
  openings: string;
  privateMatching: PrivateMatchingV2;
}): Result<CommitmentV2, DrawError> {
  let record: CommitmentRecordV2;
  try {
    record = JSON.parse(st.json) as CommitmentRecordV2;
  } catch (e) {
    return bad(`The stored commitment is not JSON: ${(e as Error).message}`);
  }
  if (record === null || typeof record !== 'object' || record.algorithm !== ALGORITHM_V2)
    return bad('The stored commitment is not a choucha-draw-v2 record');
  const h = commitmentHashV2(record);
  if (!h.ok) return h;
  if (h.value.json !== st.json) return bad('The stored commitment is not canonical JSON');
  const roster = parsePublicRoster(st.publicRoster);
  if (!roster.ok) return bad(`The stored public roster is not valid: ${roster.error.message}`);
  if (
    bytesToHex(sha256(utf8(st.publicRoster))) !== record.roster.root ||
    roster.value.size !== record.roster.size
  )
    return bad('The stored public roster is not the committed one');
  if (bytesToHex(sha256(utf8(st.openings))) !== record.roster.openingsRoot)
    return bad('The stored openings are not the committed ones');
  const scan = scanOpenings(
    st.openings,
    roster.value,
    record.strata.map((s) => s.label),
    null,
  );
  if (!scan.ok) return bad(`The stored openings are not valid: ${scan.error.message}`);
  const root = matchingRoot(st.privateMatching);
  if (!root.ok) return root;
  if (root.value !== record.matching.root)
    return bad('The stored private matching record is not the committed one');
  return ok({
    record,
    json: st.json,
    hash: h.value.hash,
    publicRoster: st.publicRoster,
    openings: st.openings,
    privateMatching: st.privateMatching,
  });
}

export { isDateV2 };
