/**
 * match-20k: 20,000 targets × 1,000 inspectors (10 departments; joint task of 2 departments).
 * Best of BENCH_REPEAT runs (default 5), with the load average at the start and end.
 */
import os from 'node:os';
import { matchInspectors, ticketOf, type Inspector, type Target } from '@choucha/core';

const seed = 'cd'.repeat(32);
const inspectors: Inspector[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `I${String(i).padStart(4, '0')}`,
  department: `D${i % 10}`,
  fields: i % 7 === 0 ? [] : ['食品安全'],
  certificate: { from: '2020-01-01', to: i % 50 === 0 ? '2024-01-01' : '2030-12-31' },
  unavailable: i % 23 === 0 ? [{ from: '2024-05-01', to: '2024-05-08' }] : [],
  load: i % 3,
}));
const targets: Target[] = Array.from({ length: 20_000 }, (_, i) => {
  const key = `91610103MA${String(i).padStart(8, '0')}`;
  return { key, ticket: ticketOf(seed, key) };
});
const recusals = targets
  .filter((_, i) => i % 10 === 0)
  .map((t, i) => ({ inspectorId: `I${String((i * 37) % 1000).padStart(4, '0')}`, key: t.key }));
const items = [
  { id: 'food', department: 'D0', field: '食品安全' },
  { id: 'other', department: 'D1', field: null },
];
const input = {
  inspection: { from: '2024-05-06', to: '2024-05-17' },
  rules: { teamSize: 2, maxLoad: null, avoidPrevious: true },
  inspectors,
  recusals,
  previous: [],
};
matchInspectors(items, input, targets.slice(0, 1000), seed);
const REPEAT = Math.max(1, Number(process.env['BENCH_REPEAT'] ?? 5));
const load = () => os.loadavg().map((x) => +x.toFixed(2));
const load0 = load();
let ms = Infinity;
for (let rep = 0; rep < REPEAT; rep++) {
  const t = performance.now();
  const r = matchInspectors(items, input, targets, seed);
  ms = Math.min(ms, performance.now() - t);
  if (!r.ok) throw new Error(r.error.message);
}
process.stdout.write(
  `${JSON.stringify({ bench: 'match-20k', ms: Math.round(ms), targets: 20_000, inspectors: 1000, departmentsPerTarget: 2, teamSize: 2, target: 1000, pass: ms <= 1000, repeat: REPEAT, loadavg: [load0, load()] })}\n`,
);
