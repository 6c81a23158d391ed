/**
 * The draw selection (draw-protocol v1 §8) computed inside PostgreSQL with the built-in sha256(),
 * for directories too large to pull into Node. Same result as @choucha/core selectByTickets().
 */
import { compareUtf8, ticketPrefix, type Selection } from '@choucha/core';
import type { Database } from './database.ts';

function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export interface SqlRosterSource {
  /**
   * A trusted SQL relation yielding columns `key` (text) and `stratum` (text): a table name
   * ("draw_roster") or a parenthesised query ("(select uscc as key, risk_class as stratum from …)").
   * It is interpolated as is: never pass user input.
   */
  relation: string;
}

/** Selects sizes[label] entities per stratum by ticket order, in the database. */
export async function drawSelectionInSql(
  database: Database,
  source: SqlRosterSource,
  seedHex: string,
  sizes: Readonly<Record<string, number>>,
): Promise<Selection> {
  const prefix = bytesToHex(ticketPrefix(seedHex));
  const labels = Object.keys(sizes).sort(compareUtf8);
  const ks = labels.map((l) => sizes[l]!);
  // Top-k per stratum: the window sorts each stratum by (ticket, key) in byte order.
  const rows = await database.query<{
    key: string;
    stratum: string;
    ticket: string;
    rank: number;
    population: number;
  }>(
    `with t as (
       select src.key::text as key, src.stratum::text as stratum,
              sha256(decode($1, 'hex') || convert_to(src.key::text, 'UTF8')) as ticket
         from ${source.relation} as src
     ), r as (
       select key, stratum, ticket,
              row_number() over (partition by stratum order by ticket, key collate "C") as rank,
              count(*) over (partition by stratum) as population
         from t
     )
     select r.key, r.stratum, encode(r.ticket, 'hex') as ticket, r.rank::int as rank, r.population::int as population
       from r join unnest($2::text[], $3::int[]) as z(label, k) on z.label = r.stratum
      where r.rank <= z.k or r.rank = 1
      order by r.stratum collate "C", r.rank`,
    [prefix, labels, ks],
  );
  const by = new Map<string, Selection[number]>();
  for (const l of labels) by.set(l, { label: l, population: 0, size: 0, selected: [] });
  for (const row of rows) {
    const s = by.get(row.stratum);
    if (!s) continue;
    s.population = Number(row.population);
    const rank = Number(row.rank);
    if (rank <= sizes[row.stratum]!)
      s.selected.push({ key: row.key, stratum: row.stratum, rank, ticket: row.ticket });
  }
  for (const s of by.values()) {
    if (s.population === 0) throw new Error(`Stratum ${s.label} has no entity in ${source.relation}`);
    s.size = s.selected.length;
  }
  return labels.map((l) => by.get(l)!);
}
