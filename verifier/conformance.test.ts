/**
 * The conformance suite (docs/specs/draw-protocol-v2.md §13): every vector of
 * verifier/conformance/manifest.json through the CLI (`choucha verify --json`, one process for all
 * files), the Python verifier (`verify.py --json`, one process) and the in-process
 * verifyBundleBytes, each compared to the manifest's verdict, exit status and code.
 * (The browser verifier runs on the same vectors in e2e/conformance.e2e.ts.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleBytes } from '@choucha/core';
import { SHAPE_RULES, validateBundleV2 } from '../packages/core/src/draw/v2/shape.ts';
import { parseStrictJson } from '../packages/core/src/draw/v2/strict-json.ts';
import {
  generateSuite,
  MANIFEST_PATH,
  SHAPE_RULES_NOT_STEP_2,
  VECTORS_DIR,
  type ManifestEntry,
} from './conformance/generate.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'apps/cli/bin/choucha.js');
const VERIFY_PY = path.join(ROOT, 'verifier/verify.py');

const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as ManifestEntry[];
const files = manifest.map((m) => path.join(VECTORS_DIR, m.file));
const read = (m: ManifestEntry) => fs.readFileSync(path.join(VECTORS_DIR, m.file));
const positive = manifest.filter((m) => m.expect.verdict === 'verified');
/** The positive vectors that carry a drand beacon (v1 and v2 both have seedInputs.beacon). */
const withBeacon = positive.filter(
  (m) =>
    (JSON.parse(read(m).toString('utf8')) as { seedInputs?: { beacon?: unknown } | null }).seedInputs?.beacon,
);

interface Line {
  file: string;
  verdict: string;
  exit: number;
  code: string | null;
  path: string | null;
  message: string | null;
  stage: string | null;
  view: string | null;
  blsChecked: boolean | null;
}

