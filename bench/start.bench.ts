/**
 * `start`: seconds from launching `choucha start` to a healthy server with the demo district —
 * the first start (migrations + loading the demo district with its year of history) and a restart.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function startOnce(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'apps/cli/bin/choucha.js'), 'start', '--port', '0'],
    {
      env: { ...process.env, CHOUCHA_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}`)));
  });
  for (;;) {
    const r = await fetch(`${url}/api/health`).catch(() => undefined);
    if (r?.ok) break;
    await new Promise((r2) => setTimeout(r2, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return seconds;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-bench-start-'));
try {
  const first = await startOnce(dir);
  const restart = await startOnce(dir);
  process.stdout.write(
    `${JSON.stringify({ bench: 'start', db: 'embedded', firstStartWithDemoSeconds: +first.toFixed(1), restartSeconds: +restart.toFixed(1) })}\n`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
