/**
 * The shape of a v2 bundle (draw-protocol v2 §12 steps 2 and 3), on a value from parseStrictJson.
 * Member by member in the order of §11 and §5, depth first; in each object the missing members
 * first (in that order), then the unknown ones (in code-point order), then its members; in each
 * list its entries first, then its order and uniqueness. The first failure is returned:
 * { code, message: "<path>: <what>", details: { path, rule, actual?, expected? } }.
 *
 * Rules (ids stable: the conformance generator makes one vector per rule; SHAPE_RULES below has
 * the path and description of each):
 *
 * | code                  | rules |
 * |-----------------------|-------|
 * | BUNDLE_FORMAT_UNKNOWN | bundle.format |
 * | BUNDLE_FIELD_INVALID  | type.object type.array type.string type.integer type.boolean member.missing member.unknown string.wellFormed view.enum private.presence algorithm.value task.id.text task.name.text attempt.range predecessor.hex64 predecessor.iff audit.seq.range audit.hash.hex64 items.length items.id.text items.department.text items.field.text roster.root.hex64 roster.size.range roster.openingsRoot.hex64 strata.length strata.label.text strata.ratio.pattern strata.ratio.positive strata.min.range strata.max.range strata.population.range strata.size.range date.format date.year date.real date.order rules.teamSize.range rules.maxLoad.range rules.maxPerDraw.range pool.length pool.pseudonym.hex16 pool.department.known pool.load.range exclusions.pseudonym.hex16 exclusions.key.key matching.root.hex64 dice.digits.range drand.chainHash.hex64 drand.publicKey.hex drand.round.range seedSource.nonempty commitmentHash.hex64 stage.enum stage.seedInputs stage.seed stage.escalations stage.selection stage.teams stage.infeasible seedInputs.dice.iff seedInputs.dice.digits beacon.iff beacon.randomness.hex64 beacon.signature.hex beacon.previousSignature.hex seed.hex64 escalations.range selection.nonce.hex32 selection.ticket.hex64 selection.phase.range teams.inspector.hex16 infeasible.length supersededBy.hex64 salt.hex64 inspectors.id.text inspectors.fields.text inspectors.load.range pairs.inspectorId.text private.escalations.rounds private.escalations.label.text private.escalations.extra.range |
 * | BUNDLE_ORDER_INVALID  | items.order strata.order pool.order exclusions.order inspectors.fields.order inspectors.unavailable.order inspectors.order pairs.order selection.order private.escalations.order |
 * | BUNDLE_DUPLICATE      | items.unique strata.unique pool.unique exclusions.unique inspectors.fields.unique inspectors.unavailable.unique inspectors.unique pairs.unique selection.unique selection.key.unique private.escalations.unique |
 * | DRAND_CHAIN_UNKNOWN   | drand.chain.known |
 * | DRAND_SCHEME_UNKNOWN  | drand.scheme.chain |
 * | DRAND_KEY_MISMATCH    | drand.publicKey.chain |
 *
 * Step 3 runs after the whole of step 2: the chain, its scheme and its key, then the beacon's
 * lengths for that scheme (signature 48 bytes for bls-unchained-g1-rfc9380 and previousSignature
 * null; signature and previousSignature 96 bytes each for pedersen-bls-chained).
 *
 * Orders are code-point order (compareUtf8; hex and dates are ASCII, so `<` is that order there).
 * Lengths count code points. The roster and openings texts are only checked to be strings here
 * (their lines are checked when recomputing, §12 step 4). Speed: no regex is built per entry, no
 * JSON.stringify on the success path; a selection of 100,000 entries validates in ≈ 40 ms.
 */
import type { ErrorCode } from '../../errors.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { compareUtf8 as importedCompareUtf8 } from '../canonical-json.ts';
import { DRAND_MAINNET, DRAND_QUICKNET } from '../commitment.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { isValidKey as importedIsValidKey } from '../roster.ts';
import type { BundleV2 } from './types.ts';

export interface ShapeRule {
  id: string;
  /** Where it applies ([] for any index; a representative path for the generic rules). */
  path: string;
  code: ErrorCode;
  description: string;
}

const F = 'BUNDLE_FIELD_INVALID' as const;
const O = 'BUNDLE_ORDER_INVALID' as const;
const D = 'BUNDLE_DUPLICATE' as const;
const C = '$.commitment';
const M = '$.commitment.matching';
const PM = '$.private.matching';

