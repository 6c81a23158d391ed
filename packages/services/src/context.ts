import { randomBytes } from 'node:crypto';
import type { Database } from '@choucha/db';
import type { Role } from '@choucha/db';

/** Who is acting. The anonymous public has no id and no department. */
export type Actor =
  | {
      kind: 'user';
      id: number;
      username: string;
      displayName: string;
      role: Role;
      departmentId: number | null;
    }
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string };

export const SYSTEM: Actor = { kind: 'system', name: 'system' };
export const ANONYMOUS: Actor = { kind: 'anonymous' };

/**
 * Everything a service needs from the outside world is passed in: the database, the clock and
 * a source of randomness (for session tokens only — draws take their randomness from the public seed).
 */
export interface Services {
  readonly database: Database;
  readonly clock: () => Date;
  readonly randomBytes: (n: number) => Buffer;
  /** 'production' refuses default passwords. */
  readonly mode: 'production' | 'development' | 'test';
}

export function makeServices(database: Database, opts: Partial<Omit<Services, 'database'>> = {}): Services {
  return {
    database,
    clock: opts.clock ?? (() => new Date()),
    randomBytes: opts.randomBytes ?? ((n) => randomBytes(n)),
    mode: opts.mode ?? 'development',
  };
}

export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.username;
    case 'anonymous':
      return 'anonymous';
    case 'system':
      return actor.name;
  }
}
