/**
 * Matching the staged rows of an entity file with the directory, set-based (joins on the staging
 * table, never a query per row), in row ranges on the embedded database.
 *
 * The embedded database runs on this thread: one statement over 300,000 rows would hold the event
 * loop (and every other request of the server) for its whole duration, and a join per range still
 * costs ~1 s per 25,000 rows there. So the directory's identities are read once (in pages) into
 * maps (DirectoryIndex) and steps 1–2 are decided while the file is read; the pairs are COPYed into
 * import_match; the statements that remain (step 3, the update, the insert) are set-based and run
 * per range of row numbers with a turn of the event loop between them. PostgreSQL runs in its own
 * process: there one statement covers the whole file.
 *
 * The steps, each only for rows and entities not matched yet (import_match: rn primary key, id
 * indexed; how = the step that matched):
 *  1. key:          the n-th row of a key (USCC, else 注册号, else name|raw code|address) in the file
 *                   ↔ the n-th entity of that key (by id). The row's ordinal is computed while reading.
 *  2. reg_no:       a row with its new USCC and the old 注册号 ↔ an entity known only by that 注册号; a
 *                   row with only the 注册号 ↔ an entity that has a USCC by now. When the row's code
 *                   was damaged and the names agree, it is reported as name + 注册号 (factMatches).
 *  3. name_address: a row whose code cannot be used (damaged or missing: a CSV saved from the
 *                   display text of a sheet shows 4.69007E+14) ↔ the one entity with the same name
 *                   and address; and the reverse, a row with a code ↔ the one codeless entity with
 *                   its name and address. Only one-to-one pairs: two candidates match neither.
 */
import type { Services } from '../context.ts';

export type MatchHow = 'key' | 'reg_no' | 'name_address';

/**
 * Rows per statement on the embedded database: an insert of 25,000 rows (GIN bigrams maintained)
 * held the event loop 2–4 s on a loaded machine; 5,000 keeps each turn well under a second.
 */
export const RANGE_ROWS = 5_000;

/** Tests set `rangeRows` to run small files in several ranges (on either database). */
export const matchTuning: { rangeRows: number | undefined } = { rangeRows: undefined };

export type Q = <T = Record<string, unknown>>(text: string) => Promise<T[]>;

export const yieldTurn = (): Promise<void> => new Promise((res) => setImmediate(res));

/** The key of an entity, as entityMatchKey computes it for a file row. */
export const ENTITY_MKEY_SQL = `case when e.uscc is not null then 'U:' || e.uscc when e.reg_no is not null then 'R:' || e.reg_no else 'N:' || e.name || '|' || coalesce(e.raw_code, '') || '|' || coalesce(e.address, '') end`;

/**
 * Runs `fn` once per range of row numbers (`rn between lo and hi`, as SQL text), yielding between
 * ranges; PostgreSQL: one range.
 */
export function rangeRunner(svc: Services, minRn: number, maxRn: number) {
  const step =
    matchTuning.rangeRows ?? (svc.database.kind === 'postgres' ? Number.MAX_SAFE_INTEGER : RANGE_ROWS);
  return async (fn: (range: string) => Promise<unknown>): Promise<void> => {
    for (let lo = minRn; lo <= maxRn; lo += step) {
      await fn(`between ${lo} and ${Math.min(maxRn, lo + step - 1)}`);
      await yieldTurn();
    }
  };
}

export async function createMatchTable(q: Q): Promise<void> {
  await q(
    'create temp table import_match (rn int primary key, id int not null, how text not null) on commit drop',
  );
  await q('create index on import_match (id)');
}

const PAGE = 50_000;

/**
 * The directory's identities, read once per import (in pages, yielding between them) into maps,
 * so that steps 1 and 2 cost one lookup per row while the file is read instead of a join per
 * range: key → entity ids (in id order), 注册号 → ids of the entities with / without a USCC.
 */
export class DirectoryIndex {
  /** key → the first entity's id */
  private readonly first = new Map<string, number>();
  /** key → every entity's id, in id order, for keys more than one entity has */
  private readonly many = new Map<string, number[]>();
  private readonly regWithUscc = new Map<string, number[]>();
  private readonly regWithoutUscc = new Map<string, number[]>();
  /** entity ids matched so far */
  private readonly claimed = new Set<number>();
  /** rows matched (rn, id, how), in row order per step */
  readonly pairs: { rn: number; id: number; how: MatchHow }[] = [];
  /** rows not matched by key that have a 注册号 (step 2, resolved after the whole file is read) */
  private readonly regCandidates: { rn: number; regNo: string; hasUscc: boolean }[] = [];
  entities = 0;

  static async load(q: Q): Promise<DirectoryIndex> {
    const ix = new DirectoryIndex();
    let last = 0;
    for (;;) {
      const page = await q<{ id: number; mkey: string; reg_no: string | null; has_uscc: boolean }>(
        `select e.id, ${ENTITY_MKEY_SQL} as mkey, e.reg_no, e.uscc is not null as has_uscc from entities e
         where e.merged_into_id is null and e.id > ${last} order by e.id limit ${PAGE}`,
      );
      for (const r of page) ix.add(r.id, r.mkey, r.reg_no, r.has_uscc);
      ix.entities += page.length;
      if (page.length < PAGE) break;
      last = page[page.length - 1]!.id;
      await yieldTurn();
    }
    return ix;
  }