export const SHAPE_RULES: readonly ShapeRule[] = [
  {
    id: 'bundle.format',
    path: '$.format',
    code: 'BUNDLE_FORMAT_UNKNOWN',
    description: 'the top level is an object whose format is choucha-draw-bundle-v2',
  },
  // generic
  { id: 'type.object', path: `${C}.task`, code: F, description: 'a value that must be an object is not one' },
  { id: 'type.array', path: `${C}.items`, code: F, description: 'a value that must be an array is not one' },
  { id: 'type.string', path: '$.roster', code: F, description: 'a value that must be a string is not one' },
  {
    id: 'type.integer',
    path: `${C}.attempt`,
    code: F,
    description:
      'a value that must be an integer is not one (not a number, not a safe integer, or a boolean)',
  },
  {
    id: 'type.boolean',
    path: `${M}.rules.avoidPrevious`,
    code: F,
    description: 'a value that must be a boolean is not one',
  },
  { id: 'member.missing', path: `${C}.task.name`, code: F, description: 'an object lacks a member' },
  {
    id: 'member.unknown',
    path: `${C}.task.extra`,
    code: F,
    description: 'an object has a member the protocol does not define',
  },
  {
    id: 'string.wellFormed',
    path: '$.roster',
    code: F,
    description: 'a string holds a lone surrogate (only in values not from parseStrictJson)',
  },
  // the bundle (§11) and the commitment (§5)
  { id: 'view.enum', path: '$.view', code: F, description: 'view is public or full' },
  { id: 'private.presence', path: '$.private', code: F, description: 'private is present iff view is full' },
  { id: 'algorithm.value', path: `${C}.algorithm`, code: F, description: 'algorithm is choucha-draw-v2' },
  {
    id: 'task.id.text',
    path: `${C}.task.id`,
    code: F,
    description: '1–64 code points, no control character',
  },
  {
    id: 'task.name.text',
    path: `${C}.task.name`,
    code: F,
    description: '1–200 code points, no control character',
  },
  { id: 'attempt.range', path: `${C}.attempt`, code: F, description: '1 … 1000' },
  {
    id: 'predecessor.hex64',
    path: `${C}.predecessor`,
    code: F,
    description: 'null or 64 lower-case hex digits',
  },
  { id: 'predecessor.iff', path: `${C}.predecessor`, code: F, description: 'null iff attempt is 1' },
  { id: 'audit.seq.range', path: `${C}.audit.seq`, code: F, description: '0 … 2^53−1' },
  { id: 'audit.hash.hex64', path: `${C}.audit.hash`, code: F, description: '64 lower-case hex digits' },
  { id: 'items.length', path: `${C}.items`, code: F, description: '1 … 1000 entries' },
  {
    id: 'items.id.text',
    path: `${C}.items[].id`,
    code: F,
    description: '1–64 code points, no control character',
  },
  {
    id: 'items.department.text',
    path: `${C}.items[].department`,
    code: F,
    description: '1–64 code points, no control character',
  },
  { id: 'items.field.text', path: `${C}.items[].field`, code: F, description: 'null or 1–64 code points' },
  { id: 'items.order', path: `${C}.items[]`, code: O, description: 'items by id (code points)' },
  { id: 'items.unique', path: `${C}.items[]`, code: D, description: 'item ids unique' },
  { id: 'roster.root.hex64', path: `${C}.roster.root`, code: F, description: '64 lower-case hex digits' },
  { id: 'roster.size.range', path: `${C}.roster.size`, code: F, description: '1 … 10^8' },
  {
    id: 'roster.openingsRoot.hex64',
    path: `${C}.roster.openingsRoot`,
    code: F,
    description: '64 lower-case hex digits',
  },
  { id: 'strata.length', path: `${C}.strata`, code: F, description: '1 … 1000 entries' },
  {
    id: 'strata.label.text',
    path: `${C}.strata[].label`,
    code: F,
    description: 'a label (§3): 1–64 code points, no control character',
  },
  {
    id: 'strata.ratio.pattern',
    path: `${C}.strata[].ratio`,
    code: F,
    description: 'a string ^(0\\.[0-9]{1,6}|1(\\.0{1,6})?)$',
  },
  { id: 'strata.ratio.positive', path: `${C}.strata[].ratio`, code: F, description: 'the ratio is > 0' },
  { id: 'strata.min.range', path: `${C}.strata[].min`, code: F, description: '0 … 10^8' },
  { id: 'strata.max.range', path: `${C}.strata[].max`, code: F, description: 'null or max(1, min) … 10^8' },
  { id: 'strata.population.range', path: `${C}.strata[].population`, code: F, description: '1 … 10^8' },
  { id: 'strata.size.range', path: `${C}.strata[].size`, code: F, description: '0 … population' },
  { id: 'strata.order', path: `${C}.strata[]`, code: O, description: 'strata by label (code points)' },
  { id: 'strata.unique', path: `${C}.strata[]`, code: D, description: 'labels unique' },
  {
    id: 'date.format',
    path: `${M}.inspection.from`,
    code: F,
    description: 'every date is a string YYYY-MM-DD',
  },
  {
    id: 'date.year',
    path: `${M}.inspection.from`,
    code: F,
    description: 'every date has a year 1900 … 9999',
  },
  {
    id: 'date.real',
    path: `${M}.inspection.from`,
    code: F,
    description: 'every date is a real Gregorian date (no 2024-02-30, no month 13)',
  },
  { id: 'date.order', path: `${M}.inspection.to`, code: F, description: 'every date range has from ≤ to' },
  { id: 'rules.teamSize.range', path: `${M}.rules.teamSize`, code: F, description: '2 … 20' },
  { id: 'rules.maxLoad.range', path: `${M}.rules.maxLoad`, code: F, description: 'null or 1 … 10^6' },
  { id: 'rules.maxPerDraw.range', path: `${M}.rules.maxPerDraw`, code: F, description: 'null or 1 … 10^6' },
  { id: 'pool.length', path: `${M}.pool`, code: F, description: '0 … 100000 entries' },
  {
    id: 'pool.pseudonym.hex16',
    path: `${M}.pool[].pseudonym`,
    code: F,
    description: '16 lower-case hex digits',
  },
  {
    id: 'pool.department.known',
    path: `${M}.pool[].department`,
    code: F,
    description: "one of the items' departments",
  },
  { id: 'pool.load.range', path: `${M}.pool[].load`, code: F, description: '0 … 10^6' },
  { id: 'pool.order', path: `${M}.pool[]`, code: O, description: 'pool by pseudonym' },
  { id: 'pool.unique', path: `${M}.pool[]`, code: D, description: 'pseudonyms unique' },
  {
    id: 'exclusions.pseudonym.hex16',
    path: `${M}.exclusions[].pseudonym`,
    code: F,
    description: '16 lower-case hex digits',
  },
  {
    id: 'exclusions.key.key',
    path: `${M}.exclusions[].key`,
    code: F,
    description: 'a key (§3): USCC or registration number',
  },
  {
    id: 'exclusions.order',
    path: `${M}.exclusions[]`,
    code: O,
    description: 'exclusions by (pseudonym, key)',
  },
  { id: 'exclusions.unique', path: `${M}.exclusions[]`, code: D, description: '(pseudonym, key) unique' },
  { id: 'matching.root.hex64', path: `${M}.root`, code: F, description: '64 lower-case hex digits' },
  { id: 'dice.digits.range', path: `${C}.seedSource.dice.digits`, code: F, description: '20 … 100' },
  {
    id: 'drand.chainHash.hex64',
    path: `${C}.seedSource.drand.chainHash`,
    code: F,
    description: '64 lower-case hex digits',
  },
  {
    id: 'drand.publicKey.hex',
    path: `${C}.seedSource.drand.publicKey`,
    code: F,
    description: 'lower-case hex of whole bytes (at least one)',
  },
  { id: 'drand.round.range', path: `${C}.seedSource.drand.round`, code: F, description: '1 … 2^53−1' },
  {
    id: 'seedSource.nonempty',
    path: `${C}.seedSource`,
    code: F,
    description: 'dice and drand not both null',
  },
  { id: 'commitmentHash.hex64', path: '$.commitmentHash', code: F, description: '64 lower-case hex digits' },
  { id: 'stage.enum', path: '$.stage', code: F, description: 'committed, drawn, infeasible or matched' },
  { id: 'stage.seedInputs', path: '$.seedInputs', code: F, description: 'null iff the stage is committed' },
  { id: 'stage.seed', path: '$.seed', code: F, description: 'null iff the stage is committed' },
  { id: 'stage.escalations', path: '$.escalations', code: F, description: '[] in stage committed' },
  { id: 'stage.selection', path: '$.selection', code: F, description: 'null iff the stage is committed' },
  { id: 'stage.teams', path: '$.teams', code: F, description: 'non-null iff the stage is matched' },
  {
    id: 'stage.infeasible',
    path: '$.infeasible',
    code: F,
    description: 'non-null iff the stage is infeasible',
  },
  {
    id: 'seedInputs.dice.iff',
    path: '$.seedInputs.dice',
    code: F,
    description: 'null iff seedSource.dice is null',
  },
  { id: 'seedInputs.dice.digits', path: '$.seedInputs.dice', code: F, description: 'a string ^[0-9]*$' },
  {
    id: 'beacon.iff',
    path: '$.seedInputs.beacon',
    code: F,
    description: 'null iff seedSource.drand is null',
  },
  {
    id: 'beacon.randomness.hex64',
    path: '$.seedInputs.beacon.randomness',
    code: F,
    description: '64 lower-case hex digits',
  },
  {
    id: 'beacon.signature.hex',
    path: '$.seedInputs.beacon.signature',
    code: F,
    description: 'lower-case hex of whole bytes (at least one)',
  },
  {
    id: 'beacon.previousSignature.hex',
    path: '$.seedInputs.beacon.previousSignature',
    code: F,
    description: 'null or lower-case hex of whole bytes',
  },
  { id: 'seed.hex64', path: '$.seed', code: F, description: 'null or 64 lower-case hex digits' },
  { id: 'escalations.range', path: '$.escalations[]', code: F, description: '0 … 10^8' },
  {
    id: 'selection.nonce.hex32',
    path: '$.selection[].nonce',
    code: F,
    description: '32 lower-case hex digits',
  },
  {
    id: 'selection.ticket.hex64',
    path: '$.selection[].ticket',
    code: F,
    description: '64 lower-case hex digits',
  },
  {
    id: 'selection.phase.range',
    path: '$.selection[].phase',
    code: F,
    description: '0 … the number of escalation rounds',
  },
  { id: 'selection.order', path: '$.selection[]', code: O, description: 'selection by (phase, ticket, key)' },
  { id: 'selection.unique', path: '$.selection[]', code: D, description: '(phase, ticket, key) unique' },
  {
    id: 'selection.key.unique',
    path: '$.selection[].key',
    code: D,
    description: 'keys unique in the selection',
  },
  {
    id: 'teams.inspector.hex16',
    path: '$.teams[].teams[].inspectors[]',
    code: F,
    description: 'a pseudonym: 16 lower-case hex digits',
  },
  { id: 'infeasible.length', path: '$.infeasible', code: F, description: 'at least one entry' },
  {
    id: 'supersededBy.hex64',
    path: '$.supersededBy',
    code: F,
    description: 'null or 64 lower-case hex digits',
  },
  // the private part (§7, §11)
  { id: 'salt.hex64', path: `${PM}.salt`, code: F, description: '64 lower-case hex digits' },
  {
    id: 'inspectors.id.text',
    path: `${PM}.inspectors[].id`,
    code: F,
    description: '1–64 code points, no U+0000',
  },
  {
    id: 'inspectors.fields.text',
    path: `${PM}.inspectors[].fields[]`,
    code: F,
    description: '1–64 code points',
  },
  {
    id: 'inspectors.fields.order',
    path: `${PM}.inspectors[].fields[]`,
    code: O,
    description: 'fields sorted (code points)',
  },
  {
    id: 'inspectors.fields.unique',
    path: `${PM}.inspectors[].fields[]`,
    code: D,
    description: 'fields unique',
  },
  {
    id: 'inspectors.unavailable.order',
    path: `${PM}.inspectors[].unavailable[]`,
    code: O,
    description: 'unavailable by (from, to)',
  },
  {
    id: 'inspectors.unavailable.unique',
    path: `${PM}.inspectors[].unavailable[]`,
    code: D,
    description: '(from, to) unique',
  },
  { id: 'inspectors.load.range', path: `${PM}.inspectors[].load`, code: F, description: '0 … 10^6' },
  { id: 'inspectors.order', path: `${PM}.inspectors[]`, code: O, description: 'inspectors by id' },
  { id: 'inspectors.unique', path: `${PM}.inspectors[]`, code: D, description: 'inspector ids unique' },
  {
    id: 'pairs.inspectorId.text',
    path: `${PM}.recusals[].inspectorId`,
    code: F,
    description: 'recusals and previous: 1–64 code points, no U+0000',
  },
  {
    id: 'pairs.order',
    path: `${PM}.recusals[]`,
    code: O,
    description: 'recusals and previous by (inspectorId, key)',
  },
  {
    id: 'pairs.unique',
    path: `${PM}.recusals[]`,
    code: D,
    description: 'recusals and previous: (inspectorId, key) unique',
  },
  {
    id: 'private.escalations.rounds',
    path: '$.private.escalations',
    code: F,
    description: 'as many rounds as $.escalations',
  },
  {
    id: 'private.escalations.label.text',
    path: '$.private.escalations[][].label',
    code: F,
    description: 'a label (§3)',
  },
  {
    id: 'private.escalations.extra.range',
    path: '$.private.escalations[][].extra',
    code: F,
    description: '1 … 10^8',
  },
  {
    id: 'private.escalations.order',
    path: '$.private.escalations[][]',
    code: O,
    description: 'a round by label',
  },
  {
    id: 'private.escalations.unique',
    path: '$.private.escalations[][]',
    code: D,
    description: 'labels unique in a round',
  },
  // step 3 (§6)
  {
    id: 'drand.chain.known',
    path: `${C}.seedSource.drand.chainHash`,
    code: 'DRAND_CHAIN_UNKNOWN',
    description: 'the chain hash is quicknet or mainnet (default)',
  },
  {
    id: 'drand.scheme.chain',
    path: `${C}.seedSource.drand.scheme`,
    code: 'DRAND_SCHEME_UNKNOWN',
    description: "the scheme is the chain's",
  },
  {
    id: 'drand.publicKey.chain',
    path: `${C}.seedSource.drand.publicKey`,
    code: 'DRAND_KEY_MISMATCH',
    description: "the public key is the chain's",
  },
];

