import type { Command } from 'commander';

/** `choucha verify BUNDLE`: recompute a draw from its bundle (docs/specs/draw-protocol.md). */
export function registerVerifyCommand(program: Command) {
  program
    .command('verify <bundle>')
    .description(
      'Recompute a draw bundle (selection and teams); exits 0 if it verifies, 1 with the first difference',
    )
    .action(async (file: string) => {
      const fs = await import('node:fs');
      const { verifyBundle } = await import('@choucha/core');
      const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof verifyBundle>[0];
      const r = verifyBundle(bundle);
      if (r.ok) {
        process.stdout.write(`verified: ${file}\n`);
      } else {
        process.stdout.write(`NOT verified: ${r.error.message}\n`);
        process.exitCode = 1;
      }
    });
}