/** Runs one verifier process on every vector; its JSON lines by file name. */
function runAll(
  cmd: string,
  args: string[],
): { status: number | null; lines: Map<string, Line>; stderr: string } {
  const r = spawnSync(cmd, [...args, ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = new Map<string, Line>();
  for (const l of r.stdout.split('\n').filter(Boolean)) {
    const x = JSON.parse(l) as Line;
    lines.set(path.basename(x.file), x);
  }
  return { status: r.status, lines, stderr: r.stderr };
}

const expected = (m: ManifestEntry, python: boolean) => {
  const e = python && m.python ? m.python : m.expect;
  return { verdict: e.verdict, exit: e.exit, code: e.code };
};
const got = (l: Line | undefined) => ({ verdict: l?.verdict, exit: l?.exit, code: l?.code ?? null });

describe('conformance vectors (verifier/conformance)', () => {
  it('the committed files are what generate.ts generates (byte for byte)', () => {
    const suite = generateSuite();
    expect(JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8'))).toEqual(suite.manifest);
    expect(fs.readdirSync(VECTORS_DIR).sort()).toEqual([...suite.files.keys()].sort());
    for (const [name, bytes] of suite.files)
      expect(Buffer.compare(fs.readFileSync(path.join(VECTORS_DIR, name)), Buffer.from(bytes)), name).toBe(0);
  });

  it('has a vector for every rule: at least 115 negative vectors, and positive ones of each stage', () => {
    const negative = manifest.filter((m) => m.expect.verdict !== 'verified');
    expect(negative.length).toBeGreaterThanOrEqual(115);
    expect(manifest.filter((m) => m.file.startsWith('pos-')).map((m) => m.expect.verdict)).toEqual(
      manifest.filter((m) => m.file.startsWith('pos-')).map(() => 'verified'),
    );
    expect(new Set(manifest.map((m) => m.file)).size).toBe(manifest.length);
    // 22 positive vectors, 16 with a beacon: drawn, infeasible, matched (full and public), mainnet ×2,
    // quicknet only, escalation ×2, superseded ×2, the astral label, the code-point order, v1
    expect(positive.length).toBe(22);
    expect(withBeacon.length).toBe(16);
  });

  it('has a vector for every rule of SHAPE_RULES (packages/core/src/draw/v2/shape.ts)', () => {
    const named = new Set(manifest.flatMap((m) => (m.shapeRule ? [m.shapeRule] : [])));
    expect(SHAPE_RULES.map((r) => r.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it("each shape vector is rejected with its rule's code (or the code the spec gives it since 2411ee2)", () => {
    const codeOf = new Map(SHAPE_RULES.map((r) => [r.id, r.code]));
    const wrong = manifest
      .filter((m) => m.shapeRule)
      .filter((m) => m.expect.code !== (SHAPE_RULES_NOT_STEP_2[m.shapeRule!] ?? codeOf.get(m.shapeRule!)))
      .map((m) => m.file);
    expect(wrong).toEqual([]);
  });

  it('validateBundleV2 names the rule of each step-2 shape vector (details.rule)', () => {
    const step2 = manifest.filter((m) => m.shapeRule && !(m.shapeRule in SHAPE_RULES_NOT_STEP_2));
    expect(step2.length).toBeGreaterThanOrEqual(100);
    const rules = step2.map((m) => {
      const parsed = parseStrictJson(read(m).toString('utf8'));
      if (!parsed.ok) return `${m.file}: ${parsed.error.code}`;
      const v = validateBundleV2(parsed.value);
      return v.ok ? `${m.file}: valid` : `${m.file}: ${String(v.error.details?.['rule'])}`;
    });
    expect(rules).toEqual(step2.map((m) => `${m.file}: ${m.shapeRule}`));
  });
});

describe('the CLI on every vector (choucha verify --json, one process)', () => {
  let run: ReturnType<typeof runAll>;
  beforeAll(() => {
    run = runAll(process.execPath, [CLI, 'verify', '--json']);
  });

  it('prints one line per file and exits with the worst status', () => {
    expect(run.stderr).toBe('');
    expect(run.lines.size).toBe(manifest.length);
    expect(run.status).toBe(Math.max(...manifest.map((m) => m.expect.exit)));
  });

  for (const m of manifest)
    it(`${m.file}: ${m.expect.verdict}${m.expect.code ? ` ${m.expect.code}` : ''}`, () => {
      expect(got(run.lines.get(m.file))).toEqual(expected(m, false));
    });

  it('reports blsChecked true on every positive vector with a beacon, false on the others', () => {
    expect(positive.map((m) => [m.file, run.lines.get(m.file)?.blsChecked])).toEqual(
      positive.map((m) => [m.file, withBeacon.includes(m)]),
    );
  });

  it('with --skip-bls: still verified, blsChecked false', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'verify', '--json', '--skip-bls', ...withBeacon.map((m) => path.join(VECTORS_DIR, m.file))],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [path.basename(l.file), l.verdict, l.blsChecked])).toEqual(
      withBeacon.map((m) => [m.file, 'verified', false]),
    );
  });
});

describe('verifier/verify.py on every vector (--json, one process)', () => {
  let run: ReturnType<typeof runAll>;
  beforeAll(() => {
    run = runAll('python3', [VERIFY_PY, '--json']);
  });

  it('prints one line per file and exits with the worst status', () => {
    expect(run.lines.size).toBe(manifest.length);
    expect(run.status).toBe(Math.max(...manifest.map((m) => (m.python ?? m.expect).exit)));
  });

  for (const m of manifest)
    it(`${m.file}: ${(m.python ?? m.expect).verdict}${m.python ? ' (BLS not checked)' : ''}`, () => {
      expect(got(run.lines.get(m.file))).toEqual(expected(m, true));
    });

  const bls = manifest.filter((m) => m.python);
  it('says BLS was not checked on the vectors whose verdict depends on it', () => {
    expect(bls.length).toBeGreaterThanOrEqual(1);
    expect(bls.map((m) => run.lines.get(m.file)?.blsChecked)).toEqual(bls.map(() => false));
  });

  it('reports blsChecked false on every positive vector (it cannot check BLS), beacon or not', () => {
    expect(positive.map((m) => [m.file, run.lines.get(m.file)?.blsChecked])).toEqual(
      positive.map((m) => [m.file, false]),
    );
  });
});

describe('verifyBundleBytes (in process) on every vector', () => {
  for (const m of manifest)
    it(`${m.file}`, () => {
      const o = verifyBundleBytes(new Uint8Array(read(m)));
      expect({ verdict: o.verdict, exit: o.exit, code: o.code ?? null }).toEqual(expected(m, false));
    });

  it('reports blsChecked true on every positive vector with a beacon, false on the others', () => {
    expect(positive.map((m) => [m.file, verifyBundleBytes(new Uint8Array(read(m))).blsChecked])).toEqual(
      positive.map((m) => [m.file, withBeacon.includes(m)]),
    );
  });

  it('with skipBls: still verified, blsChecked false', () => {
    expect(
      withBeacon.map((m) => {
        const o = verifyBundleBytes(new Uint8Array(read(m)), { skipBls: true });
        return [m.file, o.verdict, o.blsChecked];
      }),
    ).toEqual(withBeacon.map((m) => [m.file, 'verified', false]));
  });
});
