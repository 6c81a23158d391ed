/**
 * The web app imports @choucha/core: the calendar (with the package data) must bundle for the
 * browser without Node built-ins and work in a bare context.
 */
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the calendar in the browser', () => {
  it('bundles without Node built-ins and counts across National Day 2023 in a bare context', async () => {
    const out = await build({
      stdin: {
        contents: `export { BUILTIN_CALENDAR, deadlineState } from ${JSON.stringify(path.join(here, 'index.ts'))};`,
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
    expect(inputs.filter((f) => f.startsWith('node:'))).toEqual([]);
    expect(inputs.some((f) => f.endsWith('chinese-days/dist/chinese-days.json'))).toBe(true);
    const ctx: Record<string, unknown> = {};
    vm.createContext(ctx);
    vm.runInContext(
      `${out.outputFiles[0]!.text}; globalThis.r = [choucha.BUILTIN_CALENDAR.addWorkingDays('2023-09-28', 1), choucha.BUILTIN_CALENDAR.hasYear(2027), choucha.deadlineState('2023-10-13', '2023-10-08', choucha.BUILTIN_CALENDAR).remaining];`,
      ctx,
    );
    expect(ctx['r']).toEqual(['2023-10-07', false, 5]);
  });
});
