/**
 * Verifies a bundle's bytes off the main thread (a 1-million-entity bundle takes seconds): the
 * page posts `{ id, bytes }` (the ArrayBuffer transferred), the worker answers `{ id, outcome, ms }`
 * or `{ id, error }`. `verifyBundleBytes` (@choucha/core) reads v1 and v2 bundles, strictly.
 */
import { verifyBundleBytes } from '@choucha/core';
import type { WorkerAnswer, WorkerRequest } from './run.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage: (m: WorkerAnswer) => void;
};

scope.onmessage = (e) => {
  const { id, bytes } = e.data;
  const started = performance.now();
  try {
    const outcome = verifyBundleBytes(new Uint8Array(bytes));
    scope.postMessage({ id, outcome, ms: Math.round(performance.now() - started) });
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
