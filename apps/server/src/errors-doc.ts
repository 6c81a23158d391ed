import { ERROR_TABLE } from '@choucha/core';

/** docs/errors.md, generated from the one error table (`npm run docs:errors`). */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_TABLE).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${e.zh} | ${e.en} |`,
  );
  return [
    '# Error codes',
    '',
    'Every error the API returns is `{ "code", "message", "requestId", "details"? }` with the HTTP status below.',
    'The code is stable; the message says specifically what went wrong (which row, which field, why) and',
    '`details` carries the machine-readable specifics. User mistakes are never answered with 500; an `INTERNAL`',
    'error is logged on the server with its `requestId`.',
    '',
    'Generated from `packages/core/src/errors.ts` by `npm run docs:errors`; a test keeps it in step.',
    '',
    '| code | HTTP | 含义 | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('errors-doc.ts')) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/errors.md');
  fs.writeFileSync(out, renderErrorsDoc());
  process.stdout.write(`wrote ${out}\n`);
}
