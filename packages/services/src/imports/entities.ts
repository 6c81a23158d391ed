/**
 * The entity write/match phase. Rows are validated one by one and COPYed into a staging table in
 * chunks, then merged with INSERT … SELECT / UPDATE … FROM — a million rows fit in well under 1 GiB.
 */
import { sql } from 'drizzle-orm';
import { AppError, bigrams } from '@choucha/core';
import { copyRows, type CopyValue, type Tx } from '@choucha/db';
import {
  ROW_REASONS,
  verdictOf,
  type ColumnMapping,
  type EntityRecord,
  type RowReason as ImporterReason,
} from '@choucha/importer';
import type { Services } from '../context.ts';
import {
  createMatchTable,
  DirectoryIndex,
  factMatches,
  matchStaged,
  rangeRunner,
  type FactMatch,
  type Q,
} from './entity-match.ts';
import {
  REPORT_MAX_PROBLEM_ROWS,
  timing,
  type Processed,
  type StoredCounts,
  type StoredReason,
} from './shared.ts';

/** An entity row naming an entity already in the directory, imported by a department (not the lead bureau). */
const FACTS_READ_ONLY: StoredReason = {
  code: 'ENTITY_FACTS_READ_ONLY',
  severity: 'warning',
  message:
    '该主体已在名录中：登记信息（名称、代码、登记状态、住所等）由联合办公室或牵头部门维护，本行未更新登记信息，只将其标记为本部门监管',
};

const STAGE_COLUMNS = [
  'rn',
  'mkey',
  /** the row's ordinal among the file's rows of its key (1 for the first) */
  'ord',
  'uscc',
  'reg_no',
  'reg_no_kind',
  'raw_code',
  'code_status',
  'name',
  'name_bigrams',
  'entity_type',
  'industry_code',
  'industry_name',
  'region_code',
  'street',
  'address',
  'legal_rep',
  'registered_capital',
  'established_on',
  'status',
  'phone',
  'licences',
  'tags',
] as const;

/** importer field → entity columns it fills (when the file has that column, an update overwrites them) */
const FIELD_COLUMNS: Record<string, readonly string[]> = {
  name: ['name', 'name_bigrams'],
  entityType: ['entity_type'],
  industryCode: ['industry_code', 'industry_name'],
  industryName: ['industry_code', 'industry_name'],
  regionCode: ['region_code'],
  street: ['street'],
  address: ['address'],
  legalRep: ['legal_rep'],
  registeredCapital: ['registered_capital'],
  establishedOn: ['established_on'],
  status: ['status'],
  phone: ['phone'],
  licences: ['licences'],
  tags: ['tags'],
};

/** The identity used to match a file row with an existing entity. */
export function entityMatchKey(r: {
  uscc: string | null;
  regNo: string | null;
  name: string;
  rawCode: string | null;
  address: string | null;
}): string {
  if (r.uscc) return `U:${r.uscc}`;
  if (r.regNo) return `R:${r.regNo}`;
  return `N:${r.name}|${r.rawCode ?? ''}|${r.address ?? ''}`;
}

const COPY_CHUNK = 25_000;

/**
 * uint32 → uint32 open-addressing hash map in typed arrays: a million entries in 16 MiB (a Map
 * would take several times that). Grows by doubling.
 */
export class HashMap32 {
  private keys = new Uint32Array(1 << 16);
  private values = new Uint32Array(1 << 16);
  private size = 0;
  get(k: number): number | undefined {
    const key = k === 0 ? 1 : k;
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = this.keys[i]!;
      if (at === 0) return undefined;
      if (at === key) return this.values[i];
    }
  }
  set(k: number, v: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const key = k === 0 ? 1 : k;
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const at = this.keys[i]!;
      if (at === 0) {
        this.keys[i] = key;
        this.values[i] = v;
        this.size++;
        return;
      }
      if (at === key) {
        this.values[i] = v;
        return;
      }
    }
  }
  private grow() {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Uint32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, values[i]!);
  }
}

/** FNV-1a, 32 bits: a compact fingerprint (collisions only add candidates, checked in SQL). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Drops the secondary indexes of entities (inside the caller's transaction); returns their definitions. */
async function dropEntityIndexes(tx: Tx): Promise<{ name: string; def: string }[]> {
  const r = (await tx.execute(
    sql.raw(`select indexname as name, indexdef as def from pg_indexes
      where schemaname = current_schema() and tablename = 'entities' and indexname <> 'entities_pkey'`),
  )) as unknown as { rows: { name: string; def: string }[] };
  for (const i of r.rows) await tx.execute(sql.raw(`drop index "${i.name}"`));
  return r.rows;
}

