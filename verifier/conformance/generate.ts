/**
 * Generates the conformance suite of draw protocol v2 (docs/specs/draw-protocol-v2.md §13):
 * verifier/conformance/vectors/*.json and verifier/conformance/manifest.json.
 *
 *   node --import tsx verifier/conformance/generate.ts
 *
 * rewrites them; verifier/conformance.test.ts checks that the committed files are what this
 * generates (byte for byte) and runs the CLI, the Python verifier and the in-process verifier on
 * every vector. Positive vectors come from the core's v2 fixture (deterministic randomness);
 * every negative vector is one targeted change of a positive one, so that the rule it names is the
 * first one a verifier that follows §12 meets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@choucha/core';
import type { ErrorCode, SeedInputs } from '@choucha/core';
import * as v2 from '../../packages/core/src/draw/v2/index.ts';
import type { BundleV2, EscalationEntryV2, FullBundleV2 } from '../../packages/core/src/draw/v2/index.ts';
import { sha256, bytesToHex, hexToBytes, utf8 } from '../../packages/core/src/hash/index.ts';
import * as shape from '../../packages/core/src/draw/v2/shape.ts';
import * as fixture from '../../packages/core/src/draw/v2/fixture.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CONFORMANCE_DIR = HERE;
export const VECTORS_DIR = path.join(HERE, 'vectors');
export const MANIFEST_PATH = path.join(HERE, 'manifest.json');
const V1_VECTORS = path.join(HERE, '..', 'test-vectors.json');

export type Verdict = 'verified' | 'rejected' | 'unreadable';
export interface Expectation {
  verdict: Verdict;
  exit: 0 | 1 | 2;
  code: ErrorCode | null;
}
export interface ManifestEntry {
  /** The file's name in vectors/. */
  file: string;
  /** The section of the spec (and the rule) it exercises. */
  rule: string;
  description: string;
  expect: Expectation;
  /**
   * The id of the shape rule (SHAPE_RULES of packages/core/src/draw/v2/shape.ts) that the vector
   * exercises, when it exercises one; every id has at least one vector.
   */
  shapeRule?: string;
  /** Only for a vector whose verdict depends on the BLS check, which verify.py cannot make. */
  python?: { verdict: Verdict; exit: 0 | 1 | 2; code: ErrorCode | null; blsChecked: false };
}
export interface Suite {
  manifest: ManifestEntry[];
  files: Map<string, Uint8Array>;
}

const verified: Expectation = { verdict: 'verified', exit: 0, code: null };
const rejected = (code: ErrorCode): Expectation => ({ verdict: 'rejected', exit: 1, code });
const unreadable = (code: ErrorCode): Expectation => ({ verdict: 'unreadable', exit: 2, code });

/** How every vector that is a JSON value is written: one-space indent, a final newline. */
export const text = (v: unknown) => `${JSON.stringify(v, null, 1)}\n`;

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);
const hex = (s: string) => bytesToHex(sha256(utf8(s)));

/** The commitment hash of a record (canonical JSON, §5). */
function hashOf(record: v2.CommitmentRecordV2): string {
  return must(v2.commitmentHashV2(record), 'commitmentHashV2').hash;
}
/** Recompute the commitment hash after a change to the commitment (so that step 4.1 passes). */
function rehash<B extends BundleV2>(b: B): B {
  b.commitmentHash = hashOf(b.commitment);
  return b;
}

/** Flip the last hex digit of a hex string (keeps its length, its case and — almost always — its order). */
const flipLast = (h: string) => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');
/** Flip the first hex digit. */
const flipFirst = (h: string) => (h.startsWith('0') ? '1' : '0') + h.slice(1);