// Local bindings: a module loader may turn every use of an imported binding into a getter call.
const compareUtf8 = importedCompareUtf8;
const isValidKey = importedIsValidKey;

const CODE_OF = new Map<string, ErrorCode>(SHAPE_RULES.map((r) => [r.id, r.code]));

const CHAINS = [
  { ...DRAND_QUICKNET, signatureHex: 96, previousHex: 0 },
  { ...DRAND_MAINNET, signatureHex: 192, previousHex: 192 },
] as const;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const E8 = 100_000_000;
const E6 = 1_000_000;
// Length first, then one character class (faster than /^[0-9a-f]{64}$/ on long lists).
const HEX_RUN = /^[0-9a-f]+$/;
const isHex = (s: string, n: number) => s.length === n && HEX_RUN.test(s);
const HEX_BYTES = /^(?:[0-9a-f]{2})+$/;
const RATIO = /^(0\.[0-9]{1,6}|1(\.0{1,6})?)$/;
const DIGITS = /^[0-9]*$/;
const ZERO_RATIO = /^0\.0+$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const STAGES = ['committed', 'drawn', 'infeasible', 'matched'] as const;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type Obj = Record<string, unknown>;

class Fail {
  constructor(
    readonly rule: string,
    readonly path: string,
    readonly what: string,
    readonly extra: { actual?: unknown; expected?: unknown },
  ) {}
}