/** The staged columns that are entity columns. */
const ENTITY_COLUMNS = STAGE_COLUMNS.filter((c) => c !== 'rn' && c !== 'mkey' && c !== 'ord');

const DIRECT_COLUMNS = [...ENTITY_COLUMNS, 'supervising_dept_ids', 'import_id', 'created_at', 'updated_at'];

export class EntityLoader {
  private buf: CopyValue[][] = [];
  private inflight: Promise<unknown> = Promise.resolve();
  /**
   * The first load into an empty directory has nothing to match: rows are COPYed straight into
   * entities while the file is still being read (PostgreSQL maintains the indexes meanwhile).
   */
  private direct = false;
  private directRows = 0;
  private dropped: { name: string; def: string }[] = [];
  private readonly now: string;
  /** Rows (numbers) that named an entity already in the directory, when `facts` is false. */
  private readOnly: number[] = [];
  /** Rows that were warned already (so that marking them does not count them twice). */
  private readonly warnedRows = new Set<number>();
  /** Nothing to match (dry run against an empty directory). */
  private idle = false;
  /**
   * @param facts whether the importer writes registration facts (access.ts: mayWriteMasterData);
   *   without, a row that names an existing entity only adds the department's supervision
   * @param dryRun stage and match only (a department's dry run), write nothing
   */
  constructor(
    private readonly svc: Services,
    private readonly tx: Tx,
    private readonly importId: number,
    private readonly dept: number | undefined,
    private readonly facts: boolean,
    private readonly dryRun: boolean,
  ) {
    this.now = svc.clock().toISOString();
  }

  async begin() {
    // lock the table against a concurrent first load (both would take the direct path)
    if (!this.dryRun) await this.tx.execute(sql.raw('lock table entities in share row exclusive mode'));
    const r = (await this.tx.execute(sql.raw('select exists (select 1 from entities) as e'))) as unknown as {
      rows: { e: boolean }[];
    };
    this.direct = r.rows[0]?.e === false && !this.dryRun;
    this.idle = r.rows[0]?.e === false && this.dryRun;
    if (this.idle) return;
    if (this.direct) {
      // building the indexes once at the end is much faster than maintaining the name index
      // (a million names × ~20 bigrams) row by row; all inside this transaction
      this.dropped = await dropEntityIndexes(this.tx);
      return;
    }
    // the directory's identities, for matching while the file is read (entity-match.ts)
    this.index = await DirectoryIndex.load(async <T>(text: string) => {
      const r = (await this.tx.execute(sql.raw(text))) as unknown as { rows: T[] };
      return r.rows;
    });
    await this.tx.execute(
      sql.raw(`create temp table import_stage (
        rn int, mkey text, ord int, uscc text, reg_no text, reg_no_kind text, raw_code text,
        code_status text, name text,
        name_bigrams text[], entity_type text, industry_code text, industry_name text, region_code text,
        street text, address text, legal_rep text, registered_capital numeric, established_on date,
        status text, phone text, licences text[], tags text[]) on commit drop`),
    );
    // built while the chunks are COPYed (one index build at the end held the event loop ~2 s)
    await this.tx.execute(sql.raw('create index on import_stage (rn)'));
  }

  /**
   * First load: the only duplicates are within the file, so the 重错码 candidates are collected
   * while reading (codes the importer saw twice; name + address seen with two different codes).
   */
  candidates: { codes: string[]; nameAddress: [string, string][] } | undefined;
  private readonly nameAddressSeen = new HashMap32();

  private track(r: EntityRecord, reasons: readonly ImporterReason[]) {
    const c = (this.candidates ??= { codes: [], nameAddress: [] });
    const code = r.uscc ?? r.regNo;
    if (code && reasons.some((x) => x.code === 'DUPLICATE_KEY')) c.codes.push(code);
    if (r.address) {
      const h = hash32(`${r.name}\u0000${r.address}`);
      const k = hash32(code ?? r.rawCode ?? '');
      const prev = this.nameAddressSeen.get(h);
      if (prev === undefined) this.nameAddressSeen.set(h, k);
      else if (prev !== k) c.nameAddress.push([r.name, r.address]);
    }
  }