function must<T>(r: core.Result<T, core.DrawError>, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

// ---------------------------------------------------------------------------------------------
// The positive bundles

interface Bases {
  /** The commitment of matchedFull (for draws from a changed record). */
  matchedCommitment: v2.CommitmentV2;
  /** The commitment of committedFull. */
  committedCommitment: v2.CommitmentV2;
  committedFull: FullBundleV2;
  drawnFull: FullBundleV2;
  matchedFull: FullBundleV2;
  infeasibleFull: FullBundleV2;
  mainnetFull: FullBundleV2;
  diceOnlyFull: FullBundleV2;
  quicknetOnlyFull: FullBundleV2;
  escalatedFull: FullBundleV2;
  redrawFull: FullBundleV2;
  supersededFull: FullBundleV2;
  astralFull: FullBundleV2;
  codePointOrderFull: FullBundleV2;
  fabricatedBlsFull: FullBundleV2;
}

const FABRICATED_SIGNATURE =
  // the generator of G1 (compressed): a valid point, not the signature of any round
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';

type Input = v2.CommitmentInputV2;

function commit(input: Input, randomSeed: string) {
  return must(v2.buildCommitmentV2(input, fixture.fixtureRandom(randomSeed)), 'buildCommitmentV2');
}
function draw(
  input: Input,
  randomSeed: string,
  seedInputs: SeedInputs,
  escalations: EscalationEntryV2[][] = [],
  opts: core.SeedOptions = {},
): FullBundleV2 {
  return must(v2.runDrawV2(commit(input, randomSeed), seedInputs, escalations, opts), 'runDrawV2').bundle;
}
/** Stage `drawn` of a drawn bundle (matched or infeasible): seed and selection, matching not run. */
/**
 * The draw of a commitment whose record was changed after it was built (the openings and the
 * private matching record stay as they were): its hash, seed, selection and teams all follow the
 * changed record, so only the full view's checks against `private` (§12 step 4.9) can see it.
 */
function drawChangedRecord(c: v2.CommitmentV2, f: (r: v2.CommitmentRecordV2) => void): FullBundleV2 {
  const record = clone(c.record);
  f(record);
  const h = must(v2.commitmentHashV2(record), 'commitmentHashV2');
  return must(v2.runDrawV2({ ...c, record, json: h.json, hash: h.hash }, QUICKNET_INPUTS, []), 'runDrawV2')
    .bundle;
}
/** The committed bundle of a commitment whose record was changed after it was built (rehashed). */
function committedChangedRecord(c: v2.CommitmentV2, f: (r: v2.CommitmentRecordV2) => void): FullBundleV2 {
  const record = clone(c.record);
  f(record);
  const h = must(v2.commitmentHashV2(record), 'commitmentHashV2');
  return v2.committedBundleV2({ ...c, record, json: h.json, hash: h.hash });
}
function drawnOf(b: FullBundleV2): FullBundleV2 {
  return v2.drawnBundleV2(clone(b));
}

const { QUICKNET_BEACON, MAINNET_BEACON } = fixture;
/** A valid key (USCC alphabet) that is not in the fixture's roster. */
const OUTSIDER = '91610103MA6YYYYYY9';
const DICE20 = fixture.DICE;
const QUICKNET_INPUTS: SeedInputs = { dice: DICE20, beacon: QUICKNET_BEACON };

function bases(): Bases {
  const input = (): Input => clone(fixture.fixtureInputV2());
  const base = input();
  const matchedCommitment = commit(base, 'conformance');
  const matchedFull = must(v2.runDrawV2(matchedCommitment, QUICKNET_INPUTS, []), 'runDrawV2').bundle;
  if (matchedFull.stage !== 'matched') throw new Error('the fixture must match');

  const mainnet = input();
  mainnet.seedSource = { dice: null, drand: { ...core.DRAND_MAINNET, round: MAINNET_BEACON.round } };
  const diceOnly = input();
  diceOnly.seedSource = { dice: { digits: 22 }, drand: null };
  const quicknetOnly = input();
  quicknetOnly.seedSource = { dice: null, drand: { ...core.DRAND_QUICKNET, round: QUICKNET_BEACON.round } };

  const infeasible = input();
  infeasible.matching.rules.maxPerDraw = 2;
  const infeasibleFull = draw(infeasible, 'conformance-infeasible', QUICKNET_INPUTS);
  if (infeasibleFull.stage !== 'infeasible') throw new Error('the infeasible fixture must be infeasible');

  const escalatedFull = draw(input(), 'conformance', QUICKNET_INPUTS, [
    [{ label: 'C', extra: 2 }],
    [
      { label: 'A', extra: 1 },
      { label: 'B', extra: 3 },
    ],
  ]);

  // the redraw chain: attempt 1 superseded by attempt 2 (whose predecessor is attempt 1)
  const first = draw(input(), 'conformance', QUICKNET_INPUTS);
  const second = input();
  second.attempt = 2;
  second.predecessor = first.commitmentHash;
  second.audit = { seq: base.audit.seq + 7, hash: hex('audit head after the redraw decision') };
  second.seedSource = { dice: { digits: 20 }, drand: null };
  const redrawFull = draw(second, 'conformance-attempt-2', { dice: '27182818284590452353', beacon: null });
  const supersededFull = v2.withSupersededBy(first, redrawFull.commitmentHash);

  // a stratum label of 64 astral code points (128 UTF-16 units): valid (§3 counts code points)
  const astral = input();
  const longLabel = '𝔇'.repeat(64);
  astral.roster = astral.roster.map((r) => (r.stratum === 'D|张家村街道' ? { ...r, stratum: longLabel } : r));
  astral.strata = astral.strata.map((s) => (s.label === 'D|张家村街道' ? { ...s, label: longLabel } : s));
  const astralFull = draw(astral, 'conformance-astral', QUICKNET_INPUTS);

  // labels whose code-point order is not their UTF-16 order: 'Ａ' (U+FF21) < '𝔸' (U+1D538)
  const order = input();
  const relabel: Record<string, string> = { C: '\uff21', 'D|张家村街道': '𝔸' };
  order.roster = order.roster.map((r) => ({ ...r, stratum: relabel[r.stratum] ?? r.stratum }));
  order.strata = order.strata.map((s) => ({ ...s, label: relabel[s.label] ?? s.label }));
  const codePointOrderFull = draw(order, 'conformance-order', QUICKNET_INPUTS);

  // a beacon whose randomness is SHA-256 of a signature that is not the round's BLS signature
  const fabricatedBeacon = {
    ...QUICKNET_BEACON,
    signature: FABRICATED_SIGNATURE,
    randomness: bytesToHex(sha256(hexToBytes(FABRICATED_SIGNATURE)!)),
  };
  const fabricatedBlsFull = draw(input(), 'conformance', { dice: DICE20, beacon: fabricatedBeacon }, [], {
    skipBls: true,
  });

  const committedCommitment = commit(input(), 'conformance');
  return {
    matchedCommitment,
    committedCommitment,
    committedFull: v2.committedBundleV2(committedCommitment),
    drawnFull: drawnOf(matchedFull),
    matchedFull,
    infeasibleFull,
    mainnetFull: draw(mainnet, 'conformance', { dice: null, beacon: MAINNET_BEACON }),
    diceOnlyFull: draw(diceOnly, 'conformance', { dice: '6254133652415263114236', beacon: null }),
    quicknetOnlyFull: draw(quicknetOnly, 'conformance', { dice: null, beacon: QUICKNET_BEACON }),
    escalatedFull,
    redrawFull,
    supersededFull,
    astralFull,
    codePointOrderFull,
    fabricatedBlsFull,
  };
}

// ---------------------------------------------------------------------------------------------
// The suite

class Builder {
  readonly manifest: ManifestEntry[] = [];
  readonly files = new Map<string, Uint8Array>();

  add(
    file: string,
    rule: string,
    description: string,
    content: string | Uint8Array | BundleV2 | Json,
    expect: Expectation,
    python?: ManifestEntry['python'],
  ) {
    const name = `${file}.json`;
    if (this.files.has(name)) throw new Error(`two vectors named ${name}`);
    const bytes =
      content instanceof Uint8Array ? content : utf8(typeof content === 'string' ? content : text(content));
    this.files.set(name, bytes);
    const shapeRule = SHAPE_RULE_OF[file];
    this.manifest.push({
      file: name,
      rule,
      description,
      expect,
      ...(shapeRule ? { shapeRule } : {}),
      ...(python ? { python } : {}),
    });
  }
}

export function generateSuite(): Suite {
  const b = bases();
  const s = new Builder();
  const pub = (x: BundleV2) => v2.publicViewV2(x);

  // ---- positive -------------------------------------------------------------------------------
  const pos = (file: string, rule: string, description: string, x: BundleV2 | Json) =>
    s.add(`pos-${file}`, rule, description, x, verified);
  for (const [stage, full] of [
    ['committed', b.committedFull],
    ['drawn', b.drawnFull],
    ['infeasible', b.infeasibleFull],
    ['matched', b.matchedFull],
  ] as const) {
    pos(
      `${stage}-full`,
      '§11 stages',
      `stage ${stage}, the supervisor's full bundle (dice + quicknet)`,
      full,
    );
    pos(`${stage}-public`, '§11 stages', `stage ${stage}, the public bundle (dice + quicknet)`, pub(full));
  }
  pos(
    'mainnet-chained-full',
    '§6 beacon',
    'the default (mainnet, chained) drand chain, no dice',
    b.mainnetFull,
  );
  pos(
    'mainnet-chained-public',
    '§6 beacon',
    'the default (mainnet, chained) drand chain, public',
    pub(b.mainnetFull),
  );
  pos('dice-only-full', '§6 seed', 'dice only (22 digits committed), no beacon', b.diceOnlyFull);
  pos('dice-only-public', '§6 seed', 'dice only, public', pub(b.diceOnlyFull));
  pos('quicknet-only-public', '§6 seed', 'quicknet only, no dice, public', pub(b.quicknetOnlyFull));
  pos(
    'escalation-two-rounds-full',
    '§8 escalation',
    'two escalation rounds (C+2; A+1, B+3)',
    b.escalatedFull,
  );
  pos('escalation-two-rounds-public', '§8 escalation', 'two escalation rounds, public', pub(b.escalatedFull));
  pos(
    'redraw-attempt-2-full',
    '§5 attempt chain',
    'attempt 2 with its predecessor (dice only)',
    b.redrawFull,
  );
  pos(
    'redraw-attempt-2-public',
    '§5 attempt chain',
    'attempt 2 with its predecessor, public',
    pub(b.redrawFull),
  );
  pos(
    'superseded-attempt-1-public',
    '§11 supersededBy',
    'attempt 1, superseded by attempt 2',
    pub(b.supersededFull),
  );
  pos(
    'superseded-attempt-1-full',
    '§11 supersededBy',
    'attempt 1, superseded by attempt 2, full',
    b.supersededFull,
  );
  pos(
    'label-64-astral-code-points-full',
    '§3 label length',
    'a stratum label of 64 astral code points (128 UTF-16 units) is valid',
    b.astralFull,
  );
  pos(
    'labels-code-point-order-full',
    '§12 order',
    "labels 'Ａ' (U+FF21) before '𝔸' (U+1D538): code-point order, not UTF-16 order",
    b.codePointOrderFull,
  );
  const v1 = JSON.parse(fs.readFileSync(V1_VECTORS, 'utf8')) as { vectors: { name: string; bundle: Json }[] };
  pos(
    'v1-dice-quicknet',
    '§12 step 1 (v1 path)',
    'a v1 bundle (verifier/test-vectors.json, dice+quicknet)',
    v1.vectors[0]!.bundle,
  );

  negatives(s, b);
  return { manifest: s.manifest, files: s.files };
}

// ---------------------------------------------------------------------------------------------
// The negative vectors

function negatives(s: Builder, b: Bases) {
  const neg = (
    file: string,
    rule: string,
    description: string,
    content: string | Uint8Array | BundleV2 | Json,
    expect: Expectation,
    python?: ManifestEntry['python'],
  ) => s.add(`neg-${file}`, rule, description, content, expect, python);
  const edit = <B extends BundleV2>(x: B, f: (y: B) => void): B => {
    const y = clone(x);
    f(y);
    return y;
  };
  const pub = (x: BundleV2) => v2.publicViewV2(x);
  const full = b.matchedFull;
  const fullText = text(full);

  // ---- §2 / §12 step 1: strict JSON (BUNDLE_JSON_INVALID, exit 2) --------------------------------
  const J = unreadable('BUNDLE_JSON_INVALID');
  const once = (t: string, from: string | RegExp, to: string) => {
    const out = t.replace(from, to);
    if (out === t) throw new Error(`no ${String(from)} in the text`);
    return out;
  };
  neg(
    'json-duplicate-member-top',
    '§2 duplicate member',
    'the member "stage" twice at the top',
    once(fullText, '\n "stage": "matched",', '\n "stage": "matched",\n "stage": "matched",'),
    J,
  );
  neg(
    'json-duplicate-member-nested',
    '§2 duplicate member',
    'a member name twice inside task',
    once(fullText, /"task": \{\n {3}"id": "([^"]*)",/, '"task": {\n   "id": "$1",\n   "id": "$1",'),
    J,
  );
  neg(
    'json-duplicate-member-escaped',
    '§2 duplicate member',
    'the same member name, once escaped ("\\u0073tage")',
    once(fullText, '\n "stage": "matched",', '\n "stage": "matched",\n "\\u0073tage": "matched",'),
    J,
  );
  neg(
    'json-fraction-min',
    '§2 no fraction',
    '"min": 1.0 (unreadable, not a min of 1)',
    once(fullText, /"min": 1,/, '"min": 1.0,'),
    J,
  );
  neg(
    'json-exponent',
    '§2 no exponent',
    'an integer written 1e0',
    once(fullText, /"min": 1,/, '"min": 1e0,'),
    J,
  );
  neg(
    'json-integer-2-53',
    '§2 integer range',
    'an integer 2^53 (audit.seq 9007199254740992)',
    once(fullText, /"seq": \d+/, '"seq": 9007199254740992'),
    J,
  );
  neg('json-nan', '§2 RFC 8259', 'NaN as a value', once(fullText, /"seq": \d+/, '"seq": NaN'), J);
  neg(
    'json-lone-surrogate-high',
    '§2 lone surrogate',
    'a lone surrogate escape \\ud800 in task.name',
    once(fullText, /"name": "([^"]*)"/, '"name": "$1\\ud800"'),
    J,
  );
  neg(
    'json-lone-surrogate-low',
    '§2 lone surrogate',
    'a lone low surrogate escape \\udc00 in task.name',
    once(fullText, /"name": "([^"]*)"/, '"name": "\\udc00$1"'),
    J,
  );
  neg('json-bom', '§2 UTF-8 without BOM', 'a byte order mark before the JSON', `\ufeff${fullText}`, J);
  {
    const bytes = utf8(once(fullText, /"name": "([^"]*)"/, '"name": "$1@@"'));
    const at = bytesIndexOf(bytes, utf8('@@'));
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    neg('json-not-utf8', '§2 UTF-8', 'bytes 0xFF 0xFE (not UTF-8) in task.name', bytes, J);
    const sur = utf8(once(fullText, /"name": "([^"]*)"/, '"name": "$1@@@"'));
    const at2 = bytesIndexOf(sur, utf8('@@@'));
    sur.set([0xed, 0xa0, 0x80], at2);
    neg(
      'json-utf8-encoded-surrogate',
      '§2 UTF-8',
      'a surrogate encoded in UTF-8 (ED A0 80): not UTF-8',
      sur,
      J,
    );
  }
  neg(
    'json-trailing-comma',
    '§2 RFC 8259',
    'a trailing comma in an object',
    once(fullText, /\n}\n$/, ',\n}\n'),
    J,
  );
  neg(
    'json-truncated',
    '§2 RFC 8259',
    'the file cut in the middle',
    fullText.slice(0, Math.floor(fullText.length / 2)),
    J,
  );
  neg('json-empty', '§2 RFC 8259', 'an empty file', '', J);
  neg(
    'json-negative-zero',
    '§2 canonical integers',
    '-0 as an integer',
    once(fullText, /"seq": \d+/, '"seq": -0'),
    J,
  );

  // ---- §12 step 1: format (BUNDLE_FORMAT_UNKNOWN, exit 2) ---------------------------------------
  const F = unreadable('BUNDLE_FORMAT_UNKNOWN');
  neg(
    'format-unknown',
    '§12 step 1 format',
    'format choucha-draw-bundle-v3',
    { ...clone(full), format: 'choucha-draw-bundle-v3' },
    F,
  );
  neg(
    'format-missing',
    '§12 step 1 format',
    'no format member',
    (() => {
      const y = clone(full) as Partial<FullBundleV2>;
      delete y.format;
      return y as Json;
    })(),
    F,
  );
  neg('format-not-string', '§12 step 1 format', 'format is a number', { ...clone(full), format: 2 }, F);
  neg(
    'format-top-level-array',
    '§12 step 1 format',
    'the top level is an array',
    `[${fullText.trimEnd()}]\n`,
    F,
  );

  // ---- the auditor's list ------------------------------------------------------------------------
  const FI = rejected('BUNDLE_FIELD_INVALID');
  const ORD = rejected('BUNDLE_ORDER_INVALID');
  const DUP = rejected('BUNDLE_DUPLICATE');
  neg(
    'strata-unsorted',
    '§12 order: strata by label',
    'strata B before A',
    edit(full, (y) => {
      const [a0, b0] = y.commitment.strata;
      y.commitment.strata[0] = b0!;
      y.commitment.strata[1] = a0!;
    }),
    ORD,
  );
  neg(
    'strata-utf16-order',
    '§12 order: code points',
    "labels in UTF-16 order ('𝔸' before 'Ａ'), not code-point order",
    edit(b.codePointOrderFull, (y) => {
      const n = y.commitment.strata.length;
      const a0 = y.commitment.strata[n - 2]!;
      y.commitment.strata[n - 2] = y.commitment.strata[n - 1]!;
      y.commitment.strata[n - 1] = a0;
    }),
    ORD,
  );
  neg(
    'strata-duplicate-label',
    '§12 uniqueness: strata',
    'two strata with the label A',
    edit(full, (y) => {
      y.commitment.strata[1] = { ...y.commitment.strata[0]! };
    }),
    DUP,
  );
  neg(
    'label-del',
    '§3 label: no control character',
    'a stratum label with DEL (U+007F)',
    edit(full, (y) => {
      y.commitment.strata[0]!.label = 'A\u007f';
    }),
    FI,
  );
  neg(
    'label-c1',
    '§3 label: no control character',
    'a stratum label with a C1 control (U+0085)',
    edit(full, (y) => {
      y.commitment.strata[0]!.label = 'A\u0085';
    }),
    FI,
  );
  neg(
    'label-c1-end',
    '§3 label: no control character',
    'a stratum label with U+009F',
    edit(full, (y) => {
      y.commitment.strata[0]!.label = 'A\u009f';
    }),
    FI,
  );
  neg(
    'label-nul',
    '§3 label: no control character',
    'a stratum label with U+0000',
    edit(full, (y) => {
      y.commitment.strata[0]!.label = 'A\u0000';
    }),
    FI,
  );
  neg(
    'label-empty',
    '§3 label: 1–64 code points',
    'an empty stratum label',
    edit(full, (y) => {
      y.commitment.strata[0]!.label = '';
    }),
    FI,
  );
  neg(
    'label-65-astral-code-points',
    '§3 label: 1–64 code points',
    'a stratum label of 65 astral code points',
    edit(b.astralFull, (y) => {
      y.commitment.strata.at(-1)!.label += '𝔇';
    }),
    FI,
  );
  neg(
    'label-65-bmp-code-points',
    '§3 label: 1–64 code points',
    'a stratum label of 65 BMP code points',
    edit(full, (y) => {
      y.commitment.strata.at(-1)!.label = `D|${'张'.repeat(63)}`;
    }),
    FI,
  );
  const priv = full.private.matching;
  neg(
    'inspector-duplicate-id',
    '§12 uniqueness: inspectors',
    'the same inspector id twice',
    edit(full, (y) => {
      const ins = y.private.matching.inspectors;
      ins.splice(1, 0, clone(ins[0]!));
    }),
    DUP,
  );
  neg(
    'inspectors-unsorted',
    '§12 order: inspectors by id',
    'two inspectors swapped',
    edit(full, (y) => {
      const ins = y.private.matching.inspectors;
      const a0 = ins[0]!;
      ins[0] = ins[1]!;
      ins[1] = a0;
    }),
    ORD,
  );
  neg(
    'pool-duplicate-pseudonym',
    '§12 uniqueness: pool',
    'the same pseudonym twice in the pool',
    edit(full, (y) => {
      const p = y.commitment.matching.pool;
      p.splice(1, 0, clone(p[0]!));
    }),
    DUP,
  );
  neg(
    'pool-unsorted',
    '§12 order: pool by pseudonym',
    'two pool entries swapped',
    edit(full, (y) => {
      const p = y.commitment.matching.pool;
      const a0 = p[0]!;
      p[0] = p[1]!;
      p[1] = a0;
    }),
    ORD,
  );
  neg(
    'pool-load-2-32',
    '§12 range: load',
    'a pool load of 2^32',
    edit(full, (y) => {
      y.commitment.matching.pool[0]!.load = 2 ** 32;
    }),
    FI,
  );
  neg(
    'pool-load-over-1e6',
    '§12 range: load',
    'a pool load of 10^6 + 1',
    edit(full, (y) => {
      y.commitment.matching.pool[0]!.load = 1_000_001;
    }),
    FI,
  );
  neg(
    'inspector-load-2-32',
    '§12 range: load',
    'a private inspector load of 2^32',
    edit(full, (y) => {
      y.private.matching.inspectors[0]!.load = 2 ** 32;
    }),
    FI,
  );
  neg(
    'upper-case-hex-commitment-hash',
    '§12 hex: lower case',
    'commitmentHash in upper case',
    edit(full, (y) => {
      y.commitmentHash = y.commitmentHash.toUpperCase();
    }),
    FI,
  );
  neg(
    'upper-case-hex-nonce',
    '§12 hex: lower case',
    'a selected nonce in upper case',
    edit(full, (y) => {
      const e = y.selection!.find((x) => /[a-f]/.test(x.nonce))!;
      e.nonce = e.nonce.toUpperCase();
    }),
    FI,
  );
  neg(
    'upper-case-hex-pseudonym',
    '§12 hex: lower case',
    'a pool pseudonym in upper case',
    edit(full, (y) => {
      const p = y.commitment.matching.pool.at(-1)!;
      p.pseudonym = `F${p.pseudonym.slice(1).toUpperCase()}`;
    }),
    FI,
  );
  neg(
    'date-not-padded',
    '§12 dates',
    'inspection from 2024-5-6',
    edit(full, (y) => {
      y.commitment.matching.inspection.from = '2024-5-6';
    }),
    FI,
  );
  neg(
    'date-february-30',
    '§12 dates',
    'inspection to 2024-02-30',
    edit(full, (y) => {
      y.commitment.matching.inspection = { from: '2024-02-01', to: '2024-02-30' };
    }),
    FI,
  );
  neg(
    'date-year-1899',
    '§12 dates',
    'a certificate from 1899-12-31',
    edit(full, (y) => {
      y.private.matching.inspectors[0]!.certificate.from = '1899-12-31';
    }),
    FI,
  );
  neg(
    'date-from-after-to',
    '§12 dates',
    'inspection from after to',
    edit(full, (y) => {
      y.commitment.matching.inspection = { from: '2024-05-18', to: '2024-05-17' };
    }),
    FI,
  );
  neg(
    'team-size-1',
    '§12 teamSize 2–20',
    'teamSize 1',
    edit(full, (y) => {
      y.commitment.matching.rules.teamSize = 1;
    }),
    FI,
  );
  neg(
    'team-size-21',
    '§12 teamSize 2–20',
    'teamSize 21',
    edit(full, (y) => {
      y.commitment.matching.rules.teamSize = 21;
    }),
    FI,
  );
  neg(
    'max-below-min',
    '§12 strata: max ≥ min',
    'a stratum with min 4, max 3',
    edit(full, (y) => {
      const st = y.commitment.strata.find((x) => x.max !== null)!;
      st.min = st.max! + 1;
    }),
    FI,
  );
  neg(
    'max-zero',
    '§12 strata: max ≥ 1',
    'a stratum with max 0',
    edit(full, (y) => {
      y.commitment.strata.find((x) => x.max !== null)!.max = 0;
    }),
    FI,
  );
  neg(
    'strata-empty',
    '§12 strata: 1–1000',
    'an empty list of strata',
    edit(full, (y) => {
      y.commitment.strata = [];
    }),
    FI,
  );
  neg(
    'escalation-label-unknown',
    '§12 step 4.9 private escalations',
    'a private escalation round names a label that is no stratum',
    edit(b.escalatedFull, (y) => {
      y.private.escalations[0]![0]!.label = 'Z';
    }),
    rejected('DRAW_STRATUM_UNKNOWN'),
  );
  neg(
    'escalation-rounds-count',
    '§12 private.escalations',
    'one private escalation round fewer than public ones',
    edit(b.escalatedFull, (y) => {
      y.private.escalations.pop();
    }),
    FI,
  );
  neg(
    'escalation-extra-0',
    '§12 private.escalations: extra ≥ 1',
    'an escalation entry with extra 0',
    edit(b.escalatedFull, (y) => {
      y.private.escalations[0]![0]!.extra = 0;
    }),
    FI,
  );
  neg(
    'escalation-round-unsorted',
    '§12 order: escalation round by label',
    'a round with B before A',
    edit(b.escalatedFull, (y) => {
      y.private.escalations[1]!.reverse();
    }),
    ORD,
  );
  neg(
    'escalation-round-duplicate',
    '§12 uniqueness: escalation round',
    'a round naming A twice',
    edit(b.escalatedFull, (y) => {
      const r = y.private.escalations[1]!;
      r[1] = { ...r[0]! };
    }),
    DUP,
  );
  neg(
    'drand-round-0',
    '§12 drand.round ≥ 1',
    'drand round 0',
    edit(full, (y) => {
      y.commitment.seedSource.drand!.round = 0;
    }),
    FI,
  );
  neg(
    'drand-scheme-unknown',
    '§12 step 3',
    'a scheme the chain does not use',
    edit(full, (y) => {
      (y.commitment.seedSource.drand as { scheme: string }).scheme = 'bls-unchained-on-g1';
    }),
    rejected('DRAND_SCHEME_UNKNOWN'),
  );
  neg(
    'drand-scheme-other-chain',
    '§12 step 3',
    "quicknet with the mainnet's scheme",
    edit(full, (y) => {
      y.commitment.seedSource.drand!.scheme = 'pedersen-bls-chained';
    }),
    rejected('DRAND_SCHEME_UNKNOWN'),
  );
  neg(
    'drand-key-mismatch',
    '§12 step 3',
    "quicknet's chain hash with the mainnet's public key",
    edit(full, (y) => {
      y.commitment.seedSource.drand!.publicKey = core.DRAND_MAINNET.publicKey;
    }),
    rejected('DRAND_KEY_MISMATCH'),
  );
  neg(
    'drand-chain-unknown',
    '§12 step 3',
    'an unknown chain hash',
    edit(full, (y) => {
      y.commitment.seedSource.drand!.chainHash = hex('another chain');
    }),
    rejected('DRAND_CHAIN_UNKNOWN'),
  );
  neg(
    'beacon-chained-no-previous-signature',
    '§12 step 4.6 previousSignature',
    'a mainnet (chained) beacon with previousSignature null',
    edit(b.mainnetFull, (y) => {
      y.seedInputs!.beacon!.previousSignature = null;
    }),
    rejected('DRAW_BEACON_INVALID'),
  );
  neg(
    'beacon-unchained-with-previous-signature',
    '§12 step 4.6 previousSignature',
    'a quicknet (unchained) beacon with a previousSignature',
    edit(full, (y) => {
      y.seedInputs!.beacon!.previousSignature = MAINNET_BEACON.previousSignature;
    }),
    rejected('DRAW_BEACON_INVALID'),
  );
  neg(
    'beacon-fabricated-bls-signature',
    '§12 step 4.6 BLS',
    'a quicknet beacon whose signature is a valid G1 point but not the round signature; randomness = SHA-256(signature) and everything after it recomputes',
    b.fabricatedBlsFull,
    rejected('DRAW_BEACON_INVALID'),
    { verdict: 'verified', exit: 0, code: null, blsChecked: false },
  );
  neg(
    'beacon-fabricated-bls-signature-public',
    '§12 step 4.6 BLS',
    'the same fabricated beacon, public view',
    pub(b.fabricatedBlsFull),
    rejected('DRAW_BEACON_INVALID'),
    { verdict: 'verified', exit: 0, code: null, blsChecked: false },
  );
  neg(
    'beacon-randomness-not-sha256',
    '§12 step 4.6 beacon',
    'randomness is not SHA-256(signature)',
    edit(full, (y) => {
      y.seedInputs!.beacon!.randomness = flipLast(y.seedInputs!.beacon!.randomness);
    }),
    rejected('DRAW_BEACON_INVALID'),
  );
  neg(
    'beacon-round-other',
    '§12 step 4.6 beacon round',
    'a beacon for another round than committed',
    edit(full, (y) => {
      y.seedInputs!.beacon!.round += 1;
    }),
    rejected('DRAW_SEED_MISMATCH'),
  );
  neg(
    'dice-19-digits',
    '§6 exact dice',
    '19 digits for 20 committed',
    edit(full, (y) => {
      y.seedInputs!.dice = y.seedInputs!.dice!.slice(0, 19);
    }),
    rejected('DRAW_DICE_LENGTH'),
  );
  neg(
    'dice-21-digits',
    '§6 exact dice',
    '21 digits for 20 committed',
    edit(full, (y) => {
      y.seedInputs!.dice += '7';
    }),
    rejected('DRAW_DICE_LENGTH'),
  );
  neg(
    'dice-empty',
    '§6 exact dice',
    'no digit for 20 committed',
    edit(full, (y) => {
      y.seedInputs!.dice = '';
    }),
    rejected('DRAW_DICE_LENGTH'),
  );
  neg(
    'dice-not-digits',
    '§12 seedInputs.dice ^[0-9]*$',
    'a dice string with a letter',
    edit(full, (y) => {
      y.seedInputs!.dice = `${y.seedInputs!.dice!.slice(0, 19)}x`;
    }),
    FI,
  );
  neg(
    'dice-fullwidth-digit',
    '§12 seedInputs.dice ^[0-9]*$',
    'a dice string with a full-width digit ３',
    edit(full, (y) => {
      y.seedInputs!.dice = `${y.seedInputs!.dice!.slice(0, 19)}３`;
    }),
    FI,
  );
  neg(
    'dice-digits-19',
    '§12 dice.digits 20–100',
    'dice.digits 19 committed',
    edit(b.diceOnlyFull, (y) => {
      y.commitment.seedSource.dice!.digits = 19;
    }),
    FI,
  );
  neg(
    'seed-source-none',
    '§12 seedSource not both null',
    'no dice and no drand',
    edit(b.committedFull, (y) => {
      y.commitment.seedSource = { dice: null, drand: null };
    }),
    FI,
  );

  // ---- §12 step 4: recomputation ----------------------------------------------------------------
  const MIS = rejected('DRAW_BUNDLE_MISMATCH');
  neg(
    'commitment-hash',
    '§12 step 4.1',
    'commitmentHash changed (last digit)',
    edit(full, (y) => {
      y.commitmentHash = flipLast(y.commitmentHash);
    }),
    MIS,
  );
  neg(
    'commitment-changed',
    '§12 step 4.1',
    'task.name changed, commitmentHash not',
    edit(pub(full), (y) => {
      y.commitment.task.name += '（改）';
    }),
    MIS,
  );
  neg(
    'roster-line',
    '§12 step 4.2',
    "one roster line's nonce hash changed",
    edit(pub(full), (y) => {
      y.roster = replaceLine(y.roster, 3, (l) => flipLast(l));
    }),
    MIS,
  );
  neg(
    'roster-order',
    '§12 step 4.2 order',
    'two roster lines swapped',
    edit(pub(full), (y) => {
      y.roster = swapLines(y.roster, 4, 5);
    }),
    ORD,
  );
  neg(
    'roster-duplicate-key',
    '§12 step 4.2 duplicate',
    "a roster line with the previous line's key",
    edit(pub(full), (y) => {
      const lines = y.roster.split('\n');
      lines[5] = `${lines[4]!.split('\t')[0]}\t${lines[5]!.split('\t')[1]}`;
      y.roster = lines.join('\n');
    }),
    rejected('DRAW_DUPLICATE_KEY'),
  );
  neg(
    'roster-bad-key',
    '§12 step 4.2 key',
    'a roster key that is no USCC or registration number',
    edit(pub(full), (y) => {
      y.roster = replaceLine(y.roster, 0, (l) => `-${l.slice(1)}`);
    }),
    rejected('DRAW_KEY_INVALID'),
  );
  neg(
    'roster-size',
    '§12 step 4.2 size',
    'roster.size one more than the lines (rehashed)',
    rehash(
      edit(pub(full), (y) => {
        y.commitment.roster.size += 1;
      }),
    ),
    MIS,
  );
  neg(
    'roster-root',
    '§12 step 4.2 root',
    'roster.root changed (rehashed)',
    rehash(
      edit(pub(full), (y) => {
        y.commitment.roster.root = flipLast(y.commitment.roster.root);
      }),
    ),
    MIS,
  );
  neg(
    'strata-population',
    '§12 step 4.3',
    'a population changed (rehashed): the sum is not the roster size',
    rehash(
      edit(pub(full), (y) => {
        y.commitment.strata[0]!.population += 1;
      }),
    ),
    MIS,
  );
  neg(
    'strata-size',
    '§12 step 4.3',
    'a committed size changed (rehashed)',
    rehash(
      edit(pub(b.committedFull), (y) => {
        y.commitment.strata[2]!.size += 1;
      }),
    ),
    MIS,
  );
  neg(
    'exclusion-key-not-in-roster',
    '§12 step 4.4',
    "an exclusion's key is not in the roster (rehashed)",
    rehash(
      edit(pub(b.committedFull), (y) => {
        const ex = y.commitment.matching.exclusions;
        ex[ex.length - 1] = { ...ex.at(-1)!, key: OUTSIDER };
      }),
    ),
    FI,
  );
  neg(
    'exclusion-pseudonym-not-in-pool',
    '§12 step 4.4',
    "an exclusion's pseudonym is not in the pool (rehashed)",
    rehash(
      edit(pub(b.committedFull), (y) => {
        const ex = y.commitment.matching.exclusions;
        ex[ex.length - 1] = { ...ex.at(-1)!, pseudonym: 'ffffffffffffffff' };
      }),
    ),
    FI,
  );
  neg(
    'seed',
    '§12 step 4.6 seed',
    'the seed changed',
    edit(pub(full), (y) => {
      y.seed = flipLast(y.seed!);
    }),
    MIS,
  );
  neg(
    'dice-digit-changed',
    '§12 step 4.6 seed',
    'one dice digit changed (same length)',
    edit(pub(full), (y) => {
      y.seedInputs!.dice = `${y.seedInputs!.dice!.slice(0, -1)}${y.seedInputs!.dice!.endsWith('9') ? '8' : '9'}`;
    }),
    MIS,
  );
  neg(
    'selection-key-not-in-roster',
    '§12 step 4.7',
    'a selected key that is not in the roster',
    edit(pub(full), (y) => {
      y.selection![0]!.key = OUTSIDER;
    }),
    FI,
  );
  neg(
    'selection-nonce',
    '§12 step 4.7 nonce',
    "a selected entity's nonce changed",
    edit(pub(full), (y) => {
      y.selection![1]!.nonce = flipLast(y.selection![1]!.nonce);
    }),
    MIS,
  );
  neg(
    'selection-ticket',
    '§12 step 4.7 ticket',
    "a selected entity's ticket changed (last digit)",
    edit(pub(full), (y) => {
      y.selection![2]!.ticket = flipLast(y.selection![2]!.ticket);
    }),
    MIS,
  );
  neg(
    'selection-ticket-full',
    '§12 step 4.7 ticket',
    "a selected entity's ticket changed, full view",
    edit(full, (y) => {
      y.selection![2]!.ticket = flipLast(y.selection![2]!.ticket);
    }),
    MIS,
  );
  neg(
    'selection-missing',
    '§12 step 4.7 counts',
    'one selected entity left out (drawn stage)',
    edit(pub(b.drawnFull), (y) => {
      y.selection!.pop();
    }),
    MIS,
  );
  neg(
    'selection-extra',
    '§12 step 4.7 counts',
    'an entity added at phase 0 that was not drawn (drawn stage)',
    edit(pub(b.drawnFull), (y) => {
      y.selection!.push(extraSelected(y));
    }),
    MIS,
  );
  neg(
    'selection-key-duplicate',
    '§12 uniqueness: selection keys',
    'the first selected key once more at the end of phase 0 (ticket ff…f)',
    edit(pub(b.drawnFull), (y) => {
      const e = y.selection![0]!;
      y.selection!.push({ ...e, ticket: 'f'.repeat(64) });
    }),
    DUP,
  );
  neg(
    'selection-unsorted',
    '§12 order: selection',
    'two selected entities swapped',
    edit(pub(full), (y) => {
      const sel = y.selection!;
      const a0 = sel[0]!;
      sel[0] = sel[1]!;
      sel[1] = a0;
    }),
    ORD,
  );
  neg(
    'phase',
    '§12 step 4.7 phases',
    'an entity of round 1 given phase 0 or the reverse (order kept)',
    edit(pub(b.escalatedFull), (y) => {
      movePhase(y);
    }),
    MIS,
  );
  neg(
    'phase-counts',
    '§12 step 4.7 phases',
    'the public count of round 1 changed',
    edit(pub(b.escalatedFull), (y) => {
      y.escalations[0]! += 1;
    }),
    MIS,
  );
  neg(
    'phase-counts-full',
    '§12 step 4.9',
    'the public count of a round and the selection agree, the private rounds do not',
    edit(b.escalatedFull, (y) => {
      y.private.escalations[0]![0]!.extra += 1;
    }),
    MIS,
  );
  neg(
    'team-member',
    '§12 step 4.8 teams',
    'one team member replaced by another pseudonym of the pool',
    edit(pub(full), (y) => {
      replaceMember(y);
    }),
    MIS,
  );
  neg(
    'team-member-order',
    '§12 step 4.8 teams',
    "a team's two members swapped",
    edit(pub(full), (y) => {
      y.teams![0]!.teams[0]!.inspectors.reverse();
    }),
    MIS,
  );
  neg(
    'team-order',
    '§12 step 4.8 teams',
    "two targets' teams swapped",
    edit(pub(full), (y) => {
      const t = y.teams!;
      const a0 = t[0]!;
      t[0] = t[1]!;
      t[1] = a0;
    }),
    MIS,
  );
  neg(
    'teams-missing',
    '§12 step 4.8 teams',
    'the last target has no team',
    edit(pub(full), (y) => {
      y.teams!.pop();
    }),
    MIS,
  );
  neg(
    'stage-matched-but-infeasible',
    '§12 step 4.8 stage',
    'an infeasible draw presented as matched (teams made up)',
    edit(pub(b.infeasibleFull), (y) => {
      y.stage = 'matched';
      y.infeasible = null;
      y.teams = y.selection!.map((e) => ({
        key: e.key,
        teams: depts(y).map((d) => ({
          department: d,
          inspectors: poolOf(y, d).slice(0, y.commitment.matching.rules.teamSize),
        })),
      }));
    }),
    MIS,
  );
  neg(
    'stage-infeasible-but-matched',
    '§12 step 4.8 stage',
    'a matched draw presented as infeasible',
    edit(pub(full), (y) => {
      y.stage = 'infeasible';
      y.teams = null;
      y.infeasible = [{ key: y.selection![0]!.key, department: depts(y)[0]! }];
    }),
    MIS,
  );
  neg(
    'infeasible-pairs',
    '§12 step 4.8 infeasible',
    'one infeasible pair left out',
    edit(pub(b.infeasibleFull), (y) => {
      if (y.infeasible!.length < 2) throw new Error('want 2 infeasible pairs');
      y.infeasible!.pop();
    }),
    MIS,
  );
  neg(
    'pool-load',
    '§12 step 4.9 pool',
    'a pool load changed, the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      r.matching.pool.at(-1)!.load += 1;
    }),
    MIS,
  );
  neg(
    'exclusion-added',
    '§12 step 4.9 exclusions',
    'an exclusion the private record does not give, the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      addExclusion(r, b.matchedFull);
    }),
    MIS,
  );
  neg(
    'exclusion-removed',
    '§12 step 4.9 exclusions',
    'an exclusion left out, the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      r.matching.exclusions.pop();
    }),
    MIS,
  );
  neg(
    'matching-root',
    '§12 step 4.9 matching.root',
    'matching.root changed, the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      r.matching.root = flipLast(r.matching.root);
    }),
    MIS,
  );
  neg(
    'private-matching-changed',
    '§12 step 4.9 matching.root',
    "an inspector's load in the private record changed (root not)",
    edit(full, (y) => {
      y.private.matching.inspectors.at(-1)!.load += 1;
    }),
    MIS,
  );
  neg(
    'private-salt',
    '§12 step 4.9 matching.root',
    'the salt changed (root not)',
    edit(full, (y) => {
      y.private.matching.salt = flipLast(y.private.matching.salt);
    }),
    MIS,
  );
  neg(
    'pseudonym',
    '§12 step 4.9 pseudonyms',
    'a pool pseudonym changed (in the exclusions too), the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      renamePseudonym(r);
    }),
    MIS,
  );
  neg(
    'openings-stratum',
    '§12 step 4.9 openings',
    "an opening's stratum changed to another stratum",
    edit(full, (y) => {
      y.private.openings = relabelOpening(y);
    }),
    MIS,
  );
  neg(
    'openings-stratum-unknown',
    '§12 step 4.9 openings',
    "an opening's stratum that is no stratum",
    edit(full, (y) => {
      y.private.openings = replaceLine(y.private.openings, 0, (l) => l.replace(/\t[^\t]+\t/, '\tZZ\t'));
    }),
    MIS,
  );
  neg(
    'openings-nonce',
    '§12 step 4.9 openings',
    "an opening's nonce changed",
    edit(full, (y) => {
      y.private.openings = replaceLine(y.private.openings, 7, (l) => flipLast(l));
    }),
    MIS,
  );
  neg(
    'openings-order',
    '§12 step 4.9 openings',
    'two openings swapped',
    edit(full, (y) => {
      y.private.openings = swapLines(y.private.openings, 2, 3);
    }),
    MIS,
  );
  neg(
    'openings-missing-line',
    '§12 step 4.9 openings',
    'an opening left out',
    edit(full, (y) => {
      y.private.openings = y.private.openings
        .split('\n')
        .filter((_, i) => i !== 9)
        .join('\n');
    }),
    MIS,
  );
  neg(
    'openings-root',
    '§12 step 4.9 openingsRoot',
    'openingsRoot changed, the draw made from the changed record',
    drawChangedRecord(b.matchedCommitment, (r) => {
      r.roster.openingsRoot = flipLast(r.roster.openingsRoot);
    }),
    MIS,
  );
  neg(
    'private-escalation',
    '§12 step 4.9 private escalations',
    'the rounds moved between strata, same totals per round',
    edit(b.escalatedFull, (y) => {
      moveEscalation(y);
    }),
    MIS,
  );
  neg(
    'committed-roster-line',
    '§12 step 4.2',
    "a committed bundle whose roster text was changed (a nonce hash's first digit)",
    edit(pub(b.committedFull), (y) => {
      y.roster = replaceLine(y.roster, 10, (l) => {
        const [k, h] = l.split('\t');
        return `${k}\t${flipFirst(h!)}`;
      });
    }),
    MIS,
  );
  neg(
    'predecessor-on-attempt-1',
    '§12 attempt/predecessor',
    'attempt 1 with a predecessor',
    edit(full, (y) => {
      y.commitment.predecessor = hex('x');
    }),
    FI,
  );
  neg(
    'predecessor-missing-attempt-2',
    '§12 attempt/predecessor',
    'attempt 2 without a predecessor',
    edit(b.redrawFull, (y) => {
      y.commitment.predecessor = null;
    }),
    FI,
  );
  neg(
    'superseded-by-upper-case',
    '§12 hex',
    'supersededBy in upper case',
    edit(pub(b.supersededFull), (y) => {
      y.supersededBy = y.supersededBy!.toUpperCase();
    }),
    FI,
  );
  neg(
    'private-on-public',
    '§12 view',
    'a public bundle with a private member',
    { ...pub(full), private: clone(full.private) },
    FI,
  );
  neg(
    'full-without-private',
    '§12 view',
    'a full bundle without its private member',
    (() => {
      const y = clone(full) as Partial<FullBundleV2>;
      delete y.private;
      return y as Json;
    })(),
    FI,
  );
  void priv;

  // ---- §12 step 4.5: a committed full bundle runs the seed-free checks of step 9 ----------------
  neg(
    'committed-full-private-load',
    '§12 step 4.5 (step 9 without seed): matching.root',
    "a committed full bundle: an inspector's load in private.matching changed (root not)",
    edit(b.committedFull, (y) => {
      y.private.matching.inspectors.at(-1)!.load += 1;
    }),
    MIS,
  );
  neg(
    'committed-full-private-inspector-department',
    '§12 step 4.5 (step 9 without seed): matching.root',
    "a committed full bundle: an inspector's department in private.matching changed (root not)",
    edit(b.committedFull, (y) => {
      const ins = y.private.matching.inspectors[0]!;
      ins.department = depts(y).find((d) => d !== ins.department)!;
    }),
    MIS,
  );
  neg(
    'committed-full-pseudonym',
    '§12 step 4.5 (step 9 without seed): pseudonyms',
    'a committed full bundle: a pool pseudonym changed (in the exclusions too), commitment rehashed',
    committedChangedRecord(b.committedCommitment, renamePseudonym),
    MIS,
  );
  neg(
    'committed-full-opening-nonce',
    '§12 step 4.5 (step 9 without seed): openings',
    "a committed full bundle: an opening's nonce changed",
    edit(b.committedFull, (y) => {
      y.private.openings = replaceLine(y.private.openings, 7, (l) => flipLast(l));
    }),
    MIS,
  );
  neg(
    'committed-full-opening-stratum',
    '§12 step 4.5 (step 9 without seed): openings',
    "a committed full bundle: an opening's stratum changed to another stratum",
    edit(b.committedFull, (y) => {
      const labels = y.commitment.strata.map((x) => x.label);
      y.private.openings = replaceLine(y.private.openings, 0, (l) => {
        const [key, label, nonce] = l.split('\t');
        return `${key}\t${labels.find((x) => x !== label)}\t${nonce}`;
      });
    }),
    MIS,
  );

  // ---- §12 step 4.8: a drawn full bundle skips the matching but still runs step 9 ---------------
  neg(
    'drawn-full-opening-stratum',
    '§12 step 4.8 (drawn) then step 9: openings',
    "a drawn full bundle: an opening's stratum changed to another stratum",
    edit(b.drawnFull, (y) => {
      const labels = y.commitment.strata.map((x) => x.label);
      y.private.openings = replaceLine(y.private.openings, 0, (l) => {
        const [key, label, nonce] = l.split('\t');
        return `${key}\t${labels.find((x) => x !== label)}\t${nonce}`;
      });
    }),
    MIS,
  );
  neg(
    'drawn-full-private-load',
    '§12 step 4.8 (drawn) then step 9: matching.root',
    "a drawn full bundle: an inspector's load in private.matching changed (root not)",
    edit(b.drawnFull, (y) => {
      y.private.matching.inspectors.at(-1)!.load += 1;
    }),
    MIS,
  );

  // ---- §12 step 4.6: the beacon's lengths per scheme ---------------------------------------------
  const BEACON = rejected('DRAW_BEACON_INVALID');
  neg(
    'beacon-signature-length-unchained',
    '§12 step 4.6 signature length',
    'a quicknet (unchained) signature of 47 bytes',
    edit(full, (y) => {
      y.seedInputs!.beacon!.signature = y.seedInputs!.beacon!.signature.slice(0, -2);
    }),
    BEACON,
  );
  neg(
    'beacon-signature-length-unchained-96',
    '§12 step 4.6 signature length',
    "a quicknet (unchained) signature of 96 bytes (the chained scheme's length)",
    edit(full, (y) => {
      y.seedInputs!.beacon!.signature = MAINNET_BEACON.signature;
    }),
    BEACON,
  );
  neg(
    'beacon-signature-length-chained',
    '§12 step 4.6 signature length',
    'a mainnet (chained) signature of 95 bytes',
    edit(b.mainnetFull, (y) => {
      y.seedInputs!.beacon!.signature = y.seedInputs!.beacon!.signature.slice(0, -2);
    }),
    BEACON,
  );
  neg(
    'beacon-previous-signature-length-chained',
    '§12 step 4.6 previousSignature',
    'a mainnet (chained) previousSignature of 95 bytes',
    edit(b.mainnetFull, (y) => {
      y.seedInputs!.beacon!.previousSignature = y.seedInputs!.beacon!.previousSignature!.slice(0, -2);
    }),
    BEACON,
  );

  // ---- §12 step 2: a vector for every rule of SHAPE_RULES not covered above -----------------------
  shapeRuleVectors(neg, b, new Set(s.manifest.flatMap((m) => (m.shapeRule ? [m.shapeRule] : []))));
}

