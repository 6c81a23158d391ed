/**
 * Sessions and login over HTTP (issue 7, §3): which proxies are trusted, the trusted-device cookie,
 * the security headers and the same-origin rule for state-changing requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp, type AppOptions } from './app.ts';
import { loadConfig } from './config.ts';

let w: TestWorld;
const apps: FastifyInstance[] = [];
async function app(config: Partial<AppOptions['config']> = {}): Promise<FastifyInstance> {
  const a = await buildApp({
    services: w.svc,
    config: {
      cookieSecure: false,
      uploadLimitBytes: 1 << 20,
      webDist: '/nonexistent',
      logLevel: 'silent',
      ...config,
    },
    logger: false,
  });
  apps.push(a);
  return a;
}
beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await w?.cleanup();
});
let clock = Date.parse('2026-03-01T02:00:00Z');
beforeEach(async () => {
  await w.database.query('delete from login_throttle');
  clock += 24 * 3600 * 1000;
  w.setNow(new Date(clock).toISOString());
});

const loginAs = (
  a: FastifyInstance,
  username: string,
  password: string,
  opts: { remoteAddress?: string; headers?: Record<string, string> } = {},
) =>
  a.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });

async function lastFailureIp(username: string): Promise<unknown> {
  const [row] = await w.database.query<{ after: { ip: string } }>(
    `select "after" from audit_events where action = 'auth.login_failed' and subject_id = $1
     order by seq desc limit 1`,
    [username],
  );
  return row?.after.ip;
}

describe('client address behind proxies', () => {
  it('by default X-Forwarded-For changes neither the throttled nor the audited address', async () => {
    const a = await app({ trustProxy: loadConfig({}).trustProxy });
    for (let i = 0; i < 5; i++) {
      const r = await loginAs(a, 'leader', 'wrong-password', {
        remoteAddress: '10.20.30.40',
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      expect(r.statusCode).toBe(401);
    }
    expect(await lastFailureIp('leader')).toBe('10.20.30.40');
    // A new forged address each time does not escape the per-client limit.
    const sixth = await loginAs(a, 'leader', 'wrong-password', {
      remoteAddress: '10.20.30.40',
      headers: { 'x-forwarded-for': '203.0.113.77' },
    });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
    expect(sixth.headers['retry-after']).toBe('30');
  });

  it('with CHOUCHA_TRUST_PROXY=127.0.0.1 the proxy-reported address is used, from that proxy only', async () => {
    const a = await app({ trustProxy: loadConfig({ CHOUCHA_TRUST_PROXY: '127.0.0.1' }).trustProxy });
    await loginAs(a, 'scjg', 'wrong-password', {
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.23' },
    });
    expect(await lastFailureIp('scjg')).toBe('198.51.100.23');
    await loginAs(a, 'scjg', 'wrong-password', {
      remoteAddress: '10.20.30.41',
      headers: { 'x-forwarded-for': '198.51.100.24' },
    });
    expect(await lastFailureIp('scjg')).toBe('10.20.30.41');
  });
});

describe('trusted-device cookie', () => {
  it('keeps the real user logging in while an attacker fails from other addresses', async () => {
    const a = await app();
    const first = await loginAs(a, 'admin', TEST_PASSWORD, { remoteAddress: '192.0.2.10' });
    expect(first.statusCode).toBe(200);
    const setCookies = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
    const device = setCookies.find((c) => c.startsWith('choucha_device='));
    expect(device).toMatch(/HttpOnly/);
    expect(device).toMatch(/SameSite=Strict/);
    expect(device).toMatch(/Path=\/api\/auth\/login/);
    for (let i = 0; i < 40; i++) {
      await loginAs(a, 'admin', `guess-${i}`, { remoteAddress: `198.51.100.${1 + (i % 8)}` });
    }
    // An untrusted browser is slowed by the account-wide limit ...
    expect((await loginAs(a, 'admin', TEST_PASSWORD, { remoteAddress: '192.0.2.11' })).statusCode).toBe(429);
    // ... the user's own browser is not.
    const real = await loginAs(a, 'admin', TEST_PASSWORD, {
      remoteAddress: '192.0.2.11',
      headers: { cookie: device!.split(';')[0]! },
    });
    expect(real.statusCode).toBe(200);
    expect(real.json().user.username).toBe('admin');
  });
});

describe('headers', () => {
  it('sends CSP, frame-ancestors, nosniff and Referrer-Policy; no HSTS on plain http', async () => {
    const a = await app();
    const r = await a.inject({ method: 'GET', url: '/api/health' });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('same-origin');
    expect(r.headers['strict-transport-security']).toBeUndefined();
    // Also on errors and on the SPA's non-API pages.
    const missing = await a.inject({ method: 'GET', url: '/api/nowhere' });
    expect(missing.headers['content-security-policy']).toBe(csp);
    expect((await a.inject({ method: 'GET', url: '/tasks' })).headers['x-frame-options']).toBe('DENY');
  });

  it('sends HSTS and Secure cookies when the cookie is secure (production default)', async () => {
    const a = await app({ cookieSecure: loadConfig({ CHOUCHA_MODE: 'production' }).cookieSecure });
    const r = await a.inject({ method: 'GET', url: '/api/health' });
    expect(r.headers['strict-transport-security']).toBe('max-age=15552000');
    expect(String(r.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    const login = await loginAs(a, 'leader', TEST_PASSWORD);
    const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/; Secure/);
  });
});

describe('same-origin rule for state-changing requests', () => {
  const post = (a: FastifyInstance, headers: Record<string, string>) =>
    a.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: TEST_PASSWORD },
      headers: { host: 'choucha.example', ...headers },
    });

  it('refuses a cross-site Origin or Sec-Fetch-Site with ORIGIN_REJECTED', async () => {
    const a = await app();
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'https://choucha.example.evil.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.choucha.example' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const r = await post(a, headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json()).toMatchObject({ code: 'ORIGIN_REJECTED' });
    }
    // Every method that changes state, on any API path (checked before routing and sessions).
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const r = await a.inject({ method, url: '/api/tasks/1', headers: { origin: 'https://evil.example' } });
      expect(r.json()).toMatchObject({ code: 'ORIGIN_REJECTED' });
    }
  });

  it('accepts the same origin, and clients that send neither header (CLI, scripts)', async () => {
    const a = await app();
    expect((await post(a, { origin: 'https://choucha.example' })).statusCode).toBe(200);
    expect(
      (await post(a, { 'sec-fetch-site': 'same-origin', origin: 'https://choucha.example' })).statusCode,
    ).toBe(200);
    // Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site still says same-origin.
    expect(
      (await post(a, { 'sec-fetch-site': 'same-origin', origin: 'https://other.example' })).statusCode,
    ).toBe(200);
    expect((await post(a, {})).statusCode).toBe(200);
    // Reads are not state-changing: a cross-site GET is answered (CORS keeps its body from the page).
    const get = await a.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(get.statusCode).toBe(200);
  });
});
