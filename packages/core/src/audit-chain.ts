import { canonicalJson } from './canonical.ts';

/** The fields of an audit event that its hash covers. */
export interface AuditEventBody {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  departmentId: number | null;
  before: unknown;
  after: unknown;
}

export const AUDIT_GENESIS = '0'.repeat(64);

/** The string hashed for one event: the previous hash, then the canonical JSON of the body. */
export function auditHashInput(prevHash: string, body: AuditEventBody): string {
  return `choucha-audit-v1\n${prevHash}\n${canonicalJson(body)}`;
}

// ---- what the database can store --------------------------------------------------------------

// eslint-disable-next-line no-control-regex -- NUL is what we are looking for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A string as PostgreSQL text and jsonb hold it, the same for every input: lone surrogates become
 * U+FFFD (what the UTF-8 encoder of both drivers does with them anyway) and so does NUL (which
 * neither text nor jsonb can hold at all). Well-formed strings without NUL are returned unchanged.
 */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, '\ufffd');
}

function storableTree(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(storableTree);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // defineProperty: a key "__proto__" stays an own member, as JSON.parse makes it.
    Object.defineProperty(out, storableText(k), {
      value: storableTree(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A value as a jsonb column gives it back: only JSON (a JSON round trip: `undefined` → null,
 * dates → ISO strings, non-finite numbers → null, -0 → 0), with every string and key made
 * storable. Hashing this and storing this makes the hash cover exactly what is stored.
 */
export function storableJson(v: unknown): unknown {
  if (v === undefined) return null;
  const json = JSON.stringify(v) as string | undefined;
  return json === undefined ? null : storableTree(JSON.parse(json));
}

// ---- problems: a code, and the text in both languages ----------------------------------------

export const AUDIT_PROBLEMS = {
  AUDIT_EVENT_MISSING: {
    zh: '第 {seq}–{last} 条记录缺失（已被删除）',
    en: 'Events {seq}–{last} are missing (deleted from the log)',
  },
  AUDIT_EVENT_OUT_OF_ORDER: {
    zh: '第 {seq} 条记录出现在第 {prev} 条之后：顺序错乱或重复',
    en: 'Event {seq} comes after event {prev}: out of order or duplicated',
  },
  AUDIT_EVENT_UNLINKED: {
    zh: '第 {seq} 条记录没有与第 {prev} 条相连：有记录被替换、插入或调换了顺序',
    en: 'Event {seq} does not link to event {prev}: an event was replaced, inserted or reordered',
  },
  AUDIT_EVENT_EDITED: {
    zh: '第 {seq} 条记录被修改：其哈希与内容不符',
    en: 'Event {seq} was edited: its hash does not match its content',
  },
  AUDIT_ANCHOR_TRUNCATED: {
    zh: '锚点 {seq}:{hash} 超出了日志的最后一条记录（第 {last} 条）：日志尾部已被删除',
    en: 'Anchor {seq}:{hash} lies beyond the last event of the log ({last}): the tail of the log was deleted',
  },
  AUDIT_ANCHOR_MISSING: {
    zh: '锚点 {seq}:{hash} 对应的第 {seq} 条记录已不在日志中',
    en: 'Event {seq} of anchor {seq}:{hash} is no longer in the log',
  },
  AUDIT_ANCHOR_MISMATCH: {
    zh: '第 {seq} 条记录的哈希为 {actual}，与锚点 {seq}:{hash} 不符：日志在该条或之前被改写',
    en: 'Event {seq} has the hash {actual}, not that of anchor {seq}:{hash}: the log was rewritten at or before it',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AuditProblemCode = keyof typeof AUDIT_PROBLEMS;

export interface ChainProblem {
  code: AuditProblemCode;
  /** The event concerned (the first of a missing range; an anchor's seq). */
  seq: number;
  /** The last event of a missing range, else null. */
  lastSeq: number | null;
  zh: string;
  en: string;
}

const short = (h: string) => (h.length > 16 ? `${h.slice(0, 16)}…` : h);

function problem(
  code: AuditProblemCode,
  seq: number,
  params: Record<string, string | number> = {},
  lastSeq: number | null = null,
): ChainProblem {
  const all: Record<string, string | number> = {
    seq,
    ...(lastSeq === null ? {} : { last: lastSeq }),
    ...params,
  };
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_m, k: string) => String(all[k] ?? ''));
  const texts = AUDIT_PROBLEMS[code];
  // a range of one event reads as one event
  const one = code === 'AUDIT_EVENT_MISSING' && lastSeq === seq;
  return {
    code,
    seq,
    lastSeq,
    zh: one ? fill('第 {seq} 条记录缺失（已被删除）') : fill(texts.zh),
    en: one ? fill('Event {seq} is missing (deleted from the log)') : fill(texts.en),
  };
}

// ---- verification ---------------------------------------------------------------------------

/** A published head of the chain: the log must still hold event `seq` with exactly this hash. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export type AnchorStatus = 'ok' | 'truncated' | 'missing' | 'mismatch' | 'unproven';

export interface AnchorCheck<A extends AuditAnchor = AuditAnchor> {
  anchor: A;
  /** ok: the event is there with that hash and the chain from genesis to it verifies; unproven:
   * the event matches but an earlier problem breaks the chain before it. */
  status: AnchorStatus;
}

/** Parse `SEQ:HASH` (as published on the public portal). */
export function parseAnchor(s: string): AuditAnchor | undefined {
  const m = /^\s*(\d{1,15}):([0-9a-fA-F]{64})\s*$/.exec(s);
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { seq, hash: (m[2] as string).toLowerCase() };
}

export interface ChainVerification<A extends AuditAnchor = AuditAnchor> {
  ok: boolean;
  /** Events read. */
  checked: number;
  /** The last event read (seq and stored hash), or null for an empty log. */
  head: { seq: number; hash: string } | null;
  /** The problems, in order, up to `maxProblems`. */
  problems: ChainProblem[];
  /** All problems found, also those beyond `maxProblems`. */
  problemCount: number;
  anchors: AnchorCheck<A>[];
}

type StoredEvent = AuditEventBody & { prevHash: string; hash: string };

/**
 * Walks a chain in seq order and reports EVERY problem: each missing range, each event out of
 * order, each event that does not link to the one before it, each event whose hash does not cover
 * its content, and each anchor the log no longer holds unchanged. `hash` is injected (the core
 * does no I/O and picks no library). Feed events with `push` (in pages if the log is long).
 */
export class AuditChainVerifier<A extends AuditAnchor = AuditAnchor> {
  private prev: { seq: number; hash: string };
  private readonly startSeq: number;
  private checked = 0;
  private readonly problems: ChainProblem[] = [];
  private problemCount = 0;
  /** The first seq at which the chain is broken (a problem at or before an anchor leaves it unproven). */
  private firstBrokenSeq = Number.POSITIVE_INFINITY;
  private readonly pending = new Map<number, A[]>();
  private readonly anchorStatus = new Map<A, AnchorStatus>();

  constructor(
    private readonly hash: (input: string) => string,
    private readonly opts: {
      start?: { seq: number; hash: string };
      anchors?: readonly A[];
      maxProblems?: number;
      onProblem?: (p: ChainProblem) => void;
    } = {},
  ) {
    this.prev = opts.start ?? { seq: 0, hash: AUDIT_GENESIS };
    this.startSeq = this.prev.seq;
    for (const a of opts.anchors ?? []) {
      const list = this.pending.get(a.seq) ?? [];
      list.push(a);
      this.pending.set(a.seq, list);
    }
  }

  private report(p: ChainProblem, brokenAt: number | null) {
    this.problemCount++;
    if (brokenAt !== null) this.firstBrokenSeq = Math.min(this.firstBrokenSeq, brokenAt);
    if (this.problems.length < (this.opts.maxProblems ?? Number.POSITIVE_INFINITY)) this.problems.push(p);
    this.opts.onProblem?.(p);
  }

  /** Anchors at seqs that were skipped (a gap) are missing. */
  private missAnchorsBetween(from: number, to: number) {
    if (this.pending.size === 0) return;
    for (const [seq, list] of this.pending) {
      if (seq < from || seq > to) continue;
      for (const a of list) {
        this.anchorStatus.set(a, 'missing');
        this.report(problem('AUDIT_ANCHOR_MISSING', seq, { hash: short(a.hash) }), null); // the gap itself breaks the chain
      }
      this.pending.delete(seq);
    }
  }

  push(e: StoredEvent): void {
    const prev = this.prev;
    if (e.seq <= prev.seq) {
      this.report(problem('AUDIT_EVENT_OUT_OF_ORDER', e.seq, { prev: prev.seq }), Math.min(e.seq, prev.seq));
    } else {
      if (e.seq > prev.seq + 1) {
        this.report(problem('AUDIT_EVENT_MISSING', prev.seq + 1, {}, e.seq - 1), prev.seq + 1);
        this.missAnchorsBetween(prev.seq + 1, e.seq - 1);
        // its link cannot be checked: the event it links to is gone
      } else if (e.prevHash !== prev.hash) {
        this.report(problem('AUDIT_EVENT_UNLINKED', e.seq, { prev: prev.seq }), e.seq);
      }
    }
    const { prevHash, hash: stored, ...rest } = e;
    const body: AuditEventBody = {
      seq: rest.seq,
      at: rest.at,
      actorId: rest.actorId,
      actorName: rest.actorName,
      action: rest.action,
      subjectType: rest.subjectType,
      subjectId: rest.subjectId,
      departmentId: rest.departmentId,
      before: rest.before,
      after: rest.after,
    };
    if (this.hash(auditHashInput(prevHash, body)) !== stored)
      this.report(problem('AUDIT_EVENT_EDITED', e.seq), e.seq);
    const anchors = this.pending.get(e.seq);
    if (anchors) {
      for (const a of anchors) {
        if (a.hash === stored) {
          this.anchorStatus.set(a, 'ok'); // settled in finish(): unproven if the chain broke before it
        } else {
          this.anchorStatus.set(a, 'mismatch');
          this.report(
            problem('AUDIT_ANCHOR_MISMATCH', e.seq, { hash: short(a.hash), actual: short(stored) }),
            null, // the anchor disagrees with the log; another anchor that agrees with it still holds
          );
        }
      }
      this.pending.delete(e.seq);
    }
    if (e.seq > prev.seq) this.prev = { seq: e.seq, hash: stored };
    this.checked++;
  }

  finish(): ChainVerification<A> {
    const last = this.prev.seq;
    for (const [seq, list] of [...this.pending].sort((x, y) => x[0] - y[0])) {
      for (const a of list) {
        if (seq <= this.startSeq) continue; // before the range read: not ours to judge
        this.anchorStatus.set(a, 'truncated');
        this.report(problem('AUDIT_ANCHOR_TRUNCATED', seq, { hash: short(a.hash), last }), null);
      }
    }
    this.pending.clear();
    const anchors: AnchorCheck<A>[] = [];
    for (const a of this.opts.anchors ?? []) {
      let status = this.anchorStatus.get(a) ?? 'unproven';
      if (status === 'ok' && this.firstBrokenSeq <= a.seq) status = 'unproven';
      anchors.push({ anchor: a, status });
    }
    return {
      ok: this.problemCount === 0,
      checked: this.checked,
      head: this.checked > 0 || this.startSeq > 0 ? { ...this.prev } : null,
      problems: this.problems,
      problemCount: this.problemCount,
      anchors,
    };
  }
}

/** Verify a whole chain held in memory (see AuditChainVerifier). */
export function verifyChain<A extends AuditAnchor = AuditAnchor>(
  events: Iterable<StoredEvent>,
  hash: (input: string) => string,
  opts: ConstructorParameters<typeof AuditChainVerifier<A>>[1] = {},
): ChainVerification<A> {
  const v = new AuditChainVerifier<A>(hash, opts);
  for (const e of events) v.push(e);
  return v.finish();
}
