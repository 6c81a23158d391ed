/**
 * The receipt of an entity (docs/specs/draw-protocol-v2.md §11): what the department gives an
 * entity on request so that it can check, with the public bundle, its own nonce against its roster
 * line, its own ticket, and whether that ticket is at or below the last ticket drawn in its stratum.
 */
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { lowerHexBytes, nonceHashHex, ticketV2 } from './hashes.ts';
import {
  RECEIPT_FORMAT_V2,
  type BundleV2,
  type FullBundleV2,
  type PublicBundleV2,
  type ReceiptV2,
} from './types.ts';

/** The line of `key` in a text of lines `key TAB …`, or undefined. */
function lineOf(text: string, key: string): string | undefined {
  const needle = `${key}\t`;
  let at = 0;
  if (!text.startsWith(needle)) {
    const i = text.indexOf(`\n${needle}`);
    if (i < 0) return undefined;
    at = i + 1;
  }
  const end = text.indexOf('\n', at);
  return text.slice(at, end < 0 ? text.length : end);
}

/** key → stratum label for the keys asked (one pass over the openings). */
function labelsOf(openings: string, keys: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  let s = 0;
  while (s < openings.length && out.size < keys.size) {
    const end = openings.indexOf('\n', s);
    const e = end < 0 ? openings.length : end;
    const t1 = openings.indexOf('\t', s);
    if (t1 > 0 && t1 < e) {
      const key = openings.slice(s, t1);
      if (keys.has(key)) {
        const t2 = openings.indexOf('\t', t1 + 1);
        if (t2 > 0 && t2 < e) out.set(key, openings.slice(t1 + 1, t2));
      }
    }
    s = e + 1;
  }
  return out;
}

/** The receipt of `key` from the full bundle, or null when the key is not in the roster. */
export function receiptOf(full: FullBundleV2, key: string): ReceiptV2 | null {
  const line = lineOf(full.private.openings, key);
  if (line === undefined) return null;
  const [, stratum, nonce] = line.split('\t');
  if (stratum === undefined || nonce === undefined) return null;
  const plan = full.commitment.strata.find((s) => s.label === stratum);
  if (!plan) return null;
  let size = Math.min(plan.population, plan.size);
  for (const round of full.private.escalations)
    for (const e of round) if (e.label === stratum) size = Math.min(plan.population, size + e.extra);
  let last: string | null = null;
  if (full.selection) {
    const keys = new Set(full.selection.map((s) => s.key));
    const labels = labelsOf(full.private.openings, keys);
    for (const s of full.selection)
      if (labels.get(s.key) === stratum && (last === null || s.ticket > last)) last = s.ticket;
  }
  return {
    format: RECEIPT_FORMAT_V2,
    commitmentHash: full.commitmentHash,
    key,
    stratum,
    nonce,
    stratumSize: size,
    last,
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks a receipt against the public bundle (verify the bundle itself first): the nonce hashes
 * to the key's roster line; the ticket; selected iff ticket ≤ last, and then in the selection with
 * that nonce and ticket (else not in it); last is the ticket of a selected entity.
 */
export function verifyReceiptV2(
  b: PublicBundleV2 | BundleV2,
  r: ReceiptV2,
): Result<{ selected: boolean; ticket: string }, DrawError> {
  const field = (path: string, message: string) => drawErr('BUNDLE_FIELD_INVALID', message, { path });
  const differs = (path: string, expected: unknown, actual: unknown, message: string) =>
    drawErr('DRAW_BUNDLE_MISMATCH', message, { path, expected, actual });
  if (r.format !== RECEIPT_FORMAT_V2) return field('$.format', `A receipt's format is ${RECEIPT_FORMAT_V2}`);
  if (typeof r.nonce !== 'string' || !lowerHexBytes(r.nonce, 16))
    return field('$.nonce', 'The nonce is 32 lower-case hex digits');
  if (r.last !== null && !(typeof r.last === 'string' && HEX64.test(r.last)))
    return field('$.last', 'last is null or 64 lower-case hex digits');
  if (r.commitmentHash !== b.commitmentHash)
    return differs(
      '$.commitmentHash',
      b.commitmentHash,
      r.commitmentHash,
      'The receipt is for another commitment',
    );
  const line = typeof r.key === 'string' ? lineOf(b.roster, r.key) : undefined;
  if (line === undefined) return field('$.key', `Key ${String(r.key)} is not in the roster`);
  const committed = line.slice(line.indexOf('\t') + 1);
  const nh = nonceHashHex(r.nonce);
  if (nh !== committed)
    return differs('$.nonce', committed, nh, `The nonce does not hash to the roster line of ${r.key}`);
  const plan = b.commitment.strata.find((s) => s.label === r.stratum);
  if (!plan) return field('$.stratum', `${JSON.stringify(r.stratum)} is not a stratum of the commitment`);
  if (!Number.isSafeInteger(r.stratumSize) || r.stratumSize < plan.size || r.stratumSize > plan.population)
    return differs(
      '$.stratumSize',
      plan.size,
      r.stratumSize,
      'The stratum size is below the committed size or above the population',
    );
  if (b.seed === null || !b.selection)
    return drawErr('DRAW_STATE', 'The bundle has no seed yet: nothing to check');
  const ticket = ticketV2(b.seed, r.key, lowerHexBytes(r.nonce, 16)!);
  if (r.last === null) return differs('$.last', 'a ticket', null, 'A drawn stratum has a last ticket');
  if (!b.selection.some((s) => s.ticket === r.last))
    return differs(
      '$.last',
      'the ticket of a selected entity',
      r.last,
      'last is not the ticket of a selected entity',
    );
  const selected = ticket <= r.last;
  const inSel = b.selection.find((s) => s.key === r.key);
  if (selected && !(inSel && inSel.ticket === ticket && inSel.nonce === r.nonce))
    return differs(
      '$.key',
      'in the selection',
      null,
      `${r.key}'s ticket is at most last, but it is not in the selection`,
    );
  if (!selected && inSel)
    return differs(
      '$.key',
      'not in the selection',
      inSel,
      `${r.key}'s ticket is above last, but it is in the selection`,
    );
  return ok({ selected, ticket });
}