  private index: DirectoryIndex | undefined;
  private minRn = Number.MAX_SAFE_INTEGER;
  private maxRn = 0;
  private stagedRows = 0;
  /** Ordinals of keys seen more than once (code keys: the importer flags the repeats) or codeless. */
  private readonly ords = new Map<string, number>();
  /** Rows matched by name + registration number or name + address (dry run and commit). */
  private factMatched: FactMatch[] = [];

  /**
   * The row's ordinal among the rows of its key, computed while reading (so that the matching can
   * run per range of rows). A code key's repeats carry the importer's DUPLICATE_KEY; a codeless key
   * (name|raw code|address) is counted here.
   */
  private ordOf(mkey: string, reasons: readonly ImporterReason[]): number {
    if (!mkey.startsWith('N:') && !reasons.some((x) => x.code === 'DUPLICATE_KEY')) return 1;
    const n = (this.ords.get(mkey) ?? (mkey.startsWith('N:') ? 0 : 1)) + 1;
    this.ords.set(mkey, n);
    return n;
  }

  async push(rowNumber: number, r: EntityRecord, reasons: readonly ImporterReason[]) {
    if (this.idle) return;
    if (verdictOf(reasons) === 'warned') this.warnedRows.add(rowNumber);
    if (this.direct) this.track(r, reasons);
    else {
      this.minRn = Math.min(this.minRn, rowNumber);
      this.maxRn = Math.max(this.maxRn, rowNumber);
      this.stagedRows++;
    }
    const mkey = this.direct ? '' : entityMatchKey(r);
    const ord = this.direct ? 0 : this.ordOf(mkey, reasons);
    this.index?.row(rowNumber, mkey, ord, r.regNo, r.uscc !== null);
    this.buf.push([
      ...(this.direct ? [] : [rowNumber, mkey, ord]),
      r.uscc,
      r.regNo,
      r.regNo === null ? null : r.regNoKind,
      r.rawCode,
      r.codeStatus,
      r.name,
      bigrams(r.name),
      r.entityType,
      r.industryCode,
      r.industryName,
      r.regionCode,
      r.street,
      r.address,
      r.legalRep,
      r.registeredCapital,
      r.establishedOn,
      r.status,
      r.phone,
      r.licences,
      r.tags,
      ...(this.direct ? [this.dept === undefined ? [] : [this.dept], this.importId, this.now, this.now] : []),
    ]);
    if (this.buf.length >= COPY_CHUNK) await this.flush();
  }

  /** One COPY in flight while the next chunk is read (PostgreSQL works while we parse). */
  private async flush() {
    const rows = this.buf;
    this.buf = [];
    await this.inflight;
    if (rows.length === 0) return;
    if (this.direct) {
      this.directRows += rows.length;
      this.inflight = copyRows(this.svc.database, this.tx, 'entities', DIRECT_COLUMNS, rows);
    } else this.inflight = copyRows(this.svc.database, this.tx, 'import_stage', STAGE_COLUMNS, rows);
  }

