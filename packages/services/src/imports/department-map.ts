/**
 * Department names in a file, resolved against the directory (full name, short name, code,
 * aliases, the district's own forms — @choucha/core resolveDepartmentName) and the user's mapping.
 *
 * A name that does not resolve is never filed under a department nobody chose: its rows are
 * rejected (DEPARTMENT_UNMAPPED) and the dry run lists it with its row count, for the user to map
 * to one department, several (co-leads), or "skip". A committed single-department mapping is
 * saved as an alias of that department, so the next file resolves by itself.
 */
import { eq, sql } from 'drizzle-orm';
import {
  AppError,
  createDepartmentNameResolver,
  foldDepartmentName,
  splitDepartmentCell,
  type DepartmentNameResolution,
  type DepartmentNameVia,
} from '@choucha/core';
import { departments, settings, type Tx } from '@choucha/db';
import { mayWriteDepartment } from '../access.ts';
import type { Actor, Services } from '../context.ts';

/** The user's mapping: name as in the file → the local department(s), or 'skip' (reject those rows). */
export type DepartmentMap = Readonly<Record<string, readonly number[] | 'skip'>>;

export interface UnresolvedDepartmentName {
  /** the name as the file writes it (one part of a co-lead cell) */
  name: string;
  /** the importer field (departmentName, leadDepartmentName, cooperatingDepartmentNames) */
  field: string;
  header: string;
  /** data rows naming it */
  rows: number;
  /** the first few row numbers */
  sampleRows: number[];
  /** 'none': nothing matched; 'ambiguous': several departments match equally */
  kind: 'none' | 'ambiguous';
  candidates: { id: number; name: string }[];
  /** whether several departments may be chosen (co-leads); an inspector belongs to one */
  multiple: boolean;
}

export interface MappedDepartmentName {
  name: string;
  field: string;
  rows: number;
  departmentIds: number[] | 'skip';
}

export interface ResolvedDepartmentName {
  name: string;
  departmentId: number;
  via: DepartmentNameVia;
  rows: number;
}

/** Stored with the import (imports.mapping.departmentNames) and returned by the API. */
export interface DepartmentNamesReport {
  unresolved: UnresolvedDepartmentName[];
  mapped: MappedDepartmentName[];
  resolved: ResolvedDepartmentName[];
}

/** One name of a cell, decided. */
export type NameOutcome =
  | { kind: 'ids'; ids: number[]; mapped: boolean }
  | { kind: 'skip' }
  | { kind: 'unresolved'; resolution: DepartmentNameResolution };

const SAMPLE_ROWS = 10;

interface Dept {
  id: number;
  name: string;
  shortName: string;
  code: string;
  aliases: string[];
}

/** The organisation's place names (settings 'organisation': province, city, district). */
async function placeNames(db: Tx | Services['database']['db']): Promise<string[]> {
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, 'organisation'))
    .limit(1);
  if (!row) return [];
  try {
    const v = JSON.parse(row.value) as Record<string, { name?: unknown } | undefined> | null;
    return ['province', 'city', 'district']
      .map((k) => v?.[k]?.name)
      .filter((n): n is string => typeof n === 'string' && n.trim() !== '');
  } catch {
    return [];
  }
}

/** Validates a mapping from a request body or a CSV (shape, department ids, the actor's scope). */
export function normaliseDepartmentMap(
  input: unknown,
  known: ReadonlyMap<number, { name: string }>,
  actor: Actor,
): Map<string, number[] | 'skip'> {
  const out = new Map<string, number[] | 'skip'>();
  if (input === undefined || input === null) return out;
  if (typeof input !== 'object' || Array.isArray(input))
    throw new AppError('IMPORT_DEPARTMENT_MAP_INVALID', 'departmentMap must be an object', {
      field: 'departmentMap',
    });
  for (const [name, v] of Object.entries(input as Record<string, unknown>)) {
    const key = foldDepartmentName(name);
    if (key === '')
      throw new AppError('IMPORT_DEPARTMENT_MAP_INVALID', 'A mapped name is empty', {
        field: 'departmentMap',
      });
    if (v === 'skip') {
      out.set(key, 'skip');
      continue;
    }
    const ids = typeof v === 'number' ? [v] : v;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => Number.isInteger(x) && x > 0))
      throw new AppError(
        'IMPORT_DEPARTMENT_MAP_INVALID',
        `The mapping of "${name}" must be department ids or "skip"`,
        { field: 'departmentMap', name },
      );
    for (const id of ids as number[]) {
      if (!known.has(id))
        throw new AppError('IMPORT_DEPARTMENT_MAP_INVALID', `No active department ${id}`, {
          field: 'departmentMap',
          name,
          departmentId: id,
        });
      if (!mayWriteDepartment(actor, id))
        throw new AppError(
          'IMPORT_DEPARTMENT_MAP_FORBIDDEN',
          `"${name}" may only be mapped to the uploader's own department`,
          { name, departmentId: id },
        );
    }
    out.set(key, [...new Set(ids as number[])]);
  }
  return out;
}

