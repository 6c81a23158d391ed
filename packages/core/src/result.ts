/** Expected failures are values, not exceptions (see docs/architecture.md). */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** For bugs only: a broken invariant, never a user mistake. */
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(`Invariant: ${message}`);
}

export function assertNever(value: never): never {
  throw new Error(`Invariant: unexpected value ${JSON.stringify(value)}`);
}
