/**
 * bundle-serve: a draw over a roster of BENCH_ROSTER entities (default 330,000), then 8 concurrent
 * anonymous downloads of its public bundle over HTTP while /api/health is polled; prints the
 * health latency (p50 / max) and the download times.
 *
 * Two rounds: `rebuild` does what every download did before the bundle was stored (read the draw,
 * its targets and teams, build the bundle, JSON.stringify it — the old handler's work, minus the
 * socket), 8 at once; `stored-gzip` and `stored-identity` are real downloads of the stored bundle
 * (gzip as stored; gunzipped on the fly for a client without gzip). Each round downloads from its
 * own loopback address (127.0.0.x), so the per-IP rate limit does not get in the way.
 * Embedded PGlite (the default deployment).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyRows } from '@choucha/db';
import { bigrams } from '@choucha/core';
import { commitDraw, createTask, drawBundle, revealDraw } from '@choucha/services';
import { openTestWorld, testUscc } from '@choucha/services/testing';
import { buildApp } from '../apps/server/src/app.ts';

const log = (s: string) => process.stderr.write(`${s}\n`);
const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const N = Number(process.env.BENCH_ROSTER ?? 330_000);
const CONCURRENT = 8;

function get(
  port: number,
  path: string,
  opts: { gzip?: boolean; localAddress?: string } = {},
): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        headers: opts.gzip ? { 'accept-encoding': 'gzip' } : {},
        agent: false,
      },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

const r1 = (x: number) => Math.round(x * 10) / 10;
function summary(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: r1(s[Math.floor(s.length / 2)] ?? 0), max: r1(s[s.length - 1] ?? 0) };
}

/** Poll /api/health one request after another until `work` settles. */
async function underHealthPolling(port: number, work: () => Promise<number[]>) {
  let done = false;
  const health: number[] = [];
  const poller = (async () => {
    while (!done) {
      health.push((await get(port, '/api/health')).ms);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const downloads = await work().finally(() => {
    done = true;
  });
  const wallMs = performance.now() - t0;
  await poller;
  return { health: summary(health), downloads: summary(downloads), wallMs: Math.round(wallMs) };
}

async function main() {
  const w = await openTestWorld({ entities: 0 });
  try {
    let t = performance.now();
    const classes = ['A', 'B', 'B', 'B', 'C', 'D'];
    const rows = function* () {
      for (let i = 0; i < N; i++) {
        const name = `碑林区测试${['餐饮', '商贸', '科技', '培训'][i % 4]}企业${i}号`;
        yield [
          testUscc(i),
          'valid',
          name,
          `{${bigrams(name)
            .map((b) => `"${b}"`)
            .join(',')}}`,
          '有限责任公司',
          ['张家村街道', '柏树林街道'][i % 2] as string,
          '存续',
          classes[i % classes.length] as string,
          `{${w.dept.scjg}}`,
        ];
      }
    };
    await copyRows(
      w.database,
      w.database.db,
      'entities',
      [
        'uscc',
        'code_status',
        'name',
        'name_bigrams',
        'entity_type',
        'street',
        'status',
        'risk_class',
        'supervising_dept_ids',
      ],
      rows(),
    );
    log(`bundle-serve: ${N} entities in ${Math.round(performance.now() - t)} ms`);
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: 'bench bundle-serve',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      sampling: { classes: { A: 0.002, B: 0.005, C: 0.01, D: 0.02 } },
    });
    t = performance.now();
    const draw = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    const commitMs = performance.now() - t;
    t = performance.now();
    const drawn = await revealDraw(w.svc, w.actors.scjg, draw.id, { dice: '31415926535897932384' });
    const revealMs = performance.now() - t;
    log(`bundle-serve: commit ${Math.round(commitMs)} ms, reveal (bundle stored) ${Math.round(revealMs)} ms`);
    const [stored] = await w.database.query<{ size: number; gz: number }>(
      'select size, length(gzip) as gz from draw_bundles where draw_id = $1',
      [draw.id],
    );

    const app = await buildApp({
      services: w.svc,
      config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
      logger: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const url = `/api/public/draws/${draw.id}/bundle`;
    try {
      // the bundle as every download built it before it was stored
      const rebuild = await underHealthPolling(port, () =>
        Promise.all(
          Array.from({ length: CONCURRENT }, async () => {
            const t0 = performance.now();
            JSON.stringify(await drawBundle(w.svc, draw.id, { publicView: true }));
            return performance.now() - t0;
          }),
        ),
      );
      const round = (gzip: boolean, localAddress: string) =>
        underHealthPolling(port, () =>
          Promise.all(
            Array.from({ length: CONCURRENT }, async () => {
              const r = await get(port, url, { gzip, localAddress });
              if (r.status !== 200) throw new Error(`bundle download answered ${r.status}`);
              return r.ms;
            }),
          ),
        );
      const gz = await round(true, '127.0.0.2');
      const identity = await round(false, '127.0.0.3');
      out({
        bench: 'bundle-serve',
        db: w.database.kind,
        roster: draw.rosterSize,
        targets: drawn.targets.length,
        jsonMiB: r1((stored?.size ?? 0) / 2 ** 20),
        gzipMiB: r1((stored?.gz ?? 0) / 2 ** 20),
        commitMs: Math.round(commitMs),
        revealMs: Math.round(revealMs),
        concurrent: CONCURRENT,
        rebuild,
        storedGzip: gz,
        storedIdentity: identity,
      });
    } finally {
      await app.close();
    }
  } finally {
    await w.cleanup();
  }
}

await main();
