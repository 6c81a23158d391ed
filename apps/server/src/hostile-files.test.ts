/**
 * Hostile uploads through the API (issue 7 §5): a zip bomb is refused with its code and the
 * process does not swell; while a big workbook is parsed, the server keeps answering.
 */
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { entityXlsx, zipBombXlsx } from '@choucha/importer/testkit';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';

let w: TestWorld;
let app: FastifyInstance;
let cookie = '';

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-hostile-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (fileName: string, data: Buffer) => {
  const m = multipart(fileName, data);
  return app.inject({
    method: 'POST',
    url: '/api/imports?kind=entities',
    payload: m.payload,
    headers: { ...m.headers, cookie },
  });
};

beforeAll(async () => {
  w = await openTestWorld({ entities: 10 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 8 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  cookie = String(res.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('hostile uploads', () => {
  it('a zip bomb (1 GiB in about 1 MiB) → 413 IMPORT_FILE_TOO_COMPLEX, and the process RSS stays put', async () => {
    const bomb = await zipBombXlsx(1 << 30);
    const before = process.resourceUsage().maxRSS * 1024;
    const res = await upload('bomb.xlsx', bomb);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('IMPORT_FILE_TOO_COMPLEX');
    expect(process.resourceUsage().maxRSS * 1024 - before).toBeLessThan(128 << 20);
  });

  it('GET /api/health is answered while a big workbook is being parsed', async () => {
    const file = await entityXlsx(20_000);
    const events: string[] = [];
    let health: Promise<void> | undefined;
    const onStart = () => {
      events.push('parse started');
      health = app.inject({ url: '/api/health' }).then((r) => {
        events.push(`health ${r.statusCode}`);
      });
    };
    const onEnd = () => events.push('parse ended');
    diagnostics.subscribe('choucha:import:parse-start', onStart);
    diagnostics.subscribe('choucha:import:parse-end', onEnd);
    try {
      const res = await upload('big.xlsx', file);
      expect(res.statusCode).toBe(200);
      expect(res.json().counts.rows).toBe(20_000);
      await health;
    } finally {
      diagnostics.unsubscribe('choucha:import:parse-start', onStart);
      diagnostics.unsubscribe('choucha:import:parse-end', onEnd);
    }
    // the dry run re-reads nothing; one parse, and the health answer came inside it
    expect(events).toEqual(['parse started', 'health 200', 'parse ended']);
  });
});