export class DepartmentNames {
  private readonly unresolved = new Map<string, UnresolvedDepartmentName>();
  private readonly mappedUse = new Map<string, MappedDepartmentName>();
  private readonly resolvedUse = new Map<string, ResolvedDepartmentName>();

  private constructor(
    readonly byId: ReadonlyMap<number, Dept>,
    private readonly resolve: (name: string) => DepartmentNameResolution,
    readonly map: ReadonlyMap<string, number[] | 'skip'>,
  ) {}

  static async load(
    db: Tx | Services['database']['db'],
    actor: Actor,
    map?: DepartmentMap | undefined,
  ): Promise<DepartmentNames> {
    const rows = await db
      .select({
        id: departments.id,
        name: departments.name,
        shortName: departments.shortName,
        code: departments.code,
        aliases: departments.aliases,
      })
      .from(departments)
      .where(eq(departments.active, true));
    const byId = new Map(rows.map((d) => [d.id, d]));
    const resolve = createDepartmentNameResolver(rows, { placeNames: await placeNames(db) });
    return new DepartmentNames(byId, resolve, normaliseDepartmentMap(map, byId, actor));
  }

  /** Whether a text is a department name known as a whole (the directory or the mapping). */
  knows(text: string): boolean {
    return this.map.has(foldDepartmentName(text)) || this.resolve(text).kind === 'match';
  }

  /** The names of a cell: co-leads split, a known name containing 、 kept whole. */
  split(cell: string): string[] {
    return splitDepartmentCell(cell, (t) => this.knows(t));
  }

  /** Decide one name (the user's mapping first, then the directory); noted for the report. */
  outcome(
    name: string,
    at: { field: string; header: string; rowNumber: number; multiple: boolean },
  ): NameOutcome {
    const key = foldDepartmentName(name);
    const m = this.map.get(key);
    const noteKey = `${at.field}\u0000${key}`;
    if (m !== undefined) {
      const use = this.mappedUse.get(noteKey) ?? { name, field: at.field, rows: 0, departmentIds: m };
      use.rows++;
      this.mappedUse.set(noteKey, use);
      return m === 'skip'
        ? { kind: 'skip' }
        : { kind: 'ids', ids: at.multiple ? m : m.slice(0, 1), mapped: true };
    }
    const r = this.resolve(name);
    if (r.kind === 'match') {
      const use = this.resolvedUse.get(noteKey) ?? { name, departmentId: r.id, via: r.via, rows: 0 };
      use.rows++;
      this.resolvedUse.set(noteKey, use);
      return { kind: 'ids', ids: [r.id], mapped: false };
    }
    const u = this.unresolved.get(noteKey) ?? {
      name,
      field: at.field,
      header: at.header,
      rows: 0,
      sampleRows: [],
      kind: r.kind,
      candidates:
        r.kind === 'ambiguous'
          ? r.ids.map((id) => ({ id, name: this.byId.get(id)?.name ?? String(id) }))
          : [],
      multiple: at.multiple,
    };
    u.rows++;
    if (u.sampleRows.length < SAMPLE_ROWS && !u.sampleRows.includes(at.rowNumber))
      u.sampleRows.push(at.rowNumber);
    this.unresolved.set(noteKey, u);
    return { kind: 'unresolved', resolution: r };
  }

  report(): DepartmentNamesReport {
    const byRows = <T extends { rows: number; name: string }>(a: T, b: T) =>
      b.rows - a.rows || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return {
      unresolved: [...this.unresolved.values()].sort(byRows),
      mapped: [...this.mappedUse.values()].sort(byRows),
      resolved: [...this.resolvedUse.values()].sort(byRows),
    };
  }
}

/**
 * At commit: each name mapped to ONE department becomes an alias of it (unless the department
 * already carries that name). Returns what was added, for the audit event.
 */
export async function saveMappedAliases(
  tx: Tx,
  report: DepartmentNamesReport,
  now: Date,
): Promise<{ departmentId: number; alias: string }[]> {
  const added: { departmentId: number; alias: string }[] = [];
  const seen = new Set<string>();
  for (const m of report.mapped) {
    if (m.departmentIds === 'skip' || m.departmentIds.length !== 1) continue;
    const departmentId = m.departmentIds[0]!;
    const alias = m.name.trim();
    const key = `${departmentId}\u0000${foldDepartmentName(alias)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [d] = await tx
      .select({
        name: departments.name,
        shortName: departments.shortName,
        code: departments.code,
        aliases: departments.aliases,
      })
      .from(departments)
      .where(eq(departments.id, departmentId))
      .for('update');
    if (!d) continue;
    const folded = foldDepartmentName(alias);
    if ([d.name, d.shortName, d.code, ...d.aliases].some((t) => foldDepartmentName(t) === folded)) continue;
    await tx
      .update(departments)
      .set({ aliases: sql`array_append(${departments.aliases}, ${alias})`, updatedAt: now })
      .where(eq(departments.id, departmentId));
    added.push({ departmentId, alias });
  }
  return added;
}