// ---------------------------------------------------------------------------------------------
// helpers of the negative vectors

function bytesIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}
function replaceLine(t: string, i: number, f: (line: string) => string): string {
  const lines = t.split('\n');
  lines[i] = f(lines[i]!);
  return lines.join('\n');
}
function swapLines(t: string, i: number, j: number): string {
  const lines = t.split('\n');
  const a = lines[i]!;
  lines[i] = lines[j]!;
  lines[j] = a;
  return lines.join('\n');
}
const depts = (b: BundleV2) =>
  [...new Set(b.commitment.items.map((i) => i.department))].sort(core.compareUtf8);
const poolOf = (b: BundleV2, d: string) =>
  b.commitment.matching.pool.filter((p) => p.department === d).map((p) => p.pseudonym);

/** An entity of the roster that was not selected, as a phase-0 selection entry at the end of phase 0. */
function extraSelected(b: BundleV2): v2.SelectedV2 {
  const selected = new Set(b.selection!.map((e) => e.key));
  const key = b.roster
    .split('\n')
    .map((l) => l.split('\t')[0]!)
    .find((k) => k && !selected.has(k))!;
  return { key, nonce: '0'.repeat(32), ticket: 'f'.repeat(64), phase: 0 };
}
/** Gives the first entity of round 1 phase 0 (the selection re-sorted by (phase, ticket, key)). */
function movePhase(b: BundleV2) {
  const sel = b.selection!;
  const e = sel.find((x) => x.phase === 1);
  if (!e) throw new Error('want phase 1');
  e.phase = 0;
  sel.sort(
    (x, y) => x.phase - y.phase || core.compareUtf8(x.ticket, y.ticket) || core.compareUtf8(x.key, y.key),
  );
}
/** Replaces the first member of the first team by a pool pseudonym of its department on no team of that target. */
function replaceMember(b: BundleV2) {
  const t = b.teams![0]!.teams[0]!;
  const other = poolOf(b, t.department).find((p) => !t.inspectors.includes(p));
  if (!other) throw new Error('no other pseudonym');
  t.inspectors[0] = other;
}
/** Adds an exclusion of a pool pseudonym for a roster key that was not selected. */
function addExclusion(r: v2.CommitmentRecordV2, drawn: BundleV2) {
  const selected = new Set(drawn.selection!.map((e) => e.key));
  const key = drawn.roster
    .split('\n')
    .map((l) => l.split('\t')[0]!)
    .find((k) => k && !selected.has(k))!;
  const ex = r.matching.exclusions;
  const pseudonym = r.matching.pool[0]!.pseudonym;
  if (ex.some((e) => e.pseudonym === pseudonym && e.key === key)) throw new Error('exclusion exists');
  ex.push({ pseudonym, key });
  ex.sort((x, y) => core.compareUtf8(x.pseudonym, y.pseudonym) || core.compareUtf8(x.key, y.key));
}
/** Renames the last pool pseudonym (+1, so the order is kept), in the exclusions too. */
function renamePseudonym(r: v2.CommitmentRecordV2) {
  const pool = r.matching.pool;
  const old = pool.at(-1)!.pseudonym;
  const next = (BigInt(`0x${old}`) + 1n).toString(16).padStart(16, '0');
  if (next.length !== 16) throw new Error('pseudonym overflow');
  pool.at(-1)!.pseudonym = next;
  for (const e of r.matching.exclusions) if (e.pseudonym === old) e.pseudonym = next;
}
/** Gives one unselected entity's opening another stratum's label. */
function relabelOpening(b: FullBundleV2): string {
  const labels = b.commitment.strata.map((x) => x.label);
  const selected = new Set(b.selection!.map((e) => e.key));
  const lines = b.private.openings.split('\n');
  const i = lines.findIndex((l) => l && !selected.has(l.split('\t')[0]!));
  const [key, label, nonce] = lines[i]!.split('\t');
  lines[i] = `${key}\t${labels.find((l) => l !== label)}\t${nonce}`;
  return lines.join('\n');
}
/** Moves one escalated entity of round 2 from one stratum to another (same count per round). */
function moveEscalation(b: FullBundleV2) {
  const r = b.private.escalations[1]!;
  const a = r[0]!;
  const c = r[1]!;
  if (c.extra < 2) throw new Error('want extra ≥ 2');
  a.extra += 1;
  c.extra -= 1;
}

