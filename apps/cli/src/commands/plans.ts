/**
 * `choucha plans open-due [--today DATE]`: open every plan batch whose window has opened (the
 * server does it daily too; services/campaigns/plans-schedule.ts). Prints what was opened, missed
 * (window already ended) and refused (with the error code); exits 1 when one was refused, 2 on bad
 * input.
 */
import type { Command } from 'commander';
import { ERROR_TABLE, isAppError } from '@choucha/core';
import { chinaDate, openDueBatches } from '@choucha/services';
import { withServices } from '../context.ts';

export function registerPlanCommands(program: Command) {
  const plans = program.command('plans').description('Annual plans (年度抽查计划) and their batches');
  plans
    .command('open-due')
    .description(
      'Open the batches of approved plans whose window has opened into tasks (as the server does daily)',
    )
    .option('--today <DATE>', 'the date to open for (YYYY-MM-DD; default: today in China)')
    .action(async (opts: { today?: string }) => {
      if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) {
        const row = ERROR_TABLE.VALIDATION_FAILED;
        process.stderr.write(`VALIDATION_FAILED: ${row.en} (--today ${opts.today})\n${row.zh}\n`);
        process.exitCode = 2;
        return;
      }
      await withServices('plans open-due', async (svc) => {
        try {
          const r = await openDueBatches(svc, opts.today ?? chinaDate(svc.clock()));
          const lines = [
            `Plan batches due on ${r.today}: ${r.opened.length} opened, ${r.missed.length} missed, ${r.failed.length} refused.`,
            ...r.opened.map(
              (o) => `  opened  batch ${o.batchId} (plan ${o.planId}) ${o.name} → task ${o.taskId}`,
            ),
            ...r.missed.map(
              (m) => `  missed  batch ${m.batchId} (plan ${m.planId}) ${m.name}: window ended ${m.windowEnd}`,
            ),
            ...r.failed.map(
              (f) =>
                `  refused batch ${f.batchId} (plan ${f.planId}) ${f.name}: ${f.code} ${f.message}\n          ${ERROR_TABLE[f.code as keyof typeof ERROR_TABLE]?.zh ?? ''}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
          if (r.failed.length > 0) process.exitCode = 1;
        } catch (e) {
          if (!isAppError(e)) throw e;
          process.stderr.write(`${e.code}: ${e.message}\n${ERROR_TABLE[e.code].zh}\n`);
          process.exitCode = 2;
        }
      });
    });
}
