import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError, isAppError } from '@choucha/core';
import {
  importReportXlsx,
  parseDepartmentMapCsv,
  resolveDepartmentArg,
  runImport,
  SYSTEM,
  type ImportKindName,
} from '@choucha/services';
import { progressBar } from '../progress.ts';
import { withServices } from '../context.ts';

const KINDS: Record<string, { kind: ImportKindName; what: string }> = {
  entities: { kind: 'entities', what: 'market entities (检查对象名录)' },
  inspectors: { kind: 'inspectors', what: 'inspectors (执法检查人员名录)' },
  items: { kind: 'items', what: 'the inspection-item list (抽查事项清单; a change makes a new edition)' },
  'joint-items': { kind: 'joint_items', what: 'the joint item list (部门联合抽查事项清单)' },
};

interface Opts {
  sheet?: string;
  commit?: boolean;
  report?: string;
  edition?: string;
  department?: string;
  departmentMap?: string;
  json?: boolean;
}

type ImportView = Awaited<ReturnType<typeof runImport>>;

/** The report as ONE JSON object (`--json`): counts, per-reason counts, department names, columns. */
export function importJson(r: ImportView) {
  const names = r.departmentNames;
  return {
    ok: true,
    id: r.id,
    kind: r.kind,
    status: r.status,
    fileName: r.fileName,
    sheet: r.sheet,
    counts: r.counts,
    reasonCounts: r.reasonCounts,
    unmatchedDepartments: (names?.unresolved ?? []).map((u) => ({
      name: u.name,
      field: u.field,
      rows: u.rows,
      sampleRows: u.sampleRows,
      kind: u.kind,
      candidates: u.candidates,
    })),
    mappedDepartments: names?.mapped ?? [],
    columns: r.columns,
    reportNote: r.reportNote,
    rejectedRows: r.rows
      .filter((x) => x.verdict === 'rejected')
      .slice(0, 50)
      .map((x) => ({
        rowNumber: x.rowNumber,
        reasons: x.reasons
          .filter((y) => y.severity === 'error')
          .map((y) => ({ code: y.code, message: y.message })),
      })),
  };
}

export function registerImportCommands(program: Command) {
  const imp = program.command('import').description('Import directories and item lists from spreadsheets');
  for (const [name, { kind, what }] of Object.entries(KINDS)) {
    imp
      .command(`${name} <file>`)
      .description(
        `Import ${what} from a .csv/.xlsx/.xls file: a dry run, or with --commit the rows are written`,
      )
      .option('--sheet <name>', 'the sheet to read when the workbook has several (name or 0-based index)')
      .option('--commit', 'write the accepted rows (one transaction; re-importing updates)')
      .option('--report <file.xlsx>', 'write the per-row report as .xlsx')
      .option('--edition <name>', 'items / joint items: the new edition’s name (default <year>版)')
      .option('--department <id|code>', 'the department the rows belong to when the file does not say')
      .option(
        '--department-map <MAP.csv>',
        'department names of the file → local department codes (CSV: name in the file, code; several codes separated by ;, or skip)',
      )
      .option('--json', 'print the dry-run or commit report as one JSON object on stdout')
      .action(async (file: string, opts: Opts) => {
        try {
          await run(file, opts);
        } catch (e) {
          if (opts.json && isAppError(e))
            process.stdout.write(
              `${JSON.stringify({ ok: false, error: { code: e.code, message: e.message, details: e.details ?? null } })}\n`,
            );
          throw e;
        }
      });
    const run = async (file: string, opts: Opts) => {
      if (!fs.existsSync(file)) throw new AppError('IMPORT_FILE_EMPTY', `No such file: ${file}`);
      if (opts.departmentMap !== undefined && !fs.existsSync(opts.departmentMap))
        throw new AppError('IMPORT_DEPARTMENT_MAP_FILE_INVALID', `No such file: ${opts.departmentMap}`, {
          line: 0,
        });
      await withServices(`import ${name}`, async (svc) => {
        const departmentId =
          opts.department !== undefined ? await resolveDepartmentArg(svc, opts.department) : undefined;
        const departmentMap =
          opts.departmentMap !== undefined
            ? await parseDepartmentMapCsv(
                svc,
                fs.readFileSync(opts.departmentMap),
                path.basename(opts.departmentMap),
              )
            : undefined;
        const size = fs.statSync(file).size;
        // rows are not known in advance for a CSV: estimate from the size, then correct
        let estimate = Math.max(1, Math.round(size / 150));
        const bar = opts.json ? () => undefined : progressBar(opts.commit ? 'import' : 'check');
        const r = await runImport(svc, SYSTEM, {
          kind,
          fileName: path.basename(file),
          path: file,
          commit: opts.commit === true,
          ...(opts.sheet !== undefined
            ? { sheet: /^\d+$/.test(opts.sheet) ? Number(opts.sheet) : opts.sheet }
            : {}),
          ...(opts.edition !== undefined ? { editionName: opts.edition } : {}),
          ...(departmentId !== undefined ? { departmentId } : {}),
          ...(departmentMap !== undefined ? { departmentMap } : {}),
          onProgress: (done, total) => {
            if (total !== null) estimate = total;
            else if (done >= estimate) estimate = Math.round(done * 1.1);
            bar(Math.min(done, estimate), estimate);
          },
        });
        const c = r.counts;
        bar(c.rows, c.rows);
        if (opts.report) fs.writeFileSync(opts.report, await importReportXlsx(svc, SYSTEM, r.id));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(importJson(r))}\n`);
          return;
        }
        const out = (s: string) => process.stdout.write(`${s}\n`);
        out(`Import #${r.id} (${r.status}) ${r.fileName}${r.sheet ? ` [${r.sheet}]` : ''}`);
        out(
          `Rows ${c.rows}: accepted ${c.accepted}, with warning ${c.warned}, rejected ${c.rejected}` +
            (c.merged ? `, merged into the item above ${c.merged}` : '') +
            (c.blank ? ` (blank rows skipped: ${c.blank})` : ''),
        );
        if (r.status === 'committed') {
          const parts = [
            c.created !== undefined ? `created ${c.created}` : null,
            c.updated !== undefined ? `updated ${c.updated}` : null,
            c.unchanged !== undefined ? `unchanged ${c.unchanged}` : null,
            c.editions !== undefined ? `new editions ${c.editions}` : null,
          ].filter(Boolean);
          out(`Committed: ${parts.join(', ')}`);
        }
        const rejected = r.rows.filter((x) => x.verdict === 'rejected');
        if (rejected.length) out('First rejected rows:');
        for (const x of rejected.slice(0, 20)) {
          for (const reason of x.reasons.filter((y) => y.severity === 'error'))
            out(`  row ${x.rowNumber}  ${reason.header ?? reason.field ?? ''}  ${reason.message}`);
        }
        const unresolved = r.departmentNames?.unresolved ?? [];
        if (unresolved.length) {
          out('Department names not in the directory (map them with --department-map MAP.csv, or skip):');
          for (const u of unresolved)
            out(`  ${u.name}  ${u.rows} row${u.rows === 1 ? '' : 's'} (rows ${u.sampleRows.join(', ')})`);
        }
        if (r.reportNote) out(r.reportNote);
        if (opts.report) out(`Report written to ${opts.report}`);
        if (r.status !== 'committed') out(`Dry run only; run again with --commit to write.`);
      });
    };
  }
}
