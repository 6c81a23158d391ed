/**
 * Test fixture for the kill -9 tests (crash.test.ts): a separate process that opens the same
 * database (embedded data dir or PostgreSQL) and runs one long write, reporting on stdout how far it
 * got, so that the parent can SIGKILL it mid-way.
 *
 *   node --import tsx crash-child.ts '<json Job>'
 *
 * Lines on stdout: "started", then "progress <rows>" (imports), "in-transaction" when the freeze
 * point is reached (see `freezeAt`), "done <json>" when it finished (the parent treats that as the
 * kill having come too late).
 */
import fs from 'node:fs';
import { openDatabase } from '@choucha/db';
import { makeServices, SYSTEM } from '../context.ts';
import { runImport } from '../imports/index.ts';
import { revealDraw } from '../draws.ts';

export type Job = {
  databaseUrl?: string;
  dataDir?: string;
  /**
   * 'audit': when the operation records its audit event — the last step inside its transaction,
   * after every row has been written — the process says "in-transaction" and stops there (blocked,
   * transaction open) until it is killed. 'none': it runs to the end.
   */
  freezeAt: 'audit' | 'none';
} & ({ op: 'import'; csv: string } | { op: 'reveal'; drawId: number; dice: string });

const say = (s: string) => fs.writeSync(1, `${s}\n`); // synchronous: the parent sees it before we stop

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const database = await openDatabase({
  databaseUrl: job.databaseUrl,
  dataDir: job.dataDir,
  command: `crash-child ${job.op}`,
});
const base = makeServices(database, { mode: 'test' });
const svc = {
  ...base,
  clock: () => {
    // recordEvent (audit.ts) reads the clock for the event's time, right before inserting it
    if (job.freezeAt === 'audit' && new Error().stack?.includes('recordEvent')) {
      say('in-transaction');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // stop here for good
    }
    return base.clock();
  },
};
say('started');
if (job.op === 'import') {
  const r = await runImport(svc, SYSTEM, {
    kind: 'entities',
    fileName: 'crash.csv',
    path: job.csv,
    commit: true,
    onProgress: (done) => say(`progress ${done}`),
  });
  say(`done ${JSON.stringify({ status: r.status, counts: r.counts })}`);
} else {
  const d = await revealDraw(svc, SYSTEM, job.drawId, { dice: job.dice });
  say(`done ${JSON.stringify({ status: d.status, targets: d.targets.length })}`);
}
await database.close();
