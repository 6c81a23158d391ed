import { expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

it('validates every setting at start-up and names each bad one', () => {
  expect(loadConfig({}).port).toBe(3000);
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CHOUCHA_MODE: 'prod' });
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as ConfigError).message;
    expect(msg).toMatch(/PORT="eighty"/);
    expect(msg).toMatch(/DATABASE_URL="mysql:\/\/x": must start with postgres/);
    expect(msg).toMatch(/CHOUCHA_MODE="prod"/);
    expect((e as ConfigError).problems).toHaveLength(3);
  }
});

it('CHOUCHA_TRUST_PROXY: none by default; a list of addresses or CIDR ranges; anything else named', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ CHOUCHA_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  expect(loadConfig({ CHOUCHA_TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
  expect(
    loadConfig({ CHOUCHA_TRUST_PROXY: '10.0.0.0/8, ::1,fd00::/8,192.168.0.0/255.255.0.0,loopback' })
      .trustProxy,
  ).toEqual(['10.0.0.0/8', '::1', 'fd00::/8', '192.168.0.0/255.255.0.0', 'loopback']);
  for (const [value, reason] of [
    ['true', /trusting every proxy/],
    ['2', /hop counts are not supported/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33"/],
    ['proxy.example, 10.0.0.1', /"proxy\.example"/],
    ['10.0.0.1,', /""/],
  ] as const) {
    try {
      loadConfig({ CHOUCHA_TRUST_PROXY: value });
      expect.unreachable(value);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(1);
      expect((e as ConfigError).problems[0]).toContain(`CHOUCHA_TRUST_PROXY=${JSON.stringify(value)}: `);
      expect((e as ConfigError).problems[0]).toMatch(reason);
    }
  }
});

it('the session cookie is Secure by default in production mode, unless CHOUCHA_COOKIE_SECURE=false', () => {
  expect(loadConfig({}).cookieSecure).toBe(false);
  expect(loadConfig({ CHOUCHA_MODE: 'production' }).cookieSecure).toBe(true);
  expect(loadConfig({ CHOUCHA_MODE: 'production', CHOUCHA_COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
  expect(loadConfig({ CHOUCHA_MODE: 'development', CHOUCHA_COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
});
