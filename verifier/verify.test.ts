import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildCommitment,
  buildCommitmentV2,
  committedBundleV2,
  drawnBundleV2,
  publicViewV2,
  runDraw,
  runDrawV2,
  verifyBundle,
  verifyBundleBytes,
  verifyBundleText,
  withSupersededBy,
  type BundleV2,
  type DrawBundle,
  type EscalationEntryV2,
} from '@choucha/core';
import { fixtureInput } from '../packages/core/src/draw/fixture.ts';
import {
  FIXTURE_RANDOM_SEED,
  FIXTURE_SEED_INPUTS_V2,
  fixtureInputV2,
  fixtureRandom,
} from '../packages/core/src/draw/v2/fixture.ts';
import { generateVectors, VECTORS_PATH } from './generate-vectors.ts';

const VERIFY_PY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verify.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-verify-'));

function python(bundle: DrawBundle): { status: number | null; out: string } {
  const file = path.join(tmp, `b-${Math.floor(performance.now() * 1000)}.json`);
  fs.writeFileSync(file, JSON.stringify(bundle));
  const r = spawnSync('python3', [VERIFY_PY, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const vectors = JSON.parse(fs.readFileSync(VECTORS_PATH, 'utf8')) as {
  vectors: { name: string; bundle: DrawBundle }[];
};

function generatedInput() {
  const input = fixtureInput();
  const roster = [];
  for (let i = 0; i < 600; i++)
    roster.push({
      key: `9161010${String(10_000_000_000 + i * 104_729).slice(-11)}`,
      stratum: ['A', 'B', 'C', 'D|张家村街道'][i % 4]!,
    });
  input.roster = roster;
  input.strata = input.strata.map((s) => ({ ...s, ratio: '0.03', max: null }));
  input.matching.rules.maxLoad = null;
  input.seedSource = { dice: { minDigits: 20 }, drand: null };
  return input;
}

function generatedRun(
  escalation: Record<string, number>,
  rounds?: Record<string, number>[],
  edit: (i: ReturnType<typeof generatedInput>) => void = () => {},
): DrawBundle {
  const input = generatedInput();
  edit(input);
  const c = buildCommitment(input);
  if (!c.ok) throw new Error(c.error.message);
  const b = runDraw(c.value, { dice: '11223344556677889900123', beacon: null }, escalation, {}, rounds);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

const generatedBundle = () => generatedRun({ C: 2 });

describe('test vectors', () => {
  it('verifier/test-vectors.json is what the code generates', () => {
    // Compared as JSON values: the file is formatted by prettier (npm run format), not byte-equal.
    expect(JSON.parse(fs.readFileSync(VECTORS_PATH, 'utf8'))).toEqual(JSON.parse(generateVectors()));
  });

  for (const v of vectors.vectors) {
    it(`${v.name}: TypeScript (with BLS) and Python both verify`, () => {
      expect(verifyBundle(v.bundle)).toMatchObject({ ok: true });
      const r = python(v.bundle);
      expect(r.out).toContain('OK:');
      expect(r.status).toBe(0);
    });
  }
});

describe('generated bundle and tampering', () => {
  const bundle = generatedBundle();

  it('a generated bundle (600 entities, escalation) verifies in both', () => {
    expect(verifyBundle(bundle)).toMatchObject({ ok: true });
    expect(python(bundle).status).toBe(0);
  });

  it('one ticket changed: both reject, naming the place', () => {
    const b = structuredClone(bundle);
    const e = b.selection[1]!.selected[0]!;
    e.ticket = e.ticket.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const ts = verifyBundle(b);
    expect(ts).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BUNDLE_MISMATCH', details: { path: '$.selection[1].selected[0].ticket' } },
    });
    const py = python(b);
    expect(py.status).toBe(1);
    expect(py.out).toContain('$.selection[1].selected[0].ticket');
  });

  it('one team member changed: both reject', () => {
    const b = structuredClone(bundle);
    const team = b.teams[3]!.teams[0]!;
    team.inspectorIds[1] = team.inspectorIds[1] === 'E006' ? 'E003' : 'E006';
    const ts = verifyBundle(b);
    expect(ts).toMatchObject({
      ok: false,
      error: { details: { path: '$.teams[3].teams[0].inspectorIds[1]' } },
    });
    const py = python(b);
    expect(py.status).toBe(1);
    expect(py.out).toContain('$.teams[3].teams[0].inspectorIds[1]');
  });

  it('one roster line changed: both reject at the roster root', () => {
    const b = structuredClone(bundle);
    b.roster = b.roster.replace('\tA\n', '\tB\n');
    expect(verifyBundle(b)).toMatchObject({ ok: false, error: { code: 'DRAW_BUNDLE_MISMATCH' } });
    const py = python(b);
    expect(py.status).toBe(1);
    expect(py.out).toContain('$.commitment.roster');
  });

  it('a changed dice string: both reject at the seed', () => {
    const b = structuredClone(bundle);
    b.seedInputs.dice = '11223344556677889900124';
    expect(verifyBundle(b)).toMatchObject({ ok: false, error: { details: { path: '$.seed' } } });
    expect(python(b).out).toContain('$.seed');
  });
});

describe('escalation rounds and the per-draw cap (draw-protocol §8, §9)', () => {
  const base = generatedRun({});
  const rounds = [{ C: 2 }, { A: 1, B: 3 }];
  const escalated = generatedRun({ A: 1, B: 3, C: 2 }, rounds);

  it('two escalations keep every existing team and add 6 targets; both verifiers accept', () => {
    expect(base.teams.length).toBe(20);
    expect(escalated.teams.length).toBe(26);
    expect(escalated.teams.slice(0, base.teams.length)).toEqual(base.teams);
    expect(escalated.escalationRounds).toEqual(rounds);
    expect(verifyBundle(escalated)).toMatchObject({ ok: true });
    const py = python(escalated);
    expect(py.out).toContain('26 targets verified');
    expect(py.status).toBe(0);
  });

  it('rounds that do not add up to the escalation: both reject at $.escalationRounds', () => {
    const b = structuredClone(escalated);
    b.escalationRounds = [{ C: 2 }, { A: 1, B: 2 }];
    expect(verifyBundle(b)).toMatchObject({
      ok: false,
      error: { details: { path: '$.escalationRounds.B' } },
    });
    const py = python(b);
    expect(py.status).toBe(1);
    expect(py.out).toContain('$.escalationRounds');
  });

  it('the same escalation in other rounds gives other teams (the order is part of the record)', () => {
    const other = generatedRun({ A: 1, B: 3, C: 2 }, [{ A: 1, B: 3 }, { C: 2 }]);
    expect(other.selection).toEqual(escalated.selection);
    expect(other.teams.slice(0, base.teams.length)).toEqual(base.teams);
    const swapped = structuredClone(escalated);
    swapped.escalationRounds = [{ A: 1, B: 3 }, { C: 2 }];
    // the recorded teams no longer follow the recorded rounds
    expect(other.teams).not.toEqual(escalated.teams);
    expect(verifyBundle(swapped)).toMatchObject({ ok: false, error: { code: 'DRAW_BUNDLE_MISMATCH' } });
    expect(python(swapped).out).toContain('$.teams');
  });

  it('prior load dominating: one fresh inspector is on every team unless maxPerDraw caps it', () => {
    const heavy = (i: ReturnType<typeof generatedInput>) => {
      for (const ins of i.matching.inspectors) ins.load = ins.id === 'S001' ? 0 : 500;
    };
    const countOf = (b: DrawBundle, id: string) =>
      b.teams.filter((t) => t.teams.some((d) => d.inspectorIds.includes(id))).length;
    const uncapped = generatedRun({}, undefined, heavy);
    expect(countOf(uncapped, 'S001')).toBe(20);
    const capped = generatedRun({}, undefined, (i) => {
      heavy(i);
      i.matching.rules.maxPerDraw = 12;
    });
    expect(countOf(capped, 'S001')).toBe(12);
    expect(capped.commitment.matching.rules.maxPerDraw).toBe(12);
    expect(verifyBundle(capped)).toMatchObject({ ok: true });
    expect(python(capped).status).toBe(0);
    const tampered = structuredClone(capped);
    tampered.commitment.matching.rules.maxPerDraw = 13;
    expect(python(tampered).out).toContain('$.commitmentHash');
  });
});

// ------------------------------------------------------------------------------------------------
// Draw protocol v2 (docs/specs/draw-protocol-v2.md §12): the Python verifier on bundles made by the
// TypeScript engine from its fixture, and on tampered copies; both verifiers must give the same
// code and exit status (the Python one never checks the BLS signature, and says so).
// ------------------------------------------------------------------------------------------------

interface PyLine {
  file: string;
  verdict: 'verified' | 'rejected' | 'unreadable';
  exit: 0 | 1 | 2;
  code: string | null;
  path: string | null;
  message: string | null;
  stage: string | null;
  view: string | null;
  blsChecked: boolean;
}

const v2dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-verify-v2-'));

/** Runs the Python verifier ONCE on all the files (--json); returns its lines by name and its status. */
function pythonJson(files: Record<string, string | Uint8Array>): {
  status: number | null;
  lines: Record<string, PyLine>;
} {
  const names = Object.keys(files);
  const paths = names.map((n) => path.join(v2dir, `${n}.json`));
  names.forEach((n, i) => fs.writeFileSync(paths[i]!, files[n]!));
  const r = spawnSync('python3', [VERIFY_PY, '--json', ...paths], { encoding: 'utf8' });
  const lines: Record<string, PyLine> = {};
  for (const l of r.stdout.trim().split('\n')) {
    const o = JSON.parse(l) as PyLine;
    lines[path.basename(o.file, '.json')] = o;
  }
  return { status: r.status, lines };
}

function pythonHuman(text: string): { status: number | null; out: string } {
  const file = path.join(v2dir, `h-${Math.floor(performance.now() * 1000)}.json`);
  fs.writeFileSync(file, text);
  const r = spawnSync('python3', [VERIFY_PY, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function mustOk<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const ROUNDS: EscalationEntryV2[][] = [
  [{ label: 'C', extra: 2 }],
  [
    { label: 'A', extra: 1 },
    { label: 'B', extra: 3 },
  ],
];

function v2Bundles() {
  const c1 = mustOk(buildCommitmentV2(fixtureInputV2(), fixtureRandom(FIXTURE_RANDOM_SEED)));
  const matched = mustOk(runDrawV2(c1, FIXTURE_SEED_INPUTS_V2, [])).bundle;
  const escalated = mustOk(runDrawV2(c1, FIXTURE_SEED_INPUTS_V2, ROUNDS)).bundle;
  const tight = fixtureInputV2();
  tight.matching.rules.teamSize = 5; // SAMR-BL has 4 statically eligible inspectors
  const cInf = mustOk(buildCommitmentV2(tight, fixtureRandom(FIXTURE_RANDOM_SEED)));
  const infeasible = mustOk(runDrawV2(cInf, FIXTURE_SEED_INPUTS_V2, [])).bundle;
  const c2 = mustOk(
    buildCommitmentV2({ ...fixtureInputV2(), attempt: 2, predecessor: c1.hash }, fixtureRandom('redraw')),
  );
  const redraw = mustOk(runDrawV2(c2, FIXTURE_SEED_INPUTS_V2, [])).bundle;
  const superseded = withSupersededBy(matched, c2.hash);
  // A beacon whose randomness is SHA-256 of a fabricated signature: everything after it recomputes.
  const signature = `${'a'.repeat(94)}01`;
  const fakeBeacon = {
    ...FIXTURE_SEED_INPUTS_V2.beacon!,
    signature,
    randomness: createHash('sha256').update(Buffer.from(signature, 'hex')).digest('hex'),
  };
  const fabricated = mustOk(
    runDrawV2(c1, { ...FIXTURE_SEED_INPUTS_V2, beacon: fakeBeacon }, [], { skipBls: true }),
  ).bundle;
  return { c1, c2, matched, escalated, infeasible, redraw, superseded, fabricated };
}

const V2 = v2Bundles();
const text = (b: unknown) => JSON.stringify(b);
const edit = <B extends BundleV2>(b: B, f: (x: B) => void): string => {
  const x = structuredClone(b);
  f(x);
  return text(x);
};
// the last digit: the order of the selection (by ticket) stays as it was
const flip = (hex: string) => hex.replace(/.$/, (c) => (c === '0' ? '1' : '0'));

const POSITIVE: Record<string, { text: string; stage: string; view: string }> = {
  'committed-full': { text: text(committedBundleV2(V2.c1)), stage: 'committed', view: 'full' },
  'committed-public': {
    text: text(publicViewV2(committedBundleV2(V2.c1))),
    stage: 'committed',
    view: 'public',
  },
  'drawn-full': { text: text(drawnBundleV2(V2.escalated)), stage: 'drawn', view: 'full' },
  'drawn-public': { text: text(publicViewV2(drawnBundleV2(V2.escalated))), stage: 'drawn', view: 'public' },
  'matched-full': { text: text(V2.matched), stage: 'matched', view: 'full' },
  'matched-public': { text: text(publicViewV2(V2.matched)), stage: 'matched', view: 'public' },
  'escalated-full': { text: text(V2.escalated), stage: 'matched', view: 'full' },
  'escalated-public': { text: text(publicViewV2(V2.escalated)), stage: 'matched', view: 'public' },
  'infeasible-full': { text: text(V2.infeasible), stage: 'infeasible', view: 'full' },
  'infeasible-public': { text: text(publicViewV2(V2.infeasible)), stage: 'infeasible', view: 'public' },
  'redraw-full': { text: text(V2.redraw), stage: 'matched', view: 'full' },
  'superseded-public': { text: text(publicViewV2(V2.superseded)), stage: 'matched', view: 'public' },
};

const full = V2.escalated;
const pub = publicViewV2(V2.escalated);
const json = text(full);
const NEGATIVE: Record<
  string,
  { content: string | Uint8Array; code: string; exit: 1 | 2; path: string | null }
> = {
  // step 1 — strict parse (exit 2)
  float: {
    content: json.replace('"attempt":1,', '"attempt":1.0,'),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  exponent: {
    content: json.replace('"attempt":1,', '"attempt":1e0,'),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  'duplicate-member': {
    content: json.replace('"attempt":1,', '"attempt":1,"attempt":1,'),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  'lone-surrogate': {
    content: json.replace(`"name":${JSON.stringify(full.commitment.task.name)}`, '"name":"x\\ud800y"'),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  'beyond-2^53': {
    content: json.replace('"seq":41,', '"seq":9007199254740992,'),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  bom: {
    content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  'not-utf8': {
    content: Buffer.concat([
      Buffer.from(json.slice(0, -1)),
      Buffer.from([0x2c, 0x22, 0xff, 0x22, 0x3a, 0x30, 0x7d]),
    ]),
    code: 'BUNDLE_JSON_INVALID',
    exit: 2,
    path: null,
  },
  'wrong-format': {
    content: json.replace('choucha-draw-bundle-v2', 'choucha-draw-bundle-v3'),
    code: 'BUNDLE_FORMAT_UNKNOWN',
    exit: 2,
    path: null,
  },
  // step 2 — shape
  'deep-nesting': {
    // 20,000 levels: beyond Python's json recursion (the verifier parses it again on a larger stack)
    content: json.replace(
      '"supersededBy":null',
      `"supersededBy":null,"zz":${'['.repeat(20000)}${']'.repeat(20000)}`,
    ),
    code: 'BUNDLE_FIELD_INVALID',
    exit: 1,
    path: '$.zz',
  },
  'upper-case-hex': {
    content: edit(full, (b) => (b.commitmentHash = b.commitmentHash.toUpperCase())),
    code: 'BUNDLE_FIELD_INVALID',
    exit: 1,
    path: '$.commitmentHash',
  },
  'private-in-public': {
    content: text({ ...pub, private: full.private }),
    code: 'BUNDLE_FIELD_INVALID',
    exit: 1,
    path: '$.private',
  },
  'unknown-member': {
    content: edit(full, (b) => Object.assign(b.commitment.task, { extra: 1 })),
    code: 'BUNDLE_FIELD_INVALID',
    exit: 1,
    path: '$.commitment.task.extra',
  },
  'selection-duplicate': {
    content: edit(pub, (b) => (b.selection![1] = { ...b.selection![0]! })),
    code: 'BUNDLE_DUPLICATE',
    exit: 1,
    path: '$.selection[1]',
  },
  'selection-order': {
    content: edit(pub, (b) => b.selection!.splice(0, 2, b.selection![1]!, b.selection![0]!)),
    code: 'BUNDLE_ORDER_INVALID',
    exit: 1,
    path: '$.selection[1]',
  },
  // step 3 — drand
  'drand-chain': {
    content: edit(pub, (b) => (b.commitment.seedSource.drand!.chainHash = '0'.repeat(64))),
    code: 'DRAND_CHAIN_UNKNOWN',
    exit: 1,
    path: '$.commitment.seedSource.drand.chainHash',
  },
  // step 4 — recompute
  'roster-duplicate-key': {
    content: edit(pub, (b) => (b.roster = b.roster.replace(/^([^\n]*\n)/, '$1$1'))),
    code: 'DRAW_DUPLICATE_KEY',
    exit: 1,
    path: '$.roster',
  },
  'dice-length': {
    content: edit(pub, (b) => (b.seedInputs!.dice = `${b.seedInputs!.dice!}1`)),
    code: 'DRAW_DICE_LENGTH',
    exit: 1,
    path: '$.seedInputs.dice',
  },
  ticket: {
    content: edit(pub, (b) => (b.selection![0]!.ticket = flip(b.selection![0]!.ticket))),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.selection[0].ticket',
  },
  nonce: {
    content: edit(pub, (b) => (b.selection![2]!.nonce = flip(b.selection![2]!.nonce))),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.selection[2].nonce',
  },
  'escalation-count': {
    content: edit(pub, (b) => (b.escalations[1] = b.escalations[1]! + 1)),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.escalations[1]',
  },
  'team-member': {
    content: edit(pub, (b) => b.teams![3]!.teams[0]!.inspectors.reverse()),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.teams[3].teams[0].inspectors[0]',
  },
  'opening-stratum': {
    content: edit(full, (b) => (b.private.openings = b.private.openings.replace('\tA\t', '\tB\t'))),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.commitment.roster.openingsRoot', // a label of the commitment: only the root differs
  },
  'opening-unknown-stratum': {
    content: edit(full, (b) => (b.private.openings = b.private.openings.replace('\tA\t', '\tZZ\t'))),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.private.openings',
  },
  'escalation-label-unknown': {
    content: edit(full, (b) => (b.private.escalations[0]![0]!.label = 'Z')),
    code: 'DRAW_STRATUM_UNKNOWN',
    exit: 1,
    path: '$.private.escalations[0][0].label',
  },
  'committed-full-inspector-load': {
    // the seed-free checks of step 9 run on a committed full bundle (spec §12 step 5)
    content: edit(committedBundleV2(V2.c1), (b) => (b.private.matching.inspectors[0]!.load += 1)),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.commitment.matching.root',
  },
  'drawn-full-inspector-load': {
    // a drawn full bundle has no matching but still runs step 9 (spec §12 step 8, 3dc6f0c)
    content: edit(drawnBundleV2(V2.escalated), (b) => (b.private.matching.inspectors[0]!.load += 1)),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.commitment.matching.root',
  },
  'signature-odd-length': {
    content: edit(pub, (b) => (b.seedInputs!.beacon!.signature = b.seedInputs!.beacon!.signature.slice(1))),
    code: 'BUNDLE_FIELD_INVALID',
    exit: 1,
    path: '$.seedInputs.beacon.signature',
  },
  'signature-47-bytes': {
    // hex of whole bytes passes the shape; its length for the scheme is step 4.6
    content: edit(pub, (b) => (b.seedInputs!.beacon!.signature = b.seedInputs!.beacon!.signature.slice(2))),
    code: 'DRAW_BEACON_INVALID',
    exit: 1,
    path: '$.seedInputs.beacon.signature',
  },
  'private-round': {
    content: edit(full, (b) => (b.private.escalations[0]![0]!.extra = 3)),
    code: 'DRAW_BUNDLE_MISMATCH',
    exit: 1,
    path: '$.selection[19].key',
  },
};

describe('draw protocol v2 (spec §12): the Python verifier', () => {
  const all: Record<string, string | Uint8Array> = {};
  for (const [n, p] of Object.entries(POSITIVE)) all[`pos-${n}`] = p.text;
  for (const [n, x] of Object.entries(NEGATIVE)) all[`neg-${n}`] = x.content;
  all['pos-fabricated-bls'] = text(V2.fabricated);
  const run = pythonJson(all);

  it('one call verifies every file and exits with the worst status (2)', () => {
    expect(Object.keys(run.lines).sort()).toEqual(Object.keys(all).sort());
    expect(run.status).toBe(2);
  });

  for (const [n, p] of Object.entries(POSITIVE))
    it(`${n}: verified by Python and TypeScript`, () => {
      expect(run.lines[`pos-${n}`]).toEqual({
        file: path.join(v2dir, `pos-${n}.json`),
        verdict: 'verified',
        exit: 0,
        code: null,
        path: null,
        message: null,
        stage: p.stage,
        view: p.view,
        blsChecked: false,
      });
      expect(verifyBundleText(p.text)).toMatchObject({
        verdict: 'verified',
        exit: 0,
        stage: p.stage,
        view: p.view,
      });
    });

  for (const [n, x] of Object.entries(NEGATIVE))
    it(`${n}: ${x.code} (exit ${x.exit}) from Python and TypeScript`, () => {
      const py = run.lines[`neg-${n}`]!;
      expect({ code: py.code, exit: py.exit, path: py.path }).toEqual({
        code: x.code,
        exit: x.exit,
        path: x.path,
      });
      expect(py.verdict).toBe(x.exit === 2 ? 'unreadable' : 'rejected');
      const bytes = typeof x.content === 'string' ? new TextEncoder().encode(x.content) : x.content;
      const ts = verifyBundleBytes(bytes);
      expect({ code: ts.code, exit: ts.exit }).toEqual({ code: x.code, exit: x.exit });
    });

  it('a fabricated BLS signature: TypeScript rejects it, Python verifies the rest and says the BLS signature was NOT checked', () => {
    expect(verifyBundleText(text(V2.fabricated))).toMatchObject({
      verdict: 'rejected',
      code: 'DRAW_BEACON_INVALID',
      path: '$.seedInputs.beacon.signature',
    });
    expect(run.lines['pos-fabricated-bls']).toMatchObject({
      verdict: 'verified',
      exit: 0,
      blsChecked: false,
    });
    const h = pythonHuman(text(V2.fabricated));
    expect(h.status).toBe(0);
    expect(h.out).toContain(
      'BLS signature: NOT checked (standard library only; use choucha verify for the full check)',
    );
    expect(h.out.trim().split('\n').at(-1)).toBe('verified (matched)');
  });

  it('human output: algorithm, hash, view, stage, seed, strata, targets, teams, supersededBy, verdict', () => {
    const h = pythonHuman(text(publicViewV2(V2.superseded)));
    expect(h.status).toBe(0);
    expect(h.out).toContain('algorithm:       choucha-draw-v2');
    expect(h.out).toContain(`commitment hash: ${V2.c1.hash}`);
    expect(h.out).toContain('view:            public');
    expect(h.out).toContain('stage:           matched');
    expect(h.out).toContain(`seed:            ${V2.matched.seed!}`);
    expect(h.out).toContain('seed source:     dice (20 digits) + drand quicknet round 657413');
    expect(h.out).toContain(`targets:         ${V2.matched.selection!.length}`);
    expect(h.out).toContain(`teams:           ${V2.matched.teams!.length}`);
    expect(h.out).toContain(`superseded by:   ${V2.c2.hash}`);
    const r = pythonHuman(NEGATIVE['ticket']!.content as string);
    expect(r.status).toBe(1);
    expect(r.out).toContain(
      'NOT verified\ncode:     DRAW_BUNDLE_MISMATCH\npath:     $.selection[0].ticket\n',
    );
    expect(r.out).toContain(`expected: "${pub.selection![0]!.ticket}"`);
  });

  it('several files: the exit status is the worst of them', () => {
    const ok = path.join(v2dir, 'pos-matched-public.json');
    const bad = path.join(v2dir, 'neg-ticket.json');
    expect(spawnSync('python3', [VERIFY_PY, ok, ok]).status).toBe(0);
    expect(spawnSync('python3', [VERIFY_PY, ok, bad, ok]).status).toBe(1);
    expect(spawnSync('python3', [VERIFY_PY, bad, path.join(v2dir, 'neg-float.json')]).status).toBe(2);
    const missing = spawnSync('python3', [VERIFY_PY, '--json', ok, path.join(v2dir, 'no-such-file.json')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout.trim().split('\n')[1]!)).toMatchObject({
      verdict: 'unreadable',
      exit: 2,
      code: null,
    });
  });
});