  async finish(mapping: ColumnMapping): Promise<Partial<StoredCounts>> {
    if (this.idle) return {};
    await this.flush();
    await this.inflight;
    const importId = this.importId;
    const dept = this.dept;
    const tx = this.tx;
    if (this.direct) {
      timing('copied');
      if (this.dropped.length && this.svc.database.kind === 'postgres')
        await tx.execute(sql.raw(`set local maintenance_work_mem = '512MB'`));
      for (const i of this.dropped) await tx.execute(sql.raw(i.def));
      timing('indexed');
      await tx.execute(sql.raw('analyze entities'));
      return { created: this.directRows, updated: 0 };
    }
    const q: Q = async <T = Record<string, unknown>>(text: string): Promise<T[]> => {
      const t = Date.now();
      const r = (await tx.execute(sql.raw(text))) as unknown as { rows: T[] };
      if (process.env.CHOUCHA_IMPORT_TIMING && Date.now() - t > 300)
        process.stderr.write(
          `  [import]   ${Date.now() - t} ms: ${text.replace(/\s+/g, ' ').slice(0, 70)}\n`,
        );
      return r.rows;
    };
    const t0 = Date.now();
    const phase = (what: string) => {
      if (process.env.CHOUCHA_IMPORT_TIMING)
        process.stderr.write(`  [import] ${what} ${Date.now() - t0} ms\n`);
    };
    const staged = this.stagedRows;
    if (staged === 0) return { created: 0, updated: 0 };
    const ranges = rangeRunner(this.svc, this.minRn, this.maxRn);
    const existing = this.index?.entities ?? 0;
    phase('staged');
    // the planner needs the directory's statistics (a directory loaded in bulk may have none yet)
    const [{ t: tuples } = { t: 0 }] = await q<{ t: number }>(
      `select reltuples::float8 as t from pg_class where oid = 'entities'::regclass`,
    );
    if (tuples < existing / 2)
      await q('analyze entities (id, uscc, reg_no, name, address, raw_code, merged_into_id)');
    await createMatchTable(q);
    // an empty directory (the first load) has nothing to match
    if (existing > 0 && this.index)
      await matchStaged(
        q,
        (rows) => copyRows(this.svc.database, tx, 'import_match', ['rn', 'id', 'how'], rows),
        this.index,
        phase,
      );
    this.index = undefined;
    const [{ n: updated } = { n: 0 }] = await q<{ n: number }>('select count(*)::int as n from import_match');
    if (!this.facts)
      this.readOnly = (await q<{ rn: number }>('select rn from import_match order by rn')).map((r) => r.rn);
    else if (existing > 0) this.factMatched = await factMatches(q);
    if (this.dryRun) return {};
    if (!this.facts) return this.finishSupervisionOnly(q, ranges, staged, updated);
    const mapped = new Set<string>();
    for (const f of Object.keys(mapping.fields)) for (const c of FIELD_COLUMNS[f] ?? []) mapped.add(c);
    mapped.add('name');
    mapped.add('name_bigrams');
    mapped.add('status'); // the importer defaults it (存续)
    const now = this.now;
    const deptArr = dept === undefined ? `'{}'::int[]` : `array[${dept}]::int[]`;
    if (updated > 0) {
      const sets = [...mapped].map((c) => `${c} = s.${c}`);
      const rowCoded = `(s.uscc is not null or s.reg_no is not null)`;
      const entityCoded = `(e.uscc is not null or e.reg_no is not null)`;
      sets.push(
        `uscc = coalesce(s.uscc, e.uscc)`,
        `reg_no = coalesce(s.reg_no, e.reg_no)`,
        `reg_no_kind = case when s.reg_no is not null then s.reg_no_kind else e.reg_no_kind end`,
        // a damaged code never replaces a good one (nor its raw text); a codeless entity that gets
        // its code keeps no stale damaged text
        `raw_code = case when not ${rowCoded} and not ${entityCoded} then s.raw_code
           when ${rowCoded} and not ${entityCoded} then s.raw_code else e.raw_code end`,
        `code_status = case when e.code_status = 'pilot' and s.code_status = 'check_failed' then 'pilot'
           when not ${rowCoded} and ${entityCoded} then e.code_status
           when s.uscc is null and e.uscc is not null then e.code_status else s.code_status end`,
        dept === undefined
          ? `supervising_dept_ids = e.supervising_dept_ids`
          : `supervising_dept_ids = case when ${dept} = any(e.supervising_dept_ids) then e.supervising_dept_ids else e.supervising_dept_ids || ${dept} end`,
      );
      // only the entities whose facts change are written (a monthly register changes a few in ten;
      // every write also rewrites the row's index entries, the name's bigrams included)
      const cols = sets.map((x) => x.slice(0, x.indexOf(' = ')));
      const exprs = sets.map((x) => x.slice(x.indexOf(' = ') + 3));
      const changed = `row(${cols.map((c) => `e.${c}`).join(', ')}) is distinct from row(${exprs.join(', ')})`;
      sets.push(`import_id = ${importId}`, `updated_at = '${now}'`);
      await ranges((r) =>
        q(`update entities e set ${sets.join(', ')}
          from import_match m join import_stage s on s.rn = m.rn
          where e.id = m.id and m.rn ${r} and ${changed}`),
      );
      phase('updated');
    }
    // 3. the rest are new. A large load into a small table builds the indexes afterwards
    //    (faster than maintaining them row by row), inside the same transaction.
    const created = staged - updated;
    // (on PostgreSQL only: on the embedded database the rebuild is one statement on this thread —
    // ~10 s without a turn for anything else — while ranges of inserts keep the server answering)
    const rebuild = this.svc.database.kind === 'postgres' && created > 100_000 && existing < created;
    const indexes = rebuild ? await dropEntityIndexes(tx) : [];
    const cols = ENTITY_COLUMNS;
    await ranges((r) =>
      q(`insert into entities (${cols.join(', ')}, supervising_dept_ids, import_id, created_at, updated_at)
        select ${cols.map((c) => `s.${c}`).join(', ')}, ${deptArr}, ${importId}, '${now}', '${now}'
        from import_stage s where s.rn ${r}
        ${updated > 0 ? 'and not exists (select 1 from import_match m where m.rn = s.rn)' : ''}`),
    );
    phase('inserted');
    if (indexes.length) {
      if (this.svc.database.kind === 'postgres') await q(`set local maintenance_work_mem = '512MB'`);
      for (const i of indexes) await q(i.def);
      phase('indexed');
    }
    // the embedded database analyses on this thread: the array columns' statistics (bigrams,
    // licences, tags) cost most and change least, and keep their previous values
    await q(
      this.svc.database.kind === 'postgres' || indexes.length
        ? 'analyze entities'
        : `analyze entities (${['id', ...ENTITY_COLUMNS.filter((c) => !['name_bigrams', 'licences', 'tags'].includes(c)), 'supervising_dept_ids', 'risk_class', 'merged_into_id', 'import_id'].join(', ')})`,
    );
    phase('analyzed');
    return { created, updated };
  }

