import { afterEach, expect, it, vi } from 'vitest';
import { users } from '@choucha/db';
import { openTestDatabase } from './testing.ts';
import { makeServices } from './context.ts';
import { DEMO_PASSWORD, ensureProductionSafe } from './demo.ts';
import { hashPassword, login } from './auth.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  vi.restoreAllMocks();
});

it('a production start refuses while an account has the demo password', async () => {
  const t = await openTestDatabase();
  cleanup = t.cleanup;
  const svc = makeServices(t.database, { mode: 'production' });
  await t.database.db.insert(users).values({
    username: 'scjg',
    displayName: 'x',
    role: 'leader',
    passwordHash: await hashPassword(svc, DEMO_PASSWORD),
  });
  await expect(ensureProductionSafe(svc)).rejects.toThrow(/demo password: scjg/);
});

it('a first production start creates an admin with a one-time password that must be changed', async () => {
  const t = await openTestDatabase();
  cleanup = t.cleanup;
  const svc = makeServices(t.database, { mode: 'production' });
  let printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    printed += String(s);
    return true;
  });
  await ensureProductionSafe(svc);
  const password = /one-time password (\S+)/.exec(printed)?.[1];
  expect(password).toBeDefined();
  const { user } = await login(svc, { username: 'admin', password: password!, ip: '127.0.0.1' });
  expect(user.mustChangePassword).toBe(true);
  expect(user.role).toBe('joint_admin');
});