/** Something to show of a value in details.actual (never a huge string or a whole object). */
function shown(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  if (v === null || typeof v !== 'object') return v;
  return Array.isArray(v) ? `array of ${v.length}` : 'object';
}

function fail(rule: string, path: string, what: string, actual?: unknown, expected?: unknown): never {
  const extra: { actual?: unknown; expected?: unknown } = {};
  if (actual !== undefined) extra.actual = shown(actual);
  if (expected !== undefined) extra.expected = expected;
  throw new Fail(rule, path, what, extra);
}

const at = (base: string, name: string) =>
  IDENT.test(name) ? `${base}.${name}` : `${base}[${JSON.stringify(name)}]`;

function typeName(v: unknown): string {
  return v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : `a ${typeof v}`;
}

function obj(v: unknown, path: string, members: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail('type.object', path, `not an object but ${typeName(v)}`, v);
  const o = v as Obj;
  for (const m of members) if (!Object.hasOwn(o, m)) fail('member.missing', `${path}.${m}`, 'missing');
  const keys = Object.keys(o);
  if (keys.length !== members.length) unknownMember(o, path, members);
  return o;
}

function unknownMember(o: Obj, path: string, members: readonly string[]): void {
  const extra = Object.keys(o)
    .filter((k) => !members.includes(k))
    .sort(compareUtf8);
  if (extra.length > 0) fail('member.unknown', at(path, extra[0]!), 'unknown member');
}

function arr(v: unknown, path: string, lo = 0, hi = Infinity, rule = ''): unknown[] {
  if (!Array.isArray(v)) fail('type.array', path, `not an array but ${typeName(v)}`, v);
  if (v.length < lo || v.length > hi)
    fail(rule, path, `${v.length} entries (allowed: ${lo} … ${hi === Infinity ? 'any' : hi})`, v.length);
  return v;
}

function int(v: unknown, path: string, lo: number, hi: number, rule: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    fail('type.integer', path, `not an integer but ${typeName(v)}`, v);
  if (v < lo || v > hi) fail(rule, path, `${v} is out of range (${lo} … ${hi})`, v);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail('type.boolean', path, `not a boolean but ${typeName(v)}`, v);
  return v;
}

function wellFormed(s: string): boolean {
  const f = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof f === 'function' ? f.call(s) : !LONE_SURROGATE.test(s);
}

/** Any string (well-formed). */
function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail('type.string', path, `not a string but ${typeName(v)}`, v);
  if (!wellFormed(v)) fail('string.wellFormed', path, 'contains a lone surrogate');
  return v;
}

const NO_CONTROL = 1;
const NO_NUL = 2;

/** lo … hi code points; `mode` NO_CONTROL (U+0000–U+001F, U+007F–U+009F) or NO_NUL. One pass. */
function text(v: unknown, path: string, lo: number, hi: number, mode: number, rule: string): string {
  if (typeof v !== 'string') fail('type.string', path, `not a string but ${typeName(v)}`, v);
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = v.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff))
        fail('string.wellFormed', path, 'contains a lone surrogate');
      i++;
    } else if (mode === NO_CONTROL ? c <= 0x1f || (c >= 0x7f && c <= 0x9f) : mode === NO_NUL && c === 0)
      fail(rule, path, mode === NO_CONTROL ? 'contains a control character' : 'contains U+0000', v);
    n++;
  }
  if (n < lo || n > hi) fail(rule, path, `${n} code points (allowed: ${lo} … ${hi})`, v);
  return v;
}

