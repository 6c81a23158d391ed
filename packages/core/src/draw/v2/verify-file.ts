/**
 * Verifying a bundle FILE (docs/specs/draw-protocol-v2.md §12): bytes (UTF-8, decoded fatally, no
 * byte order mark) → strict JSON → dispatch on `format`: v1 goes to the v1 verifier unchanged
 * (after a light shape check), v2 to validateBundleV2 and verifyBundleV2. The outcome carries the
 * exit status of the command-line verifiers: 0 verified, 1 not verified, 2 unreadable.
 * Used by the CLI, the browser verifier and the services alike.
 */
import type { ErrorCode } from '../../errors.ts';
import { BUNDLE_FORMAT, type DrawBundle } from '../bundle.ts';
import type { DrawError } from '../errors.ts';
import type { SeedOptions } from '../seed.ts';
import { verifyBundle } from '../verify.ts';
import { validateBundleV2 } from './shape.ts';
import { parseStrictJson } from './strict-json.ts';
import { BUNDLE_FORMAT_V2, type BundleV2, type VerifyOutcome } from './types.ts';
import { verifyBundleV2 } from './verify.ts';

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The first structural problem of something that should be a v1 bundle, or undefined (the check
 * the CLI made before v2: verifyBundle trusts the shape beyond it).
 */
export function v1ShapeProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'the file is not a JSON object';
  if (x['format'] !== BUNDLE_FORMAT)
    return `it is not a ${BUNDLE_FORMAT} file (format: ${JSON.stringify(x['format'] ?? null)})`;
  const c = x['commitment'];
  if (!isObject(c)) return '"commitment" is missing or not an object';
  for (const k of ['roster', 'matching', 'seedSource', 'task'])
    if (!isObject(c[k])) return `"commitment.${k}" is missing or not an object`;
  for (const k of ['strata', 'items'])
    if (!Array.isArray(c[k])) return `"commitment.${k}" is missing or not an array`;
  const m = c['matching'] as Record<string, unknown>;
  for (const k of ['inspectors', 'recusals', 'previous'])
    if (!Array.isArray(m[k])) return `"commitment.matching.${k}" is missing or not an array`;
  if (!isObject(m['rules']) || !isObject(m['inspection']))
    return '"commitment.matching.rules" or ".inspection" is missing';
  for (const k of ['commitmentHash', 'roster', 'seed'])
    if (typeof x[k] !== 'string') return `"${k}" is missing or not a string`;
  if (!isObject(x['seedInputs'])) return '"seedInputs" is missing or not an object';
  if (!isObject(x['escalation'])) return '"escalation" is missing or not an object';
  for (const k of ['selection', 'teams'])
    if (!Array.isArray(x[k])) return `"${k}" is missing or not an array`;
  return undefined;
}

function unreadable(code: ErrorCode, message: string, extra: Partial<VerifyOutcome> = {}): VerifyOutcome {
  return { verdict: 'unreadable', exit: 2, code, message, ...extra };
}

function rejected(e: DrawError, extra: Partial<VerifyOutcome>): VerifyOutcome {
  const d = (e.details ?? {}) as { path?: unknown; expected?: unknown; actual?: unknown };
  const out: VerifyOutcome = { verdict: 'rejected', exit: 1, code: e.code, message: e.message, ...extra };
  if (typeof d.path === 'string') out.path = d.path;
  if ('expected' in d) out.expected = d.expected;
  if ('actual' in d) out.actual = d.actual;
  return out;
}

function verifyV1(x: unknown, opts: SeedOptions): VerifyOutcome {
  const problem = v1ShapeProblem(x);
  if (problem)
    return unreadable('BUNDLE_FIELD_INVALID', `Not a draw bundle: ${problem}`, { format: BUNDLE_FORMAT });
  const b = x as DrawBundle;
  let r: ReturnType<typeof verifyBundle>;
  try {
    r = verifyBundle(b, opts);
  } catch (e) {
    // A field of the wrong type deep inside (verifyBundle trusts the bundle's shape).
    return unreadable('BUNDLE_FIELD_INVALID', `Malformed draw bundle (${(e as Error).message})`, {
      format: BUNDLE_FORMAT,
    });
  }
  if (!r.ok) return rejected(r.error, { format: BUNDLE_FORMAT });
  return {
    verdict: 'verified',
    exit: 0,
    format: BUNDLE_FORMAT,
    stage: 'matched-v1',
    commitmentHash: r.value.commitmentHash,
    seed: r.value.seed,
    blsChecked: !opts.skipBls && b.commitment.seedSource.drand !== null,
    targets: r.value.selected,
    teams: b.teams.length,
    strata: b.selection.map((s) => ({ label: s.label, population: s.population, size: s.size })),
  };
}

function verifyV2(x: unknown, opts: SeedOptions): VerifyOutcome {
  const view = isObject(x) && (x['view'] === 'public' || x['view'] === 'full') ? x['view'] : undefined;
  const head: Partial<VerifyOutcome> = { format: BUNDLE_FORMAT_V2, ...(view ? { view } : {}) };
  const v = validateBundleV2(x);
  if (!v.ok) return rejected(v.error, head);
  const b: BundleV2 = v.value;
  let r: ReturnType<typeof verifyBundleV2>;
  try {
    r = verifyBundleV2(b, opts);
  } catch (e) {
    return unreadable('BUNDLE_FIELD_INVALID', `Malformed draw bundle (${(e as Error).message})`, head);
  }
  const c = b.commitment;
  const about: Partial<VerifyOutcome> = {
    ...head,
    view: b.view,
    stage: b.stage,
    commitmentHash: b.commitmentHash,
    attempt: c.attempt,
    predecessor: c.predecessor,
    supersededBy: b.supersededBy,
  };
  if (!r.ok) return rejected(r.error, about);
  return {
    verdict: 'verified',
    exit: 0,
    ...about,
    seed: b.seed,
    blsChecked: r.value.blsChecked,
    targets: r.value.targets,
    teams: b.teams ? b.teams.length : 0,
    strata: c.strata.map((s) => ({ label: s.label, population: s.population, size: s.size })),
  };
}

/** A bundle's text → strict parse → v1 or v2 verification. */
export function verifyBundleText(text: string, opts: SeedOptions = {}): VerifyOutcome {
  const p = parseStrictJson(text);
  if (!p.ok) return unreadable(p.error.code, p.error.message);
  const x = p.value;
  if (!isObject(x) || typeof x['format'] !== 'string')
    return unreadable('BUNDLE_FORMAT_UNKNOWN', 'The file is not a JSON object with a string "format"');
  if (x['format'] === BUNDLE_FORMAT) return verifyV1(x, opts);
  if (x['format'] === BUNDLE_FORMAT_V2) return verifyV2(x, opts);
  return unreadable('BUNDLE_FORMAT_UNKNOWN', `Unknown bundle format ${JSON.stringify(x['format'])}`, {
    format: x['format'],
  });
}

/** A bundle file's bytes: UTF-8 decoded fatally (a byte order mark is refused), then verifyBundleText. */
export function verifyBundleBytes(bytes: Uint8Array, opts: SeedOptions = {}): VerifyOutcome {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return unreadable('BUNDLE_JSON_INVALID', 'The file starts with a byte order mark');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return unreadable('BUNDLE_JSON_INVALID', 'The file is not UTF-8');
  }
  return verifyBundleText(text, opts);
}
