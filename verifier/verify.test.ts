import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCommitment, runDraw, verifyBundle, type DrawBundle } from '@choucha/core';
import { fixtureInput } from '../packages/core/src/draw/fixture.ts';
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
