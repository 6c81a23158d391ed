/**
 * Tickets and selection (draw-protocol v1 §8).
 *   T = SHA-256("choucha-ticket-v1" ‖ 0x00 ‖ seed)            (seed: its 32 raw bytes)
 *   ticket(key) = SHA-256(T ‖ UTF-8(key))
 * In each stratum the k entities with the smallest tickets (256-bit big-endian, i.e. byte order,
 * i.e. lower-case hex order) are selected, ties by key; the selection is listed in that order.
 * Drawing more later (escalation) takes the next tickets: select(k + m) starts with select(k).
 */
import { sha256, bytesToHex, hexToBytes, concatBytes, utf8 } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { compareUtf8 } from './canonical-json.ts';
import { drawErr, type DrawError } from './errors.ts';
import { TicketHasher, wordsToHex } from './ticket-hash.ts';

export const TICKET_TAG = 'choucha-ticket-v1';

export interface SelectedEntity {
  key: string;
  stratum: string;
  /** 1-based position in the stratum's ticket order. */
  rank: number;
  /** Lower-case hex. */
  ticket: string;
}

export interface StratumSelection {
  label: string;
  population: number;
  size: number;
  selected: SelectedEntity[];
}

/** Strata in UTF-8 order of their labels. */
export type Selection = StratumSelection[];

/** Roster columns (a CanonicalRoster fits; order does not matter for the result). */
export interface RosterColumns {
  readonly keys: readonly string[];
  readonly strata: readonly string[];
}

export function ticketPrefix(seedHex: string): Uint8Array {
  const seed = hexToBytes(seedHex);
  if (!seed || seed.length !== 32) throw new Error('Invariant: seed must be 64 hex digits');
  return sha256(concatBytes(utf8(TICKET_TAG), new Uint8Array([0]), seed));
}

/** The ticket of one key, lower-case hex. */
export function ticketOf(seedHex: string, key: string): string {
  return bytesToHex(sha256(concatBytes(ticketPrefix(seedHex), utf8(key))));
}

/** 53-bit ticket prefix (first 53 bits, as an exact double) of the words w. */
const P21 = 2 ** 21;

/**
 * Selects sizes[label] entities per stratum. Cost: one SHA-256 block per entity (TicketHasher),
 * keeping only a 53-bit prefix per entity; O(N) selection (quickselect on the prefixes); the
 * winners' full tickets are recomputed and only the winners are sorted.
 */
export function selectByTickets(
  roster: RosterColumns,
  seedHex: string,
  sizes: Readonly<Record<string, number>>,
): Result<Selection, DrawError> {
  const n = roster.keys.length;
  if (n === 0) return drawErr('DRAW_ROSTER_EMPTY', 'The roster has no entity');
  const labels = Object.keys(sizes).sort(compareUtf8);
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  const counts = new Int32Array(labels.length);
  const which = new Int32Array(n);
  const strata = roster.strata;
  let lastLabel: string | undefined;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const label = strata[i]!;
    if (label !== lastLabel) {
      const s = index.get(label);
      if (s === undefined)
        return drawErr(
          'DRAW_STRATUM_UNKNOWN',
          `Entity ${roster.keys[i]} is in stratum ${label}, which has no size`,
        );
      lastLabel = label;
      last = s;
    }
    which[i] = last;
    counts[last]!++;
  }
  for (let s = 0; s < labels.length; s++) {
    const k = sizes[labels[s]!]!;
    if (counts[s] === 0)
      return drawErr('DRAW_STRATUM_EMPTY', `Stratum ${labels[s]} has no entity`, { stratum: labels[s] });
    if (!Number.isSafeInteger(k) || k < 0)
      return drawErr('DRAW_INPUT_INVALID', `Size of stratum ${labels[s]} must be an integer ≥ 0`);
  }
  const hasher = new TicketHasher(ticketPrefix(seedHex));
  const w = new Int32Array(8);
  const keys = roster.keys;
  const prefix = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    hasher.words(keys[i]!, w);
    prefix[i] = (w[0]! >>> 0) * P21 + (w[1]! >>> 11);
  }
  // Members of each stratum.
  const members: Int32Array[] = labels.map((_, s) => new Int32Array(counts[s]!));
  const fill = new Int32Array(labels.length);
  for (let i = 0; i < n; i++) {
    const s = which[i]!;
    members[s]![fill[s]!++] = i;
  }
  const out: Selection = [];
  for (let s = 0; s < labels.length; s++) {
    const label = labels[s]!;
    const m = members[s]!;
    const k = Math.min(sizes[label]!, m.length);
    let winners: Int32Array;
    if (k === 0) winners = new Int32Array(0);
    else if (k >= m.length) winners = m;
    else {
      const vals = new Float64Array(m.length);
      for (let j = 0; j < m.length; j++) vals[j] = prefix[m[j]!]!;
      const threshold = kthSmallest(vals, k - 1);
      // Everything at or below the k-th prefix: k entities plus any prefix ties at the threshold.
      let c = 0;
      for (let j = 0; j < m.length; j++) if (prefix[m[j]!]! <= threshold) c++;
      winners = new Int32Array(c);
      c = 0;
      for (let j = 0; j < m.length; j++) if (prefix[m[j]!]! <= threshold) winners[c++] = m[j]!;
    }
    // Full tickets of the winners only; order by (ticket, key): prefix first, then the hex.
    const ticket = new Map<number, string>();
    for (const i of winners) ticket.set(i, wordsToHex(hasher.words(keys[i]!, w)));
    const sorted = Array.from(winners)
      .sort((a, b) => {
        const d = prefix[a]! - prefix[b]!;
        if (d !== 0) return d;
        const ta = ticket.get(a)!;
        const tb = ticket.get(b)!;
        if (ta !== tb) return ta < tb ? -1 : 1;
        const ka = keys[a]!;
        const kb = keys[b]!;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })
      .slice(0, k);
    out.push({
      label,
      population: m.length,
      size: k,
      selected: sorted.map((i, r) => ({
        key: keys[i]!,
        stratum: label,
        rank: r + 1,
        ticket: ticket.get(i)!,
      })),
    });
  }
  return ok(out);
}

/** The k-th smallest value (0-based) of a; reorders a. Hoare partition, median-of-three pivot. */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
