/**
 * The public draw page verifies bundles in the browser with verifyBundle(). This bundles the core
 * for the browser (condition "browser", as Vite does; esbuild comes with tsx) and runs it in a bare
 * context with no Buffer, process or require: nothing Node-only may be on that path.
 */
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildCommitment, runDraw } from './index.ts';
import { FIXTURE_SEED_INPUTS, fixtureInput } from './fixture.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('verifyBundle in the browser', () => {
  it('bundles without Node built-ins and verifies (and rejects) a bundle in a bare context', async () => {
    const out = await build({
      stdin: {
        contents: `export { verifyBundle } from ${JSON.stringify(path.join(here, '../index.ts'))};`,
        resolveDir: here,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      conditions: ['browser'],
      format: 'iife',
      globalName: 'choucha',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((f) => f.endsWith('sha256.browser.ts'))).toBe(true);
    expect(inputs.filter((f) => f.endsWith('sha256.node.ts') || f.startsWith('node:'))).toEqual([]);
    const c = buildCommitment(fixtureInput());
    if (!c.ok) throw new Error(c.error.message);
    const b = runDraw(c.value, FIXTURE_SEED_INPUTS);
    if (!b.ok) throw new Error(b.error.message);
    const bundle = structuredClone(b.value);
    const ctx = vm.createContext({ TextEncoder, TextDecoder, bundle, result: undefined as unknown });
    vm.runInContext(`${out.outputFiles[0]!.text}\nresult = choucha.verifyBundle(bundle);`, ctx);
    expect(ctx['result']).toMatchObject({ ok: true, value: { seed: b.value.seed, selected: 17 } });
    bundle.teams[0]!.teams[0]!.inspectorIds[0] = 'E001';
    vm.runInContext('result = choucha.verifyBundle(bundle);', ctx);
    expect(ctx['result']).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BUNDLE_MISMATCH', details: { path: '$.teams[0].teams[0].inspectorIds[0]' } },
    });
  });
});
