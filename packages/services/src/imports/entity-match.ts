/**
 * Matching the staged rows of an entity file with the directory, set-based (joins on the staging
 * table, never a query per row), in row ranges on the embedded database.
 *
 * The embedded database runs on this thread: one statement over 300,000 rows would hold the event
 * loop (and every other request of the server) for its whole duration. Statements over the staging
 * table therefore run per range of row numbers, with a turn of the event loop between them.
 * PostgreSQL runs in its own process: there one statement covers the whole file.
 *
 * The steps, each only for rows and entities not matched yet (import_match: rn primary key, id
 * indexed; how = the step that matched):
 *  1. key:          the n-th row of a key (USCC, else 注册号, else name|raw code|address) in the file
 *                   ↔ the n-th entity of that key (by id). The row's ordinal is computed while reading.
 *  2. reg_no:       a row with its new USCC and the old 注册号 ↔ an entity known only by that 注册号; a
 *                   row with only the 注册号 ↔ an entity that has a USCC by now. When the row's code
 *                   was damaged and the names agree, how = name_reg_no (reported in the dry run).
 *  3. name_address: a row whose code cannot be used (damaged or missing: a CSV saved from the
 *                   display text of a sheet shows 4.69007E+14) ↔ the one entity with the same name
 *                   and address; and the reverse, a row with a code ↔ the one codeless entity with
 *                   its name and address. Only one-to-one pairs: two candidates match neither.
 */
import type { Services } from '../context.ts';

export type MatchHow = 'key' | 'reg_no' | 'name_reg_no' | 'name_address';

/** Rows per statement on the embedded database. */
export const RANGE_ROWS = 25_000;

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

export async function matchStaged(
  q: Q,
  ranges: (fn: (range: string) => Promise<unknown>) => Promise<void>,
  phase: (what: string) => void = () => undefined,
): Promise<void> {
  await q('analyze import_stage');
  // 1. by key, ordinal for ordinal; the candidate entities of a range are all those with its keys
  //    (a key's entities are ranked among themselves only, so ranges do not disturb the ranking)
  await ranges((r) =>
    q(`insert into import_match (rn, id, how)
      select s.rn, e.id, 'key' from import_stage s
      join (
        select c.id, c.mkey, row_number() over (partition by c.mkey order by c.id) as ord from (
          select e.id, 'U:' || e.uscc as mkey from entities e
            where e.merged_into_id is null
              and e.uscc in (select uscc from import_stage where rn ${r} and uscc is not null)
          union all
          select e.id, 'R:' || e.reg_no from entities e
            where e.merged_into_id is null and e.uscc is null
              and e.reg_no in (select reg_no from import_stage where rn ${r} and uscc is null and reg_no is not null)
          union all
          select e.id, ${ENTITY_MKEY_SQL} from entities e
            where e.merged_into_id is null and e.uscc is null and e.reg_no is null
              and e.name in (select name from import_stage where rn ${r} and uscc is null and reg_no is null)
        ) c
      ) e on e.mkey = s.mkey and e.ord = s.ord
      where s.rn ${r}`),
  );
  await q('analyze import_match');
  phase('matched by key');
  // 2. by 注册号 across the USCC's arrival (one entity per row, one row per entity: the first)
  await ranges((r) =>
    q(`insert into import_match (rn, id, how)
      select distinct on (rn) rn, id, how from (
        select distinct on (e.id) s.rn, e.id,
          case when s.uscc is null and s.raw_code is not null and s.name = e.name then 'name_reg_no' else 'reg_no' end as how
        from import_stage s join entities e on e.reg_no = s.reg_no
        where s.rn ${r} and s.reg_no is not null and e.merged_into_id is null
          and ((s.uscc is not null and e.uscc is null) or (s.uscc is null and e.uscc is not null))
          and not exists (select 1 from import_match m where m.rn = s.rn)
          and not exists (select 1 from import_match m where m.id = e.id)
        order by e.id, s.rn
      ) x order by rn, id`),
  );
  phase('matched by registration number');
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

/** The rows matched by other identity facts than their code (steps 2 name_reg_no and 3). */
export async function factMatches(q: Q): Promise<FactMatch[]> {
  return q<FactMatch>(`select m.rn, m.how, m.id, e.name as "entityName",
      coalesce(e.uscc, e.reg_no, e.raw_code) as "entityCode", s.name as "rowName",
      coalesce(s.raw_code, s.uscc, s.reg_no) as "rowCode"
    from import_match m join entities e on e.id = m.id join import_stage s on s.rn = m.rn
    where m.how in ('name_reg_no', 'name_address') order by m.rn`);
}