  private add(id: number, mkey: string, regNo: string | null, hasUscc: boolean) {
    const f = this.first.get(mkey);
    if (f === undefined) this.first.set(mkey, id);
    else {
      const list = this.many.get(mkey);
      if (list) list.push(id);
      else this.many.set(mkey, [f, id]);
    }
    if (regNo !== null) {
      const m = hasUscc ? this.regWithUscc : this.regWithoutUscc;
      const list = m.get(regNo);
      if (list) list.push(id);
      else m.set(regNo, [id]);
    }
  }

  /** Step 1 for one row: the ord-th entity of its key; else, with a 注册号, a step-2 candidate. */
  row(rn: number, mkey: string, ord: number, regNo: string | null, hasUscc: boolean): void {
    const id = ord === 1 ? this.first.get(mkey) : this.many.get(mkey)?.[ord - 1];
    if (id !== undefined) {
      this.claimed.add(id);
      this.pairs.push({ rn, id, how: 'key' });
    } else if (regNo !== null) this.regCandidates.push({ rn, regNo, hasUscc });
  }

  /**
   * Step 2, once every key match is known: a row with a USCC ↔ an entity known only by the 注册号;
   * a row with only the 注册号 ↔ an entity that has a USCC by now. Rows in file order, each takes
   * the first entity (by id) nobody took.
   */
  resolveRegNos(): void {
    for (const c of this.regCandidates) {
      const ids = (c.hasUscc ? this.regWithoutUscc : this.regWithUscc).get(c.regNo);
      const id = ids?.find((x) => !this.claimed.has(x));
      if (id === undefined) continue;
      this.claimed.add(id);
      this.pairs.push({ rn: c.rn, id, how: 'reg_no' });
    }
    this.regCandidates.length = 0;
  }
}

export async function matchStaged(
  q: Q,
  copyPairs: (rows: (number | string)[][]) => Promise<unknown>,
  index: DirectoryIndex,
  phase: (what: string) => void = () => undefined,
): Promise<void> {
  // steps 1 and 2 were decided while reading (DirectoryIndex); their pairs are copied in chunks
  index.resolveRegNos();
  const pairs = index.pairs;
  for (let i = 0; i < pairs.length; i += RANGE_ROWS) {
    await copyPairs(pairs.slice(i, i + RANGE_ROWS).map((p) => [p.rn, p.id, p.how]));
    await yieldTurn();
  }
  await q('analyze import_match');
  phase('matched by key and registration number');
  // 3. by name and address, one-to-one only, where one side has no usable code. Few rows qualify:
  //    one statement (the counts must see the whole file)
  await q(`insert into import_match (rn, id, how)
    select rn, id, 'name_address' from (
      select rn, id, count(*) over (partition by rn) as ne, count(*) over (partition by id) as ns from (
        select s.rn, e.id from import_stage s join entities e on e.name = s.name and e.address = s.address
          where s.uscc is null and s.reg_no is null and s.address is not null and e.merged_into_id is null
        union
        select s.rn, e.id from import_stage s join entities e on e.name = s.name and e.address = s.address
          where e.uscc is null and e.reg_no is null and e.address is not null and e.merged_into_id is null
      ) p
      where not exists (select 1 from import_match m where m.rn = p.rn)
        and not exists (select 1 from import_match m where m.id = p.id)
    ) x where ne = 1 and ns = 1`);
  await q('analyze import_match');
  phase('matched by name and address');
}

export interface FactMatch {
  rn: number;
  how: 'name_reg_no' | 'name_address';
  id: number;
  /** the entity's name and code (USCC, else 注册号, else the raw text) */
  entityName: string;
  entityCode: string | null;
  /** the row's name and raw code text */
  rowName: string;
  rowCode: string | null;
}

/**
 * The rows matched by other identity facts than their code: step 3, and step 2 where the row's
 * code was damaged and the names agree (name + 注册号).
 */
export async function factMatches(q: Q): Promise<FactMatch[]> {
  return q<FactMatch>(`select rn, how, id, "entityName", "entityCode", "rowName", "rowCode" from (
      select m.rn, m.id, e.name as "entityName", coalesce(e.uscc, e.reg_no, e.raw_code) as "entityCode",
        s.name as "rowName", coalesce(s.raw_code, s.uscc, s.reg_no) as "rowCode",
        case when m.how = 'name_address' then 'name_address'
          when s.uscc is null and s.raw_code is not null and s.name = e.name then 'name_reg_no' end as how
      from import_match m join entities e on e.id = m.id join import_stage s on s.rn = m.rn
      where m.how in ('reg_no', 'name_address')
    ) x where how is not null order by rn`);
}
