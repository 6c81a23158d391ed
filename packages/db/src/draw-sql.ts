/**
 * The draw selection (draw-protocol v1 §8) computed inside PostgreSQL with the built-in sha256(),
 * for directories too large to pull into Node. Same result as @choucha/core selectByTickets().
 */
import { compareUtf8, ticketPrefix, type Selection } from '@choucha/core';
import type { Database } from './database.ts';

export interface SqlRosterSource {
  /**
   * A trusted SQL relation yielding columns `key` (text) and `stratum` (text): a table name
   * ("draw_roster") or a parenthesised query ("(select uscc as key, risk_class as stratum from …)").
   * It is interpolated as is: never pass user input.
   */
  relation: string;
}

type Query = <T>(text: string, params: unknown[]) => Promise<T[]>;

/**
 * Runs fn in one read-only REPEATABLE READ transaction, so that the population count and the
 * candidate scan see the same rows. On PostgreSQL the transaction lowers parallel_tuple_cost, so
 * that the ticket scan (one sha256() per row, the whole cost) runs on parallel workers although it
 * returns ~100k rows (the planner's default would keep it serial).
 */
async function inSnapshot<R>(database: Database, fn: (q: Query) => Promise<R>): Promise<R> {
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query('begin transaction isolation level repeatable read read only');
      await client.query('set local parallel_tuple_cost = 0.001');
      const r = await fn(
        async <T>(text: string, params: unknown[]) => (await client.query(text, params)).rows as T[],
      );
      await client.query('commit');
      return r;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  if (database.pglite)
    return database.pglite.transaction(async (tx) =>
      fn(async <T>(text: string, params: unknown[]) => (await tx.query<T>(text, params)).rows),
    );
  return fn((text, params) => database.query(text, params));
}

/** Test hook: scales the candidate bound (a scale < 1 forces the re-read path). */
export const drawSqlTesting = { boundScale: 1 };

/**
 * Prefix bound for a stratum: tickets whose first 4 bytes are below it are candidates. Chosen so
 * that about k + 6√k + 32 of the N tickets pass (uniform tickets); null = no bound.
 */
function candidateBound(k: number, n: number): Buffer | null {
  if (k >= n) return null;
  const want = (k + 6 * Math.sqrt(k) + 32) * drawSqlTesting.boundScale;
  if (want >= n) return null;
  const b = Math.ceil((want / n) * 2 ** 32);
  if (b >= 2 ** 32) return null;
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(b);
  return buf;
}

/**
 * Selects sizes[label] entities per stratum by ticket order, in the database.
 *
 * 1. population per stratum (one grouped count);
 * 2. one scan computing every ticket with the built-in sha256() that returns only the candidates:
 *    tickets below a per-stratum 4-byte prefix bound expected to pass k + 6√k + 32 rows (about 1.03 k).
 *    Any ticket smaller than a candidate is itself a candidate (its prefix is no larger), so the k
 *    smallest candidates are the k smallest tickets — exact, whatever the bound;
 * 3. candidates sorted by (ticket, key) here; a stratum with fewer than k candidates (probability
 *    below 10^-9) is re-read without a bound. No full sort of the roster, nothing spills to disk.
 */
export async function drawSelectionInSql(
  database: Database,
  source: SqlRosterSource,
  seedHex: string,
  sizes: Readonly<Record<string, number>>,
): Promise<Selection> {
  const prefix = Buffer.from(ticketPrefix(seedHex));
  const labels = Object.keys(sizes).sort(compareUtf8);
  return inSnapshot(database, (query) => select(query, source, prefix, labels, sizes));
}

async function select(
  query: Query,
  source: SqlRosterSource,
  prefix: Buffer,
  labels: string[],
  sizes: Readonly<Record<string, number>>,
): Promise<Selection> {
  const counts = await query<{ stratum: string; population: number }>(
    `select src.stratum::text as stratum, count(*)::int as population
       from ${source.relation} as src
      where src.stratum::text = any($1::text[])
      group by 1`,
    [labels],
  );
  const population = new Map(counts.map((r) => [r.stratum, Number(r.population)]));
  for (const l of labels)
    if (!population.get(l)) throw new Error(`Stratum ${l} has no entity in ${source.relation}`);
  const wanted = (l: string) => Math.min(sizes[l]!, population.get(l)!);

  const candidates = async (ls: string[], bounds: (Buffer | null)[]) =>
    query<{ key: string; stratum: string; ticket: string }>(
      `select t.key, t.stratum, encode(t.ticket, 'hex') as ticket
         from (select src.key::text as key, src.stratum::text as stratum,
                      sha256($1::bytea || convert_to(src.key::text, 'UTF8')) as ticket
                 from ${source.relation} as src) as t
         join unnest($2::text[], $3::bytea[]) as z(label, bound) on z.label = t.stratum
        where z.bound is null or t.ticket < z.bound`,
      [prefix, ls, bounds],
    );
  const active = labels.filter((l) => wanted(l) > 0);
  const by = new Map<string, { key: string; ticket: string }[]>();
  for (const l of labels) by.set(l, []);
  for (const row of await candidates(
    active,
    active.map((l) => candidateBound(wanted(l), population.get(l)!)),
  ))
    by.get(row.stratum)?.push({ key: row.key, ticket: row.ticket });
  const short = active.filter((l) => by.get(l)!.length < wanted(l));
  if (short.length > 0) {
    for (const l of short) by.set(l, []);
    for (const row of await candidates(
      short,
      short.map(() => null),
    ))
      by.get(row.stratum)?.push({ key: row.key, ticket: row.ticket });
  }
  return labels.map((label) => {
    const k = wanted(label);
    const sorted = by
      .get(label)!
      .sort((a, b) =>
        a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      )
      .slice(0, k);
    return {
      label,
      population: population.get(label)!,
      size: sorted.length,
      selected: sorted.map((e, i) => ({ key: e.key, stratum: label, rank: i + 1, ticket: e.ticket })),
    };
  });
}