// ---------------------------------------------------------------------------------------------
// §12 step 2: one vector per SHAPE_RULES entry

/** The vectors above that exercise a rule of SHAPE_RULES (by their name without neg-/.json). */
const SHAPE_RULE_OF: Record<string, string> = {
  'neg-format-unknown': 'bundle.format',
  // a lone surrogate cannot come from a file: §2 rejects it first (BUNDLE_JSON_INVALID)
  'neg-json-lone-surrogate-high': 'string.wellFormed',
  'neg-strata-unsorted': 'strata.order',
  'neg-strata-duplicate-label': 'strata.unique',
  'neg-label-del': 'strata.label.text',
  'neg-inspector-duplicate-id': 'inspectors.unique',
  'neg-inspectors-unsorted': 'inspectors.order',
  'neg-pool-duplicate-pseudonym': 'pool.unique',
  'neg-pool-unsorted': 'pool.order',
  'neg-pool-load-over-1e6': 'pool.load.range',
  'neg-inspector-load-2-32': 'inspectors.load.range',
  'neg-upper-case-hex-commitment-hash': 'commitmentHash.hex64',
  'neg-upper-case-hex-nonce': 'selection.nonce.hex32',
  'neg-upper-case-hex-pseudonym': 'pool.pseudonym.hex16',
  'neg-date-not-padded': 'date.format',
  'neg-date-february-30': 'date.real',
  'neg-date-year-1899': 'date.year',
  'neg-date-from-after-to': 'date.order',
  'neg-team-size-1': 'rules.teamSize.range',
  'neg-max-zero': 'strata.max.range',
  'neg-strata-empty': 'strata.length',
  'neg-escalation-rounds-count': 'private.escalations.rounds',
  'neg-escalation-extra-0': 'private.escalations.extra.range',
  'neg-escalation-round-unsorted': 'private.escalations.order',
  'neg-escalation-round-duplicate': 'private.escalations.unique',
  'neg-drand-round-0': 'drand.round.range',
  'neg-drand-scheme-unknown': 'drand.scheme.chain',
  'neg-drand-key-mismatch': 'drand.publicKey.chain',
  'neg-drand-chain-unknown': 'drand.chain.known',
  'neg-dice-not-digits': 'seedInputs.dice.digits',
  'neg-dice-digits-19': 'dice.digits.range',
  'neg-seed-source-none': 'seedSource.nonempty',
  'neg-selection-key-duplicate': 'selection.key.unique',
  'neg-selection-unsorted': 'selection.order',
  'neg-predecessor-on-attempt-1': 'predecessor.iff',
  'neg-superseded-by-upper-case': 'supersededBy.hex64',
  'neg-private-on-public': 'private.presence',
  // since 2411ee2 the spec checks these in step 4.6 (DRAW_BEACON_INVALID), not in the shape
  'neg-beacon-chained-no-previous-signature': 'beacon.previousSignature.chained',
  'neg-beacon-unchained-with-previous-signature': 'beacon.previousSignature.unchained',
  'neg-beacon-signature-length-unchained': 'beacon.signature.length',
};

