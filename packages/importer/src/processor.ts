import type { ColumnMapping } from './header.ts';
import { reason, verdictOf } from './reasons.ts';
import type { RowReason, Verdict } from './reasons.ts';
import type { SourceRow } from './row.ts';
import { invalidCells } from './text-check.ts';
import { RowView } from './view.ts';
import type { KindSpec, ValidateOptions } from './validate.ts';

export interface RowReport<R = unknown> {
  /** As the spreadsheet shows it. */
  readonly rowNumber: number;
  /**
   * accepted · warned (accepted with warnings) · rejected · merged (a continuation row joined
   * into the item of row `mergedInto`; its content is in that item's record).
   */
  verdict: Verdict;
  readonly reasons: RowReason[];
  /** null when rejected or merged */
  readonly record: R | null;
  readonly key: string | null;
  /** merged rows: the row of the item they continue */
  readonly mergedInto?: number;
  /** item rows: the continuation rows joined into this one */
  readonly mergedRows?: number[];
}

/**
 * Validates rows in order, with the state a list needs: same-as-above fill, duplicate keys
 * (a warning on the later row), and continuation rows joined to the previous item. Every row
 * pushed produces exactly one report, sooner (push) or later (finish), in row order.
 */
export class RowProcessor<R> {
  private readonly seen = new Map<string, number>();
  private lastValues: Record<string, string> | undefined;
  private pending: { report: RowReport<R>; merged: RowReport<R>[] } | undefined;
  /** Kinds with same-as-above columns or continuation rows remember the previous row. */
  private readonly stateful: boolean;

  constructor(
    private readonly spec: KindSpec<R>,
    private readonly mapping: ColumnMapping,
    private readonly opts: ValidateOptions = {},
  ) {
    this.stateful = spec.sameAsAbove.length > 0 || spec.continuation !== undefined;
  }

  push(row: SourceRow): RowReport<R>[] {
    const out: RowReport<R>[] = [];
    // a cell with NUL or a lone surrogate: the row is refused whole, its text never kept
    const bad = invalidCells(row, this.mapping);
    if (bad.length) {
      this.flush(out);
      this.lastValues = undefined;
      out.push({ rowNumber: row.rowNumber, verdict: 'rejected', reasons: bad, record: null, key: null });
      return out;
    }
    const cont = this.spec.continuation;
    if (cont && this.pending && this.pending.report.record !== null && this.isContinuation(row)) {
      const v = new RowView(row, this.mapping);
      cont.merge(this.pending.report.record, v, this.opts);
      v.touchAll();
      const item = this.pending.report;
      const extra: RowReason[] = [];
      for (const r of v.reasons) {
        if (r.severity !== 'info') extra.push({ ...r, zh: `第 ${row.rowNumber} 行：${r.zh}` });
      }
      this.pending.merged.push({
        rowNumber: row.rowNumber,
        verdict: 'merged',
        reasons: [reason('ROW_CONTINUATION', { detail: `并入第 ${item.rowNumber} 行` }), ...v.reasons],
        record: null,
        key: null,
        mergedInto: item.rowNumber,
      });
      item.reasons.push(...extra);
      return out;
    }

    // same as above
    const filled: Record<string, string> = {};
    const fillReasons: RowReason[] = [];
    const probe = this.stateful ? new RowView(row, this.mapping) : undefined;
    if (probe)
      for (const f of this.spec.sameAsAbove) {
        if (!probe.has(f)) continue;
        const prev = this.lastValues?.[f];
        if (probe.own(f) === '' && prev !== undefined && prev !== '') {
          filled[f] = prev;
          fillReasons.push(reason('FILLED_FROM_ABOVE', probe.at(f, prev)));
        }
      }
    const v = new RowView(row, this.mapping, filled);
    const built = this.spec.build(v, this.opts);
    v.touchAll();
    v.reasons.push(...fillReasons);
    let verdict = verdictOf(v.reasons);
    if (verdict !== 'rejected' && built.key !== null) {
      const first = this.seen.get(built.key);
      if (first !== undefined) {
        v.reasons.push(reason('DUPLICATE_KEY', { detail: `与第 ${first} 行重复` }));
        verdict = verdictOf(v.reasons);
      } else this.seen.set(built.key, row.rowNumber);
    }
    if (this.stateful) {
      const values: Record<string, string> = {};
      for (const f of Object.keys(this.mapping.fields)) values[f] = v.text(f);
      this.lastValues = values;
    }

    const report: RowReport<R> = {
      rowNumber: row.rowNumber,
      verdict,
      reasons: v.reasons,
      record: verdict === 'rejected' ? null : built.record,
      key: built.key,
    };
    if (!cont) {
      out.push(report);
      return out;
    }
    this.flush(out);
    this.pending = { report, merged: [] };
    return out;
  }

  /** Reports still held back (the last item, waiting for continuation rows). */
  finish(): RowReport<R>[] {
    const out: RowReport<R>[] = [];
    this.flush(out);
    return out;
  }

  private flush(out: RowReport<R>[]): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const item = p.report;
    if (p.merged.length) {
      const rows = p.merged.map((m) => m.rowNumber);
      item.reasons.push(reason('ITEM_CONTINUED', { detail: `第 ${rows.join('、')} 行` }));
      const mergedRows = rows;
      (item as { mergedRows?: number[] }).mergedRows = mergedRows;
      item.verdict = verdictOf(item.reasons);
      if (item.verdict === 'rejected') (item as { record: R | null }).record = null;
    }
    out.push(item, ...p.merged);
  }

  /**
   * A continuation row: identity fields (序号, 抽查事项) blank or only filled from a merged range,
   * some continuation field (检查依据 …) with its own text, and every other column blank, merged,
   * or repeating the previous row.
   */
  private isContinuation(row: SourceRow): boolean {
    const cont = this.spec.continuation;
    if (!cont) return false;
    const v = new RowView(row, this.mapping);
    const ownText = (f: string): string => (v.note(f) === 'merged' ? '' : v.own(f));
    if (cont.identity.some((f) => ownText(f) !== '')) return false;
    if (!cont.fields.some((f) => ownText(f) !== '')) return false;
    for (const f of Object.keys(this.mapping.fields)) {
      if (cont.fields.includes(f) || cont.identity.includes(f)) continue;
      const t = ownText(f);
      if (t !== '' && t !== this.lastValues?.[f]) return false;
    }
    return true;
  }
}