function hex(v: unknown, path: string, n: number, rule: string): string {
  if (typeof v !== 'string') fail('type.string', path, `not a string but ${typeName(v)}`, v);
  if (n > 0 ? !isHex(v, n) : !HEX_BYTES.test(v))
    fail(rule, path, n > 0 ? `not ${n} lower-case hex digits` : 'not lower-case hex of whole bytes', v);
  return v;
}
const hex16 = (v: unknown, path: string, rule: string) => hex(v, path, 16, rule);
const hex32 = (v: unknown, path: string, rule: string) => hex(v, path, 32, rule);
const hex64 = (v: unknown, path: string, rule: string) => hex(v, path, 64, rule);
const hexBytes = (v: unknown, path: string, rule: string) => hex(v, path, 0, rule);

function oneOf<T extends string>(v: unknown, path: string, values: readonly T[], rule: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    fail(rule, path, `not one of ${values.join(', ')}`, v);
  return v as T;
}

function date(v: unknown, path: string): string {
  if (typeof v !== 'string') fail('type.string', path, `not a string but ${typeName(v)}`, v);
  const m = DATE.exec(v);
  if (!m) fail('date.format', path, 'not a date YYYY-MM-DD', v);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900) fail('date.year', path, 'the year is out of range (1900 … 9999)', v);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS[mo - 1]!))
    fail('date.real', path, 'not a real date', v);
  return v;
}

function dateRange(v: unknown, path: string): { from: string; to: string } {
  const r = obj(v, path, ['from', 'to']);
  const from = date(r['from'], `${path}.from`);
  const to = date(r['to'], `${path}.to`);
  if (from > to) fail('date.order', `${path}.to`, `before from (${from})`, to);
  return { from, to };
}

/** Strictly increasing by cmp; equal → dupRule, decreasing → orderRule, at path[i]. */
function ordered<T>(
  xs: readonly T[],
  path: string,
  cmp: (a: T, b: T) => number,
  orderRule: string,
  dupRule: string,
) {
  for (let i = 1; i < xs.length; i++) {
    const c = cmp(xs[i - 1]!, xs[i]!);
    if (c === 0) fail(dupRule, `${path}[${i}]`, 'repeats the entry before it');
    if (c > 0) fail(orderRule, `${path}[${i}]`, 'out of order (it must come before the entry before it)');
  }
}

const byString = (a: string, b: string) => compareUtf8(a, b);
const byMember =
  (m: string) =>
  (a: unknown, b: unknown): number =>
    compareUtf8((a as Obj)[m] as string, (b as Obj)[m] as string);
const byTwo =
  (m: string, n: string) =>
  (a: unknown, b: unknown): number =>
    compareUtf8((a as Obj)[m] as string, (b as Obj)[m] as string) ||
    compareUtf8((a as Obj)[n] as string, (b as Obj)[n] as string);

// ------------------------------------------------------------------------------------------------

const BUNDLE_MEMBERS = [
  'format',
  'view',
  'commitment',
  'commitmentHash',
  'roster',
  'stage',
  'seedInputs',
  'seed',
  'escalations',
  'selection',
  'teams',
  'infeasible',
  'supersededBy',
] as const;

function bundle(v: unknown): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail('bundle.format', '$', `not an object but ${typeName(v)}`, v);
  const b = v as Obj;
  if (b['format'] !== 'choucha-draw-bundle-v2')
    fail('bundle.format', '$.format', 'not choucha-draw-bundle-v2', b['format']);
  for (const m of BUNDLE_MEMBERS) if (!Object.hasOwn(b, m)) fail('member.missing', `$.${m}`, 'missing');
  const view = oneOf(b['view'], '$.view', ['public', 'full'] as const, 'view.enum');
  const full = view === 'full';
  if (full !== Object.hasOwn(b, 'private'))
    fail('private.presence', '$.private', full ? 'missing (the view is full)' : 'present in a public view');
  if (Object.keys(b).length !== BUNDLE_MEMBERS.length + (full ? 1 : 0))
    unknownMember(b, '$', full ? [...BUNDLE_MEMBERS, 'private'] : BUNDLE_MEMBERS);

  const c = commitment(b['commitment']);
  hex64(b['commitmentHash'], '$.commitmentHash', 'commitmentHash.hex64');
  str(b['roster'], '$.roster');
  const stage = oneOf(b['stage'], '$.stage', STAGES, 'stage.enum');
  const committed = stage === 'committed';
  const pattern = (name: string, present: boolean, rule: string): unknown => {
    const x = b[name];
    if (present && x === null) fail(rule, `$.${name}`, `null in stage ${stage}`);
    if (!present && x !== null) fail(rule, `$.${name}`, `must be null in stage ${stage}`, x);
    return x;
  };
  const si = pattern('seedInputs', !committed, 'stage.seedInputs');
  if (si !== null) seedInputs(si, c.seedSource);
  const seed = pattern('seed', !committed, 'stage.seed');
  if (seed !== null) hex64(seed, '$.seed', 'seed.hex64');
  const esc = arr(b['escalations'], '$.escalations');
  for (let i = 0; i < esc.length; i++) int(esc[i], `$.escalations[${i}]`, 0, E8, 'escalations.range');
  if (committed && esc.length > 0)
    fail('stage.escalations', '$.escalations', 'must be [] in stage committed', esc);
  const sel = pattern('selection', !committed, 'stage.selection');
  if (sel !== null) selection(sel, esc.length);
  const teams = pattern('teams', stage === 'matched', 'stage.teams');
  if (teams !== null) teamList(teams);
  const inf = pattern('infeasible', stage === 'infeasible', 'stage.infeasible');
  if (inf !== null) {
    const xs = arr(inf, '$.infeasible', 1, Infinity, 'infeasible.length');
    for (let i = 0; i < xs.length; i++) {
      const p = `$.infeasible[${i}]`;
      const e = obj(xs[i], p, ['key', 'department']);
      str(e['key'], `${p}.key`);
      str(e['department'], `${p}.department`);
    }
  }
  if (b['supersededBy'] !== null) hex64(b['supersededBy'], '$.supersededBy', 'supersededBy.hex64');
  if (full) privatePart(b['private'], esc.length);

  // Step 3 (§6): the drand source (chain, scheme, key).
  const d = c.seedSource.drand;
  if (d) {
    const dp = '$.commitment.seedSource.drand';
    const chain = CHAINS.find((x) => x.chainHash === d.chainHash);
    if (!chain)
      fail(
        'drand.chain.known',
        `${dp}.chainHash`,
        'not a known drand chain (quicknet, mainnet)',
        d.chainHash,
      );
    if (d.scheme !== chain.scheme)
      fail(
        'drand.scheme.chain',
        `${dp}.scheme`,
        `not the scheme of that chain (${chain.scheme})`,
        d.scheme,
        chain.scheme,
      );
    if (d.publicKey !== chain.publicKey)
      fail(
        'drand.publicKey.chain',
        `${dp}.publicKey`,
        'not the public key of that chain',
        d.publicKey,
        chain.publicKey,
      );
    // The beacon's lengths and previousSignature per scheme are step 4.6 (DRAW_BEACON_INVALID,
    // seed.ts), spec amendment 2411ee2.
  }
}

