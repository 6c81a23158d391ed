/**
 * Child of draw.bench.ts (verify-1m, verify-file-1m, verify-full-1m, verify-full-file-1m): verifies
 * one bundle in a process that holds nothing but that bundle and the floor's keys, so that the
 * garbage collector does not also walk the bench's own million-entry structures. MODE `object`
 * (as v1's verify-1m): the file is read and strictly parsed once, its bytes dropped, and
 * verifyBundleV2 is timed on the parsed object; MODE `bytes`: verifyBundleBytes on the file's
 * bytes (UTF-8, strict parse, shape, verification), as a verifier process does. Interleaved with
 * the SHA-256 floor (the same as sha256-1m: the fastest of crypto.hash(key) and createHash per
 * key), best of REPEAT each. Prints one JSON line: { ms, floorMs, targets, view, mode }.
 * Usage: node --import tsx --expose-gc bench/verify-v2-child.ts FILE N REPEAT MODE
 */
import fs from 'node:fs';
import { parseStrictJson, verifyBundleBytes, verifyBundleV2, type BundleV2 } from '@choucha/core';
import { benchKey } from './v2-bundle.ts';
import {
  floorCreateHash as shaFloorCreateHash,
  floorOneShot as shaFloorOneShot,
  oneShot,
} from './sha-floor.ts';

const [file, nArg, repeatArg, modeArg] = process.argv.slice(2);
if (!file || (modeArg !== 'object' && modeArg !== 'bytes'))
  throw new Error('usage: verify-v2-child.ts FILE N REPEAT object|bytes');
const mode: 'object' | 'bytes' = modeArg;
const N = Number(nArg ?? 1_000_000);
const REPEAT = Math.max(1, Number(repeatArg ?? 3));
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const time = (f: () => unknown) => {
  gc();
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};

const keys = Array.from({ length: N }, (_, i) => benchKey(i));
const floorCreateHash = () => shaFloorCreateHash(keys);
const floorOneShot = () => shaFloorOneShot(keys);

let bytes: Buffer | null = fs.readFileSync(file);
let parsed: BundleV2 | null = null;
if (mode === 'object') {
  const p = parseStrictJson(bytes.toString('utf8'));
  if (!p.ok) throw new Error(p.error.message);
  parsed = p.value as BundleV2;
  bytes = null;
}
let ms = Infinity;
let floorMs = Infinity;
let targets = 0;
let view: string | undefined;
const verify =
  mode === 'object'
    ? () => {
        const v = verifyBundleV2(parsed!);
        if (!v.ok) throw new Error(v.error.message);
        targets = v.value.targets;
        view = v.value.view;
      }
    : () => {
        const v = verifyBundleBytes(bytes!);
        if (v.verdict !== 'verified') throw new Error(`${v.verdict} ${v.code ?? ''} ${v.message ?? ''}`);
        targets = v.targets ?? 0;
        view = v.view;
      };
// warm-up
floorCreateHash();
if (oneShot) floorOneShot();
for (let rep = 0; rep < REPEAT; rep++) {
  if (oneShot) floorMs = Math.min(floorMs, time(floorOneShot));
  floorMs = Math.min(floorMs, time(floorCreateHash));
  ms = Math.min(ms, time(verify));
  process.stderr.write(
    `  ${view} ${mode} rep ${rep}: verify ${ms.toFixed(0)} ms, floor ${floorMs.toFixed(0)} ms\n`,
  );
}
process.stdout.write(`${JSON.stringify({ ms, floorMs, targets, view, mode })}\n`);