  /**
   * A department (not the lead bureau): the rows naming existing entities add its supervision and
   * change nothing else; the other rows are new entities under its supervision.
   */
  private async finishSupervisionOnly(
    q: Q,
    ranges: ReturnType<typeof rangeRunner>,
    staged: number,
    updated: number,
  ): Promise<Partial<StoredCounts>> {
    const dept = this.dept;
    if (dept === undefined) throw new AppError('FORBIDDEN_DEPARTMENT', 'The import has no department');
    const now = this.now;
    if (updated > 0)
      await ranges((r) =>
        q(`update entities e set
          supervising_dept_ids = e.supervising_dept_ids || ${dept}, updated_at = '${now}'
        from import_match m where e.id = m.id and m.rn ${r} and not (${dept} = any(e.supervising_dept_ids))`),
      );
    const cols = ENTITY_COLUMNS;
    await ranges((r) =>
      q(`insert into entities (${cols.join(', ')}, supervising_dept_ids, import_id, created_at, updated_at)
      select ${cols.map((c) => `s.${c}`).join(', ')}, array[${dept}]::int[], ${this.importId}, '${now}', '${now}'
      from import_stage s where s.rn ${r} and not exists (select 1 from import_match m where m.rn = s.rn)`),
    );
    await q('analyze entities');
    return { created: staged - updated, updated };
  }

  /**
   * Marks the rows that named an existing entity (registration facts not written) in the report:
   * reason ENTITY_FACTS_READ_ONLY, verdict warned; counts follow. A big file's report keeps only its
   * problem rows: the marked rows join it (up to the cap), named from the staging table.
   */
  async markReadOnlyRows(p: Processed<EntityRecord>): Promise<void> {
    if (this.readOnly.length === 0) return;
    const pending = new Set(this.readOnly);
    for (const row of p.rows) {
      if (!pending.has(row.rowNumber)) continue;
      pending.delete(row.rowNumber);
      if (row.verdict !== 'accepted' && row.verdict !== 'warned') continue;
      row.reasons.push(FACTS_READ_ONLY);
      if (row.verdict === 'accepted') {
        row.verdict = 'warned';
        p.counts.accepted--;
        p.counts.warned++;
      }
    }
    const missing = [...pending];
    for (const rn of missing) {
      if (this.warnedRows.has(rn)) continue;
      p.counts.accepted--;
      p.counts.warned++;
    }
    if (missing.length === 0) return;
    const problems = p.rows.filter((r) => r.verdict !== 'accepted').length;
    const room = Math.max(0, REPORT_MAX_PROBLEM_ROWS - problems);
    const add = missing.slice(0, room);
    if (add.length) {
      const r = (await this.tx.execute(
        sql`select rn, name, coalesce(uscc, reg_no, raw_code) as key from import_stage where rn = any(${`{${add.join(',')}}`}::int[])`,
      )) as unknown as { rows: { rn: number; name: string; key: string | null }[] };
      for (const x of r.rows)
        p.rows.push({
          rowNumber: x.rn,
          verdict: 'warned',
          reasons: [FACTS_READ_ONLY],
          key: x.key,
          name: x.name,
        });
      p.rows.sort((a, b) => a.rowNumber - b.rowNumber);
    }
    if (add.length < missing.length) p.scope = 'problems_truncated';
  }