interface SeedSourceShape {
  dice: Obj | null;
  drand: { chainHash: string; publicKey: string; scheme: string; round: number } | null;
}

function commitment(v: unknown): { seedSource: SeedSourceShape } {
  const c = obj(v, C, [
    'algorithm',
    'task',
    'attempt',
    'predecessor',
    'audit',
    'items',
    'roster',
    'strata',
    'matching',
    'seedSource',
  ]);
  oneOf(c['algorithm'], `${C}.algorithm`, ['choucha-draw-v2'] as const, 'algorithm.value');
  const t = obj(c['task'], `${C}.task`, ['id', 'name']);
  text(t['id'], `${C}.task.id`, 1, 64, NO_CONTROL, 'task.id.text');
  text(t['name'], `${C}.task.name`, 1, 200, NO_CONTROL, 'task.name.text');
  const attempt = int(c['attempt'], `${C}.attempt`, 1, 1000, 'attempt.range');
  const pred = c['predecessor'];
  if (pred !== null) hex64(pred, `${C}.predecessor`, 'predecessor.hex64');
  if ((pred === null) !== (attempt === 1))
    fail('predecessor.iff', `${C}.predecessor`, 'must be null iff attempt is 1', pred);
  const audit = obj(c['audit'], `${C}.audit`, ['seq', 'hash']);
  int(audit['seq'], `${C}.audit.seq`, 0, MAX_SAFE, 'audit.seq.range');
  hex64(audit['hash'], `${C}.audit.hash`, 'audit.hash.hex64');

  const items = arr(c['items'], `${C}.items`, 1, 1000, 'items.length');
  const departments = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const p = `${C}.items[${i}]`;
    const it = obj(items[i], p, ['id', 'department', 'field']);
    text(it['id'], `${p}.id`, 1, 64, NO_CONTROL, 'items.id.text');
    departments.add(text(it['department'], `${p}.department`, 1, 64, NO_CONTROL, 'items.department.text'));
    if (it['field'] !== null) text(it['field'], `${p}.field`, 1, 64, 0, 'items.field.text');
  }
  ordered(items, `${C}.items`, byMember('id'), 'items.order', 'items.unique');

  const r = obj(c['roster'], `${C}.roster`, ['root', 'size', 'openingsRoot']);
  hex64(r['root'], `${C}.roster.root`, 'roster.root.hex64');
  int(r['size'], `${C}.roster.size`, 1, E8, 'roster.size.range');
  hex64(r['openingsRoot'], `${C}.roster.openingsRoot`, 'roster.openingsRoot.hex64');

  const strata = arr(c['strata'], `${C}.strata`, 1, 1000, 'strata.length');
  for (let i = 0; i < strata.length; i++) {
    const p = `${C}.strata[${i}]`;
    const s = obj(strata[i], p, ['label', 'ratio', 'min', 'max', 'population', 'size']);
    text(s['label'], `${p}.label`, 1, 64, NO_CONTROL, 'strata.label.text');
    const ratio = s['ratio'];
    if (typeof ratio !== 'string')
      fail('type.string', `${p}.ratio`, `not a string but ${typeName(ratio)}`, ratio);
    if (!RATIO.test(ratio))
      fail('strata.ratio.pattern', `${p}.ratio`, 'not a decimal in [0, 1] with 1–6 decimals', ratio);
    if (ZERO_RATIO.test(ratio))
      fail('strata.ratio.positive', `${p}.ratio`, 'a ratio of 0 (must be > 0)', ratio);
    const min = int(s['min'], `${p}.min`, 0, E8, 'strata.min.range');
    if (s['max'] !== null) int(s['max'], `${p}.max`, Math.max(1, min), E8, 'strata.max.range');
    const pop = int(s['population'], `${p}.population`, 1, E8, 'strata.population.range');
    int(s['size'], `${p}.size`, 0, pop, 'strata.size.range');
  }
  ordered(strata, `${C}.strata`, byMember('label'), 'strata.order', 'strata.unique');

  const mt = obj(c['matching'], M, ['inspection', 'rules', 'pool', 'exclusions', 'root']);
  dateRange(mt['inspection'], `${M}.inspection`);
  const ru = obj(mt['rules'], `${M}.rules`, ['teamSize', 'maxLoad', 'maxPerDraw', 'avoidPrevious']);
  int(ru['teamSize'], `${M}.rules.teamSize`, 2, 20, 'rules.teamSize.range');
  if (ru['maxLoad'] !== null) int(ru['maxLoad'], `${M}.rules.maxLoad`, 1, E6, 'rules.maxLoad.range');
  if (ru['maxPerDraw'] !== null)
    int(ru['maxPerDraw'], `${M}.rules.maxPerDraw`, 1, E6, 'rules.maxPerDraw.range');
  bool(ru['avoidPrevious'], `${M}.rules.avoidPrevious`);
  const pool = arr(mt['pool'], `${M}.pool`, 0, 100_000, 'pool.length');
  for (let i = 0; i < pool.length; i++) {
    const p = `${M}.pool[${i}]`;
    const e = obj(pool[i], p, ['pseudonym', 'department', 'load']);
    hex16(e['pseudonym'], `${p}.pseudonym`, 'pool.pseudonym.hex16');
    const dep = e['department'];
    if (typeof dep !== 'string')
      fail('type.string', `${p}.department`, `not a string but ${typeName(dep)}`, dep);
    if (!departments.has(dep))
      fail('pool.department.known', `${p}.department`, "not one of the items' departments", dep);
    int(e['load'], `${p}.load`, 0, E6, 'pool.load.range');
  }
  ordered(pool, `${M}.pool`, byMember('pseudonym'), 'pool.order', 'pool.unique');
  const exclusions = arr(mt['exclusions'], `${M}.exclusions`);
  for (let i = 0; i < exclusions.length; i++) {
    const p = `${M}.exclusions[${i}]`;
    const e = obj(exclusions[i], p, ['pseudonym', 'key']);
    hex16(e['pseudonym'], `${p}.pseudonym`, 'exclusions.pseudonym.hex16');
    const key = str(e['key'], `${p}.key`);
    if (!isValidKey(key))
      fail('exclusions.key.key', `${p}.key`, 'not a key (§3: a USCC or a registration number)', key);
  }
  ordered(exclusions, `${M}.exclusions`, byTwo('pseudonym', 'key'), 'exclusions.order', 'exclusions.unique');
  hex64(mt['root'], `${M}.root`, 'matching.root.hex64');

  const sp = `${C}.seedSource`;
  const ss = obj(c['seedSource'], sp, ['dice', 'drand']);
  if (ss['dice'] !== null) {
    const dice = obj(ss['dice'], `${sp}.dice`, ['digits']);
    int(dice['digits'], `${sp}.dice.digits`, 20, 100, 'dice.digits.range');
  }
  if (ss['drand'] !== null) {
    const p = `${sp}.drand`;
    const d = obj(ss['drand'], p, ['chainHash', 'publicKey', 'scheme', 'round']);
    hex64(d['chainHash'], `${p}.chainHash`, 'drand.chainHash.hex64');
    hexBytes(d['publicKey'], `${p}.publicKey`, 'drand.publicKey.hex');
    str(d['scheme'], `${p}.scheme`);
    int(d['round'], `${p}.round`, 1, MAX_SAFE, 'drand.round.range');
  }
  if (ss['dice'] === null && ss['drand'] === null) fail('seedSource.nonempty', sp, 'neither dice nor drand');
  return { seedSource: ss as unknown as SeedSourceShape };
}

