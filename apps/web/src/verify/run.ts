/**
 * Runs `verifyBundleBytes` on a bundle file's bytes in a Web Worker (verify.worker.ts), so that the
 * page stays responsive; falls back to the main thread when a worker cannot be started (an old
 * browser, a worker script that failed to load). The core is loaded on demand either way.
 */
import type { VerifyOutcome } from '@choucha/core';

export interface WorkerRequest {
  id: number;
  bytes: ArrayBuffer;
}
export type WorkerAnswer =
  | { id: number; outcome: VerifyOutcome; ms: number; error?: undefined }
  | { id: number; error: string; outcome?: undefined };

export interface VerifyRun {
  outcome: VerifyOutcome;
  ms: number;
  /** where it ran: a worker, or the page itself */
  where: 'worker' | 'main';
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }>();

function startWorker(): Worker | null {
  if (worker) return worker;
  if (typeof Worker === 'undefined') return null;
  try {
    const w = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<WorkerAnswer>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      p?.resolve(e.data);
    };
    w.onerror = (e) => {
      e.preventDefault();
      // a worker that cannot load (or crashed): every waiting run goes to the main thread
      for (const p of pending.values()) p.reject(new Error(e.message || 'worker failed'));
      pending.clear();
      w.terminate();
      worker = null;
    };
    worker = w;
    return w;
  } catch {
    return null;
  }
}

async function onMainThread(bytes: Uint8Array): Promise<VerifyRun> {
  const { verifyBundleBytes } = await import('@choucha/core');
  // let a spinner paint before the synchronous recomputation
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  const outcome = verifyBundleBytes(bytes);
  return { outcome, ms: Math.round(performance.now() - started), where: 'main' };
}

/** Verifies the bytes of a bundle file (JSON, UTF-8). Never throws for a bad bundle: see `verdict`. */
export async function verifyBytes(bytes: Uint8Array): Promise<VerifyRun> {
  const w = startWorker();
  if (w) {
    const copy = bytes.slice();
    try {
      const id = nextId++;
      const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, bytes: copy.buffer } satisfies WorkerRequest, [copy.buffer]);
      });
      if (answer.outcome) return { outcome: answer.outcome, ms: answer.ms, where: 'worker' };
      throw new Error(answer.error);
    } catch {
      // fall through: the page does it
    }
  }
  return onMainThread(bytes);
}
