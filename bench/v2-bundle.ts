/**
 * A v2 bundle of n entities for the benches (draw.bench.ts verify-1m / verify-full-1m,
 * verify-browser.bench.ts): keys as draw.bench.ts's roster, 4 strata of ratio 0.1 (the entity i is
 * in stratum i mod 4), 800 inspectors of one department, teams of 2, dice seed; the nonces and
 * the salt from a deterministic stand-in for crypto.randomBytes (SHA-256 of a counter), so that
 * every run builds the same bundle.
 */
import crypto from 'node:crypto';
import {
  buildCommitmentV2,
  publicViewV2,
  runDrawV2,
  type FullBundleV2,
  type PublicBundleV2,
  type RosterEntry,
} from '@choucha/core';

export function countingBytes(label: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = Buffer.alloc(0);
  let at = 0;
  return (n: number) => {
    if (at + n > pool.length) {
      // 64 KiB of SHA-256 output at a time
      const parts: Buffer[] = [pool.subarray(at)];
      for (let i = 0; i < 2048; i++)
        parts.push(crypto.createHash('sha256').update(`${label}-${counter++}`).digest());
      pool = Buffer.concat(parts);
      at = 0;
    }
    const out = Uint8Array.from(pool.subarray(at, at + n));
    at += n;
    return out;
  };
}

export function benchKey(i: number): string {
  return `91610103MA${String(i).padStart(8, '0')}`;
}

export interface BenchBundleV2 {
  full: FullBundleV2;
  public: PublicBundleV2;
  /** entities selected (all phases) */
  selected: number;
  buildMs: number;
  drawMs: number;
}

export function buildBenchBundleV2(n: number): BenchBundleV2 {
  const roster: RosterEntry[] = [];
  for (let i = 0; i < n; i++) roster.push({ key: benchKey(i), stratum: ['A', 'B', 'C', 'D'][i % 4]! });
  const inspectors = Array.from({ length: 800 }, (_, i) => ({
    id: `I${String(i).padStart(4, '0')}`,
    department: 'SAMR',
    fields: [],
    certificate: { from: '2020-01-01', to: '2030-12-31' },
    unavailable: [],
    load: 0,
  }));
  let t = process.hrtime.bigint();
  const c = buildCommitmentV2(
    {
      task: { id: 'bench', name: 'bench' },
      attempt: 1,
      predecessor: null,
      audit: { seq: 1, hash: 'cd'.repeat(32) },
      items: [{ id: 'item', department: 'SAMR', field: null }],
      roster,
      strata: ['A', 'B', 'C', 'D'].map((label) => ({ label, ratio: '0.1' })),
      matching: {
        inspection: { from: '2024-05-06', to: '2024-05-17' },
        rules: { teamSize: 2, maxLoad: null, avoidPrevious: false },
        inspectors,
        recusals: [],
        previous: [],
      },
      seedSource: { dice: { digits: 20 }, drand: null },
    },
    countingBytes(`bench-v2-${n}`),
  );
  if (!c.ok) throw new Error(c.error.message);
  const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const d = runDrawV2(c.value, { dice: '12345678901234567890', beacon: null }, []);
  if (!d.ok) throw new Error(d.error.message);
  const drawMs = Number(process.hrtime.bigint() - t) / 1e6;
  const full = d.value.bundle;
  return {
    full,
    public: publicViewV2(full),
    selected: full.selection?.length ?? 0,
    buildMs,
    drawMs,
  };
}