function seedInputs(v: unknown, source: SeedSourceShape): void {
  const p = '$.seedInputs';
  const si = obj(v, p, ['dice', 'beacon']);
  const dice = si['dice'];
  if ((dice === null) !== (source.dice === null))
    fail('seedInputs.dice.iff', `${p}.dice`, 'null iff the commitment names no dice', dice);
  if (dice !== null) {
    if (typeof dice !== 'string')
      fail('type.string', `${p}.dice`, `not a string but ${typeName(dice)}`, dice);
    if (!DIGITS.test(dice)) fail('seedInputs.dice.digits', `${p}.dice`, 'not a string of digits 0–9', dice);
  }
  const beacon = si['beacon'];
  if ((beacon === null) !== (source.drand === null))
    fail('beacon.iff', `${p}.beacon`, 'null iff the commitment names no drand round', beacon);
  if (beacon !== null) {
    const bp = `${p}.beacon`;
    const bc = obj(beacon, bp, ['round', 'randomness', 'signature', 'previousSignature']);
    int(bc['round'], `${bp}.round`, -MAX_SAFE, MAX_SAFE, 'type.integer');
    hex64(bc['randomness'], `${bp}.randomness`, 'beacon.randomness.hex64');
    hexBytes(bc['signature'], `${bp}.signature`, 'beacon.signature.hex');
    if (bc['previousSignature'] !== null)
      hexBytes(bc['previousSignature'], `${bp}.previousSignature`, 'beacon.previousSignature.hex');
  }
}

const SELECTED = ['key', 'nonce', 'ticket', 'phase'] as const;

function selection(v: unknown, rounds: number): void {
  const sel = arr(v, '$.selection');
  for (let i = 0; i < sel.length; i++) {
    const e = sel[i];
    // The common case without building the path; any doubt goes the long way (same checks).
    if (
      exactly(e, 'key', 'nonce', 'ticket', 'phase') &&
      typeof e['key'] === 'string' &&
      typeof e['nonce'] === 'string' &&
      isHex(e['nonce'], 32) &&
      typeof e['ticket'] === 'string' &&
      isHex(e['ticket'], 64) &&
      Number.isSafeInteger(e['phase']) &&
      (e['phase'] as number) >= 0 &&
      (e['phase'] as number) <= rounds &&
      wellFormed(e['key'])
    )
      continue;
    const p = `$.selection[${i}]`;
    const x = obj(e, p, SELECTED);
    str(x['key'], `${p}.key`);
    hex32(x['nonce'], `${p}.nonce`, 'selection.nonce.hex32');
    hex64(x['ticket'], `${p}.ticket`, 'selection.ticket.hex64');
    int(x['phase'], `${p}.phase`, 0, rounds, 'selection.phase.range');
  }
  const entries = sel as { key: string; ticket: string; phase: number }[];
  ordered(
    entries,
    '$.selection',
    (a, b) =>
      a.phase - b.phase || (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : compareUtf8(a.key, b.key)),
    'selection.order',
    'selection.unique',
  );
  const i = firstRepeat(entries);
  if (i >= 0) {
    const k = entries[i]!.key;
    fail('selection.key.unique', `$.selection[${i}].key`, `the key ${k} twice`, k);
  }
}

/**
 * The index of the first entry whose key appeared before, or -1. An open-addressing table of
 * indices with FNV-1a over the UTF-16 units (a Set of 100,000 strings costs 5× more).
 */
function firstRepeat(entries: readonly { key: string }[]): number {
  let size = 16;
  while (size < entries.length * 2) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  for (let i = 0; i < entries.length; i++) {
    const k = entries[i]!.key;
    let x = 0x811c9dc5;
    for (let j = 0; j < k.length; j++) x = Math.imul(x ^ k.charCodeAt(j), 0x01000193);
    let slot = x & mask;
    for (;;) {
      const at = table[slot]!;
      if (at < 0) {
        table[slot] = i;
        break;
      }
      if (entries[at]!.key === k) return i;
      slot = (slot + 1) & mask;
    }
  }
  return -1;
}

