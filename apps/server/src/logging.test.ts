import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { LOG_FILE_BASENAME, openLogSink, terminalLine } from './logging.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-logs-'));
  dirs.push(d);
  return d;
}
const line = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ level, time: Date.UTC(2026, 2, 1, 2, 0, 0), msg, ...extra })}\n`;
const logFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${LOG_FILE_BASENAME}.`) && f.endsWith('.log'))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));

describe('the log sink', () => {
  it('writes every line to the file and only warnings and errors to the terminal', async () => {
    const dir = tempDir();
    const shown: string[] = [];
    const sink = await openLogSink(dir, { terminal: { write: (s: string) => shown.push(s) } });
    sink.stream.write(
      line(30, 'incoming request', { reqId: 'req-1', req: { method: 'GET', url: '/api/health' } }),
    );
    sink.stream.write(line(30, 'request completed', { reqId: 'req-1' }));
    sink.stream.write(line(40, 'slow bundle', { reqId: 'req-2', req: { method: 'GET', url: '/api/x' } }));
    sink.stream.write(line(50, 'boom', { err: { message: 'disk full', code: 'ENOSPC' } }));
    await sink.close();
    expect(shown).toEqual([
      '2026-03-01T02:00:00.000Z WARN slow bundle (GET /api/x) [req-2]\n',
      '2026-03-01T02:00:00.000Z ERROR boom — ENOSPC: disk full\n',
    ]);
    expect(logFiles(dir)).toEqual([`${LOG_FILE_BASENAME}.1.log`]);
    const written = fs
      .readFileSync(path.join(dir, `${LOG_FILE_BASENAME}.1.log`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(written).toEqual(['incoming request', 'request completed', 'slow bundle', 'boom']);
    // current.log points at the active file (no symlink on Windows)
    const link = path.join(dir, 'current.log');
    const windows = process.platform === 'win32';
    expect(windows ? null : fs.readlinkSync(link)).toBe(windows ? null : `${LOG_FILE_BASENAME}.1.log`);
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dir = tempDir();
    const sink = await openLogSink(dir, { size: '1k', keep: 3, terminal: { write: () => undefined } });
    const padding = 'x'.repeat(200);
    for (let i = 0; i < 100; i++) {
      sink.stream.write(line(30, `request ${i}`, { padding }));
      // let the file roll between writes, as requests arrive over time
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 200)); // old files are removed asynchronously
    await sink.close();
    const files = logFiles(dir);
    expect(files.length).toBe(4); // the active file and the 3 before it
    // the newest lines survive, the oldest were deleted with their files
    const all = files.flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    );
    expect(all.at(-1)).toBe('request 99');
    expect(all).not.toContain('request 0');
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThan(1024 + 300);
  });

  it('"-" logs JSON to stdout, for platforms that collect it', async () => {
    const sink = await openLogSink('-');
    expect(sink.stream).toBe(process.stdout);
    expect(sink.dir).toBeUndefined();
  });

  it('formats an unparseable line as it is', () => {
    expect(terminalLine('not json')).toBe('not json\n');
  });
});

describe('CHOUCHA_LOG_DIR', () => {
  it('defaults to logs/ in the data directory, and accepts "-"', () => {
    expect(loadConfig({ CHOUCHA_DATA_DIR: '/srv/choucha' }).logDir).toBe(path.resolve('/srv/choucha/logs'));
    expect(loadConfig({ CHOUCHA_LOG_DIR: '/var/log/choucha' }).logDir).toBe(path.resolve('/var/log/choucha'));
    expect(loadConfig({ CHOUCHA_LOG_DIR: '-' }).logDir).toBe('-');
  });
});
