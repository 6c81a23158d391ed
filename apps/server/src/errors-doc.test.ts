import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { renderErrorsDoc } from './errors-doc.ts';

it('docs/errors.md is generated from the error table (run `npm run docs:errors`)', () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/errors.md');
  expect(fs.readFileSync(file, 'utf8')).toBe(renderErrorsDoc());
});