/** An own-members-exactly object (the fast path of the long lists; the slow path says what is wrong). */
function exactly(e: unknown, a: string, b: string, c?: string, d?: string): e is Obj {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const n = d !== undefined ? 4 : c !== undefined ? 3 : 2;
  return (
    Object.hasOwn(e, a) &&
    Object.hasOwn(e, b) &&
    (c === undefined || Object.hasOwn(e, c)) &&
    (d === undefined || Object.hasOwn(e, d)) &&
    Object.keys(e).length === n
  );
}

function teamList(v: unknown): void {
  const teams = arr(v, '$.teams');
  for (let i = 0; i < teams.length; i++) {
    const ti = teams[i];
    if (exactly(ti, 'key', 'teams') && typeof ti['key'] === 'string' && wellFormed(ti['key'])) {
      const ds = ti['teams'];
      let good = Array.isArray(ds);
      for (let j = 0; good && j < (ds as unknown[]).length; j++) {
        const d = (ds as unknown[])[j];
        good =
          exactly(d, 'department', 'inspectors') &&
          typeof d['department'] === 'string' &&
          wellFormed(d['department']) &&
          Array.isArray(d['inspectors']);
        const xs = good ? ((d as Obj)['inspectors'] as unknown[]) : [];
        for (let k = 0; good && k < xs.length; k++)
          good = typeof xs[k] === 'string' && isHex(xs[k] as string, 16);
      }
      if (good) continue;
    }
    const p = `$.teams[${i}]`;
    const t = obj(teams[i], p, ['key', 'teams']);
    str(t['key'], `${p}.key`);
    const ds = arr(t['teams'], `${p}.teams`);
    for (let j = 0; j < ds.length; j++) {
      const q = `${p}.teams[${j}]`;
      const d = obj(ds[j], q, ['department', 'inspectors']);
      str(d['department'], `${q}.department`);
      const xs = arr(d['inspectors'], `${q}.inspectors`);
      for (let k = 0; k < xs.length; k++) hex16(xs[k], `${q}.inspectors[${k}]`, 'teams.inspector.hex16');
    }
  }
}

function privatePart(v: unknown, rounds: number): void {
  const p = '$.private';
  const pv = obj(v, p, ['openings', 'matching', 'escalations']);
  str(pv['openings'], `${p}.openings`);
  const pm = obj(pv['matching'], PM, ['salt', 'inspectors', 'recusals', 'previous']);
  hex64(pm['salt'], `${PM}.salt`, 'salt.hex64');
  const inspectors = arr(pm['inspectors'], `${PM}.inspectors`);
  for (let i = 0; i < inspectors.length; i++) {
    const q = `${PM}.inspectors[${i}]`;
    const ins = obj(inspectors[i], q, ['id', 'department', 'fields', 'certificate', 'unavailable', 'load']);
    text(ins['id'], `${q}.id`, 1, 64, NO_NUL, 'inspectors.id.text');
    str(ins['department'], `${q}.department`);
    const fields = arr(ins['fields'], `${q}.fields`);
    for (let j = 0; j < fields.length; j++)
      text(fields[j], `${q}.fields[${j}]`, 1, 64, 0, 'inspectors.fields.text');
    ordered(
      fields as string[],
      `${q}.fields`,
      byString,
      'inspectors.fields.order',
      'inspectors.fields.unique',
    );
    dateRange(ins['certificate'], `${q}.certificate`);
    const un = arr(ins['unavailable'], `${q}.unavailable`);
    for (let j = 0; j < un.length; j++) dateRange(un[j], `${q}.unavailable[${j}]`);
    ordered(
      un,
      `${q}.unavailable`,
      byTwo('from', 'to'),
      'inspectors.unavailable.order',
      'inspectors.unavailable.unique',
    );
    int(ins['load'], `${q}.load`, 0, E6, 'inspectors.load.range');
  }
  ordered(inspectors, `${PM}.inspectors`, byMember('id'), 'inspectors.order', 'inspectors.unique');
  for (const name of ['recusals', 'previous'] as const) {
    const q = `${PM}.${name}`;
    const pairs = arr(pm[name], q);
    for (let i = 0; i < pairs.length; i++) {
      const e = obj(pairs[i], `${q}[${i}]`, ['inspectorId', 'key']);
      text(e['inspectorId'], `${q}[${i}].inspectorId`, 1, 64, NO_NUL, 'pairs.inspectorId.text');
      str(e['key'], `${q}[${i}].key`);
    }
    ordered(pairs, q, byTwo('inspectorId', 'key'), 'pairs.order', 'pairs.unique');
  }
  const esc = arr(pv['escalations'], `${p}.escalations`);
  if (esc.length !== rounds)
    fail(
      'private.escalations.rounds',
      `${p}.escalations`,
      `${esc.length} rounds, $.escalations has ${rounds}`,
      esc.length,
      rounds,
    );
  for (let i = 0; i < esc.length; i++) {
    const q = `${p}.escalations[${i}]`;
    const round = arr(esc[i], q);
    for (let j = 0; j < round.length; j++) {
      const e = obj(round[j], `${q}[${j}]`, ['label', 'extra']);
      text(e['label'], `${q}[${j}].label`, 1, 64, NO_CONTROL, 'private.escalations.label.text');
      int(e['extra'], `${q}[${j}].extra`, 1, E8, 'private.escalations.extra.range');
    }
    ordered(round, q, byMember('label'), 'private.escalations.order', 'private.escalations.unique');
  }
}

/** §12 steps 2 and 3 on a parsed bundle: the value, typed, or the first failure. */
export function validateBundleV2(value: unknown): Result<BundleV2, DrawError> {
  try {
    bundle(value);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const code = CODE_OF.get(e.rule);
    if (!code) throw new Error(`Invariant: shape rule ${e.rule} is not in SHAPE_RULES`);
    return drawErr(code, `${e.path}: ${e.what}`, { path: e.path, rule: e.rule, ...e.extra });
  }
  return ok(value as BundleV2);
}
