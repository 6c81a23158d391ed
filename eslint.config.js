// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      '**/.tmp/**',
      'packages/db/migrations/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': 'off',
    },
  },
  {
    // Type-aware rules: an unawaited promise loses its error (and, in a transaction, its audit event).
    files: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  // The layers (docs/architecture.md): each package may import only from the layers below it.
  ...layer('packages/api', [
    '@choucha/db',
    '@choucha/services',
    '@choucha/server',
    '@choucha/importer',
    '@choucha/demo',
    'pg',
    'drizzle-orm',
    'drizzle-orm/*',
    'fastify',
    '@fastify/*',
    'node:*',
  ]),
  ...layer('packages/db', [
    '@choucha/services',
    '@choucha/services/*',
    '@choucha/server',
    '@choucha/importer',
    '@choucha/demo',
    '@choucha/api',
    'fastify',
    '@fastify/*',
    'react',
  ]),
  ...layer('packages/importer', [
    '@choucha/db',
    '@choucha/services',
    '@choucha/services/*',
    '@choucha/server',
    '@choucha/api',
    'pg',
    'drizzle-orm',
    'drizzle-orm/*',
    'fastify',
    '@fastify/*',
    'react',
  ]),
  ...layer('packages/demo', [
    '@choucha/db',
    '@choucha/services',
    '@choucha/services/*',
    '@choucha/server',
    '@choucha/importer',
    '@choucha/api',
    'pg',
    'drizzle-orm',
    'drizzle-orm/*',
    'fastify',
    '@fastify/*',
    'react',
  ]),
  ...layer('packages/services', [
    '@choucha/server',
    '@choucha/api',
    'fastify',
    '@fastify/*',
    'react',
    'antd',
  ]),
  // The server reaches the database only through services (opening it at start-up is the one exception).
  ...layer(
    'apps/server',
    ['pg', 'drizzle-orm', 'drizzle-orm/*', '@electric-sql/*', 'react', 'antd'],
    ['apps/server/src/server.ts'],
  ),
  ...layer('apps/cli', [
    'pg',
    'drizzle-orm',
    'drizzle-orm/*',
    '@electric-sql/*',
    '@choucha/api',
    'react',
    'antd',
  ]),
  ...layer('apps/web', [
    '@choucha/db',
    '@choucha/services',
    '@choucha/services/*',
    '@choucha/server',
    '@choucha/importer',
    '@choucha/demo',
    'pg',
    'drizzle-orm',
    'drizzle-orm/*',
    'fastify',
    '@fastify/*',
    'node:*',
  ]),
  {
    // The domain core is pure: no I/O, no clock, no ambient randomness.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:fs*',
            'node:net',
            'node:http*',
            'node:child_process',
            '@choucha/db',
            '@choucha/services',
            'pg',
            'fastify',
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The core takes randomness as an argument.' },
        { object: 'Date', property: 'now', message: 'The core takes time as an argument.' },
      ],
    },
  },
);

/** A layer's forbidden imports (its tests and testing helpers may reach lower test support). */
function layer(dir, forbidden, extraIgnores = []) {
  return [
    {
      files: [`${dir}/src/**/*.{ts,tsx}`],
      ignores: [`${dir}/src/**/*.test.ts`, ...extraIgnores],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: forbidden.map((group) => ({
              group: [group],
              message: `${dir} may not import ${group} (docs/architecture.md)`,
            })),
          },
        ],
      },
    },
  ];
}
