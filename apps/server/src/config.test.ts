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