/**
 * The rules whose vector's code is not the rule's code in SHAPE_RULES: string.wellFormed cannot
 * come from a file (§2 first), and the beacon's lengths per scheme are §12 step 4.6 since 2411ee2.
 */
export const SHAPE_RULES_NOT_STEP_2: Readonly<Record<string, ErrorCode>> = {
  'string.wellFormed': 'BUNDLE_JSON_INVALID',
  'beacon.signature.length': 'DRAW_BEACON_INVALID',
  'beacon.previousSignature.chained': 'DRAW_BEACON_INVALID',
  'beacon.previousSignature.unchained': 'DRAW_BEACON_INVALID',
};

type Neg = (
  file: string,
  rule: string,
  description: string,
  content: string | Uint8Array | BundleV2 | Json,
  expect: Expectation,
) => void;
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A rule's path ('$.a.b[].c', '$.x[][].y') as steps; '[]' is any index. */
function stepsOf(p: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const m of p.slice(1).matchAll(/\.([A-Za-z]+)|\[\]/g)) out.push(m[1] ?? null);
  return out;
}
/** The first place (depth first, lowest indices first) where the path leads to a value accepted by ok. */
function findPlace(
  root: unknown,
  steps: (string | null)[],
  ok: (v: unknown) => boolean,
): { parent: Any; key: string | number } | null {
  const go = (node: unknown, i: number): { parent: Any; key: string | number } | null => {
    const step = steps[i]!;
    const last = i === steps.length - 1;
    const keys: (string | number)[] =
      step === null
        ? Array.isArray(node)
          ? node.map((_, j) => j)
          : []
        : node !== null && typeof node === 'object' && step in node
          ? [step]
          : [];
    for (const k of keys) {
      const v = (node as Any)[k];
      if (last) {
        if (ok(v)) return { parent: node, key: k };
      } else {
        const r = go(v, i + 1);
        if (r) return r;
      }
    }
    return null;
  };
  return go(root, 0);
}

