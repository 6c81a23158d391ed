import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { commitEntityImport, dryRunEntityImport, SYSTEM } from '@choucha/services';
import { progressBar } from '../progress.ts';
import { withServices } from '../context.ts';

export function registerImportCommands(program: Command) {
  const imp = program.command('import').description('Import directories from spreadsheets');
  imp
    .command('entities <file>')
    .description(
      'Import market entities from a .csv/.xlsx/.xls file: prints the dry-run report, then commits with --commit',
    )
    .option('--commit', 'write the accepted rows (in one transaction)')
    .option('--report <file>', 'write the per-row report as JSON')
    .action(async (file: string, opts: { commit?: boolean; report?: string }) => {
      const data = fs.readFileSync(file);
      await withServices('import entities', async (svc) => {
        const bar = progressBar('import');
        bar(0, 2);
        const dry = await dryRunEntityImport(svc, SYSTEM, { name: path.basename(file), data });
        bar(1, 2);
        const c = dry.counts;
        process.stdout.write(
          `Rows ${c.rows}: accepted ${c.accepted}, with warning ${c.warned}, rejected ${c.rejected}\n`,
        );
        for (const r of dry.rows.filter((x) => x.verdict === 'rejected').slice(0, 20)) {
          process.stdout.write(
            `  row ${r.rowNumber}: ${r.reasons.map((x) => `${x.field ?? ''} ${x.message}`).join('; ')}\n`,
          );
        }
        if (opts.report) fs.writeFileSync(opts.report, JSON.stringify(dry.rows, null, 1));
        if (opts.commit) {
          const done = await commitEntityImport(svc, SYSTEM, dry.id);
          bar(2, 2);
          process.stdout.write(`Committed: ${JSON.stringify(done.counts)}\n`);
        } else {
          bar(2, 2);
          process.stdout.write('Dry run only; run again with --commit to write.\n');
        }
      });
    });
}