  /**
   * The dry run's and the commit's account of the rows matched by other identity facts than their
   * code (entity-match.ts steps 2 and 3): each such row gets ENTITY_MATCHED_BY_NAME_REG_NO or
   * ENTITY_MATCHED_BY_NAME_ADDRESS naming the entity (verdict warned), and a notice gives the counts
   * and the first rows. A big file's report gains the rows it did not keep (up to the cap).
   */
  async markFactMatches(p: Processed<EntityRecord>): Promise<void> {
    const matched = this.factMatched;
    if (matched.length === 0) return;
    const byRow = new Map<number, StoredReason>();
    for (const m of matched) {
      const code =
        m.how === 'name_reg_no' ? 'ENTITY_MATCHED_BY_NAME_REG_NO' : 'ENTITY_MATCHED_BY_NAME_ADDRESS';
      const def = ROW_REASONS[code];
      byRow.set(m.rn, {
        code,
        severity: def.severity,
        ...(m.entityCode !== null ? { value: m.entityCode } : {}),
        message: `${def.zh}（名录中的主体：${m.entityName}，${m.entityCode ?? '无代码'}）`,
      });
    }
    const reasonCounts = (p as { reasonCounts?: Record<string, number> }).reasonCounts;
    const count = (code: string) => {
      if (reasonCounts) reasonCounts[code] = (reasonCounts[code] ?? 0) + 1;
    };
    const seen = new Set<number>();
    for (const row of p.rows) {
      const why = byRow.get(row.rowNumber);
      if (!why || (row.verdict !== 'accepted' && row.verdict !== 'warned')) continue;
      seen.add(row.rowNumber);
      row.reasons.push(why);
      count(why.code);
      if (row.verdict === 'accepted') {
        row.verdict = 'warned';
        p.counts.accepted--;
        p.counts.warned++;
      }
    }
    const missing = matched.filter((m) => !seen.has(m.rn));
    const room = Math.max(0, REPORT_MAX_PROBLEM_ROWS - p.rows.filter((r) => r.verdict !== 'accepted').length);
    for (const m of missing) {
      const why = byRow.get(m.rn) as StoredReason;
      count(why.code);
      if (!this.warnedRows.has(m.rn)) {
        p.counts.accepted--;
        p.counts.warned++;
      }
    }
    for (const m of missing.slice(0, room))
      p.rows.push({
        rowNumber: m.rn,
        verdict: 'warned',
        reasons: [byRow.get(m.rn) as StoredReason],
        key: m.rowCode,
        name: m.rowName,
      });
    if (missing.length) p.rows.sort((a, b) => a.rowNumber - b.rowNumber);
    if (missing.length > room) p.scope = 'problems_truncated';
    const nRegNo = matched.filter((m) => m.how === 'name_reg_no').length;
    const nAddress = matched.length - nRegNo;
    const sample = matched
      .slice(0, 5)
      .map((m) => `第 ${m.rn} 行 → ${m.entityName}`)
      .join('；');
    const parts = [
      ...(nRegNo ? [`${nRegNo} 行按名称和注册号`] : []),
      ...(nAddress ? [`${nAddress} 行按名称和住所`] : []),
    ];
    p.meta = {
      ...p.meta,
      notices: [
        ...p.meta.notices,
        `代码无法使用（或名录中的主体没有代码）的行中，${parts.join('、')}认定为名录中已有的主体，未新建：${sample}${matched.length > 5 ? ' 等' : ''}`,
      ],
    };
  }

  /** Marks the rows of the report after the match (dry run and commit). */
  async annotate(p: Processed<EntityRecord>): Promise<void> {
    await this.markReadOnlyRows(p);
    await this.markFactMatches(p);
  }
}