/** Out-of-range values for the .range rules (of the value and its object). */
const OUT_OF_RANGE: Record<string, (parent: Any, b: BundleV2) => unknown> = {
  'attempt.range': () => 1001,
  'audit.seq.range': () => -1,
  'roster.size.range': () => 0,
  'strata.min.range': () => -1,
  'strata.population.range': () => 0,
  'strata.size.range': (s) => s.population + 1,
  'rules.maxLoad.range': () => 0,
  'rules.maxPerDraw.range': () => 1_000_001,
  'escalations.range': () => 100_000_001,
  'selection.phase.range': (_s, b) => b.escalations.length + 1,
};

/**
 * The vector of one rule from its path in SHAPE_RULES: one value at the first place the path
 * reaches in one of the positive bundles, changed by the kind of the rule (its id's last part):
 * hexN one digit too many, hex upper case, text empty, range out of range, order the first two
 * entries swapped, unique the second entry a copy of the first. null when the path cannot make it.
 */
function fromPath(rule: shape.ShapeRule, candidates: BundleV2[]): { bundle: BundleV2; what: string } | null {
  const kind = rule.id.split('.').at(-1)!;
  const steps = stepsOf(rule.path);
  const listSteps = steps.at(-1) === null ? steps.slice(0, -1) : null;
  for (const base of candidates) {
    const y = clone(base);
    if (kind === 'order' || kind === 'unique') {
      if (!listSteps) return null;
      const place = findPlace(
        y,
        listSteps,
        (v) => Array.isArray(v) && v.length >= 2 && JSON.stringify(v[0]) !== JSON.stringify(v[1]),
      );
      if (!place) continue;
      const list = place.parent[place.key] as unknown[];
      if (kind === 'order') [list[0], list[1]] = [list[1], list[0]];
      else list[1] = clone(list[0]);
      return {
        bundle: y,
        what: kind === 'order' ? 'the first two entries swapped' : 'the second entry a copy of the first',
      };
    }
    const string = (v: unknown) => typeof v === 'string' && v.length > 0;
    const place = findPlace(y, steps, kind === 'range' ? (v) => v !== undefined : string);
    if (!place) continue;
    const v = place.parent[place.key] as Any;
    let what: string;
    if (/^hex\d+$/.test(kind)) {
      place.parent[place.key] = `${v}0`;
      what = 'one hex digit too many';
    } else if (kind === 'hex') {
      if (!/[a-f]/.test(v)) continue;
      place.parent[place.key] = v.toUpperCase();
      what = 'upper-case hex';
    } else if (kind === 'text') {
      place.parent[place.key] = '';
      what = 'an empty string';
    } else if (kind === 'range') {
      const bad = OUT_OF_RANGE[rule.id];
      if (!bad) return null;
      place.parent[place.key] = bad(place.parent, y);
      what = `${JSON.stringify(place.parent[place.key])} (out of range)`;
    } else return null;
    return { bundle: y, what };
  }
  return null;
}

