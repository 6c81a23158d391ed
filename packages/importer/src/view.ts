import type { ColumnMapping } from './header.ts';
import { reason } from './reasons.ts';
import type { RowReason } from './reasons.ts';
import type { CellNote, SourceRow } from './row.ts';

/** Read a source row through a mapping: trimmed text per field, with cell-level reasons collected once. */
export class RowView {
  readonly reasons: RowReason[] = [];
  /** Fields whose cell notes were already reported (created on first need: this class is hot). */
  private checked: Set<string> | undefined;

  constructor(
    readonly row: SourceRow,
    readonly mapping: ColumnMapping,
    /** Values filled from the row above, by field. */
    private readonly filled: Readonly<Record<string, string>> = {},
  ) {}

  has(field: string): boolean {
    return field in this.mapping.fields;
  }

  header(field: string): string | undefined {
    return this.mapping.fields[field]?.header;
  }

  note(field: string): CellNote | undefined {
    const m = this.mapping.fields[field];
    return m ? this.row.notes?.[m.column] : undefined;
  }

  /** The cell's own text (no same-as-above fill), trimmed. */
  own(field: string): string {
    const m = this.mapping.fields[field];
    if (!m) return '';
    return (this.row.cells[m.column] ?? '').trim();
  }

  /** Trimmed text; '' for unmapped columns and error values. Reports formula / error cells once. */
  text(field: string): string {
    const filled = this.filled[field];
    if (filled !== undefined) return filled;
    const m = this.mapping.fields[field];
    if (!m) return '';
    const note = this.row.notes?.[m.column];
    const raw = (this.row.cells[m.column] ?? '').trim();
    if (note && note !== 'number' && note !== 'merged' && note !== 'date' && !this.checked?.has(field)) {
      (this.checked ??= new Set()).add(field);
      const at = { field, header: m.header };
      if (note === 'formula_no_value') this.reasons.push(reason('FORMULA_NO_VALUE', at));
      else if (note === 'formula') this.reasons.push(reason('FORMULA_CACHED', { ...at, value: raw }));
      else if (note === 'error_value') this.reasons.push(reason('CELL_ERROR_VALUE', { ...at, value: raw }));
    }
    if (note === 'error_value') return '';
    return raw;
  }

  /** text(), or null when blank. */
  opt(field: string): string | null {
    const t = this.text(field);
    return t === '' ? null : t;
  }

  at(
    field: string,
    value?: string,
    detail?: string,
  ): { field: string; header?: string; value?: string; detail?: string } {
    const header = this.header(field);
    return {
      field,
      ...(header !== undefined ? { header } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(detail !== undefined ? { detail } : {}),
    };
  }

  /** Every mapped field's text (used for same-as-above and continuation checks). */
  touchAll(): void {
    for (const f of Object.keys(this.mapping.fields)) this.text(f);
  }
}
