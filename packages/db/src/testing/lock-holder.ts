/**
 * Test fixture: a separate process that holds the data-dir lock (or opens the whole embedded
 * database) until it is told to stop or killed. Usage:
 *   node --import tsx lock-holder.ts <dataDir> '<LockOptions as JSON>' [--database]
 * Prints "held <pid>" on stdout once the lock is taken; SIGTERM releases it and exits 0.
 */
import { acquireDataDirLock, type LockOptions } from '../lock.ts';
import { openDatabase } from '../database.ts';

const [dir, json = '{}', mode] = process.argv.slice(2);
if (!dir) throw new Error('usage: lock-holder.ts <dataDir> [options-json] [--database]');
const opts = JSON.parse(json) as LockOptions;
let release: () => Promise<void>;
if (mode === '--database') {
  const database = await openDatabase({ dataDir: dir, command: 'lock-holder --database', lock: opts });
  release = () => database.close();
} else {
  const lock = await acquireDataDirLock(dir, 'lock-holder', opts);
  release = async () => lock.release();
}
const keepAlive = setInterval(() => undefined, 1_000); // the lock's own timers are unref'd
process.stdout.write(`held ${process.pid}\n`);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  void release().then(() => process.exit(0));
});