function shapeRuleVectors(neg: Neg, b: Bases, covered: Set<string>) {
  const FI = rejected('BUNDLE_FIELD_INVALID');
  const full = b.matchedFull;
  const edit = <B extends BundleV2>(x: B, f: (y: Any) => void): B => {
    const y = clone(x);
    f(y);
    return y;
  };
  const expectOf = (r: shape.ShapeRule): Expectation =>
    r.code === 'BUNDLE_FORMAT_UNKNOWN' ? unreadable(r.code) : rejected(r.code);
  const candidates = [full, b.escalatedFull, b.mainnetFull, b.redrawFull, b.supersededFull];

  /** Hand-written: the rules whose path alone does not give a vector. */
  const byHand: Record<string, [string, BundleV2 | Json | string]> = {
    'type.object': ['commitment.task a string', edit(full, (y) => (y.commitment.task = 'T-2024-017'))],
    'type.array': ['commitment.items an object', edit(full, (y) => (y.commitment.items = {}))],
    'type.string': ['roster a list of one string', edit(full, (y) => (y.roster = [y.roster]))],
    'type.integer': ['attempt the string "1"', edit(full, (y) => (y.commitment.attempt = '1'))],
    'type.boolean': [
      'avoidPrevious the integer 1',
      edit(full, (y) => (y.commitment.matching.rules.avoidPrevious = 1)),
    ],
    'member.missing': ['no task.name', edit(full, (y) => delete y.commitment.task.name)],
    'member.unknown': ['a member task.extra', edit(full, (y) => (y.commitment.task.extra = 1))],
    'view.enum': ['view "supervisor"', edit(full, (y) => (y.view = 'supervisor'))],
    'algorithm.value': [
      'algorithm choucha-draw-v1',
      edit(full, (y) => (y.commitment.algorithm = 'choucha-draw-v1')),
    ],
    'items.length': [
      '1001 items',
      edit(full, (y) => {
        y.commitment.items = Array.from({ length: 1001 }, (_, i) => ({
          id: `ITEM-${String(i).padStart(4, '0')}`,
          department: 'EDU-BL',
          field: null,
        }));
      }),
    ],
    'strata.ratio.pattern': ['a ratio "1.5"', edit(full, (y) => (y.commitment.strata[0].ratio = '1.5'))],
    'strata.ratio.positive': [
      'a ratio "0.000000"',
      edit(full, (y) => (y.commitment.strata[0].ratio = '0.000000')),
    ],
    'pool.length': [
      // written without indentation (6 MB with it)
      '100001 pool entries',
      `${JSON.stringify(
        edit(full, (y) => {
          y.commitment.matching.pool = Array.from({ length: 100_001 }, (_, i) => ({
            pseudonym: i.toString(16).padStart(16, '0'),
            department: 'EDU-BL',
            load: 0,
          }));
        }),
      )}\n`,
    ],
    'pool.department.known': [
      "a pool department that is no item's department",
      edit(full, (y) => (y.commitment.matching.pool[0].department = 'TAX-BL')),
    ],
    'exclusions.key.key': [
      'an exclusion key that is no USCC or registration number',
      edit(full, (y) => (y.commitment.matching.exclusions[0].key = 'not-a-key')),
    ],
    'stage.enum': ['stage "selected"', edit(full, (y) => (y.stage = 'selected'))],
    'stage.seedInputs': ['stage matched with seedInputs null', edit(full, (y) => (y.seedInputs = null))],
    'stage.seed': ['stage matched with seed null', edit(full, (y) => (y.seed = null))],
    'stage.escalations': [
      'stage committed with escalations [1]',
      edit(b.committedFull, (y) => (y.escalations = [1])),
    ],
    'stage.selection': ['stage matched with selection null', edit(full, (y) => (y.selection = null))],
    'stage.teams': ['stage matched with teams null', edit(full, (y) => (y.teams = null))],
    'stage.infeasible': [
      'stage matched with an infeasible pair',
      edit(full, (y) => (y.infeasible = [{ key: y.selection[0].key, department: 'EDU-BL' }])),
    ],
    'seedInputs.dice.iff': [
      'dice committed, seedInputs.dice null',
      edit(full, (y) => (y.seedInputs.dice = null)),
    ],
    'beacon.iff': [
      'drand committed, seedInputs.beacon null',
      edit(full, (y) => (y.seedInputs.beacon = null)),
    ],
    'infeasible.length': [
      'stage infeasible with infeasible []',
      edit(b.infeasibleFull, (y) => (y.infeasible = [])),
    ],
    'inspectors.fields.order': [
      "an inspector's fields out of order",
      edit(full, (y) => {
        const ins = y.private.matching.inspectors.find((i: Any) => i.fields.length > 0);
        ins.fields = [...ins.fields, 'A'];
      }),
    ],
    'inspectors.fields.unique': [
      "an inspector's field twice",
      edit(full, (y) => {
        const ins = y.private.matching.inspectors.find((i: Any) => i.fields.length > 0);
        ins.fields = [ins.fields[0], ins.fields[0]];
      }),
    ],
    'inspectors.unavailable.order': [
      "an inspector's unavailable ranges out of order",
      edit(full, (y) => {
        const ins = y.private.matching.inspectors.find((i: Any) => i.unavailable.length > 0);
        ins.unavailable = [{ from: '2024-06-01', to: '2024-06-02' }, ...ins.unavailable];
      }),
    ],
    'inspectors.unavailable.unique': [
      "an inspector's unavailable range twice",
      edit(full, (y) => {
        const ins = y.private.matching.inspectors.find((i: Any) => i.unavailable.length > 0);
        ins.unavailable = [ins.unavailable[0], { ...ins.unavailable[0] }];
      }),
    ],
  };

  for (const r of shape.SHAPE_RULES) {
    if (covered.has(r.id)) continue;
    const hand = byHand[r.id];
    const made = hand ? { what: hand[0], bundle: hand[1] } : fromPath(r, candidates);
    if (!made) throw new Error(`no vector for the shape rule ${r.id} (${r.path})`);
    SHAPE_RULE_OF[`neg-shape-${r.id}`] = r.id;
    neg(
      `shape-${r.id}`,
      `§12 step 2 ${r.id}`,
      `${r.path}: ${r.description} — ${made.what}`,
      made.bundle,
      r.code === 'BUNDLE_FIELD_INVALID' ? FI : expectOf(r),
    );
  }
}

// ---------------------------------------------------------------------------------------------

/** Writes vectors/ (removing stale files) and manifest.json. */
export function writeSuite(suite: Suite = generateSuite()) {
  fs.mkdirSync(VECTORS_DIR, { recursive: true });
  for (const f of fs.readdirSync(VECTORS_DIR)) if (!suite.files.has(f)) fs.rmSync(path.join(VECTORS_DIR, f));
  for (const [f, bytes] of suite.files) fs.writeFileSync(path.join(VECTORS_DIR, f), bytes);
  // two-space indent: the layout prettier gives it (npm run format:check)
  fs.writeFileSync(MANIFEST_PATH, `${JSON.stringify(suite.manifest, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const suite = generateSuite();
  writeSuite(suite);
  const positive = suite.manifest.filter((m) => m.expect.verdict === 'verified').length;
  process.stderr.write(
    `wrote ${suite.manifest.length} vectors (${positive} positive, ${suite.manifest.length - positive} negative) to ${VECTORS_DIR}\n`,
  );
}
