import type { Command } from 'commander';
import type { DrawBundle } from '@choucha/core';

/** Exit codes of `choucha verify`. */
export const VERIFY_EXIT = { verified: 0, notVerified: 1, unreadable: 2 } as const;

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The first structural problem of something that should be a bundle, or undefined. */
export function bundleShapeProblem(x: unknown, format: string): string | undefined {
  if (!isObject(x)) return 'the file is not a JSON object';
  if (x['format'] !== format)
    return `it is not a ${format} file (format: ${JSON.stringify(x['format'] ?? null)})`;
  const c = x['commitment'];
  if (!isObject(c)) return '"commitment" is missing or not an object';
  for (const k of ['roster', 'matching', 'seedSource', 'task'])
    if (!isObject(c[k])) return `"commitment.${k}" is missing or not an object`;
  for (const k of ['strata', 'items'])
    if (!Array.isArray(c[k])) return `"commitment.${k}" is missing or not an array`;
  const m = c['matching'] as Record<string, unknown>;
  for (const k of ['inspectors', 'recusals', 'previous'])
    if (!Array.isArray(m[k])) return `"commitment.matching.${k}" is missing or not an array`;
  if (!isObject(m['rules']) || !isObject(m['inspection']))
    return '"commitment.matching.rules" or ".inspection" is missing';
  for (const k of ['commitmentHash', 'roster', 'seed'])
    if (typeof x[k] !== 'string') return `"${k}" is missing or not a string`;
  if (!isObject(x['seedInputs'])) return '"seedInputs" is missing or not an object';
  if (!isObject(x['escalation'])) return '"escalation" is missing or not an object';
  for (const k of ['selection', 'teams'])
    if (!Array.isArray(x[k])) return `"${k}" is missing or not an array`;
  return undefined;
}

function chainName(chainHash: string, known: Record<string, string>): string {
  return known[chainHash] ?? `chain ${chainHash.slice(0, 12)}…`;
}

/** The human summary of a verified bundle. */
export function summarise(
  b: DrawBundle,
  known: Record<string, string>,
  opts: { skipBls: boolean },
): string[] {
  const c = b.commitment;
  const sources: string[] = [];
  if (c.seedSource.dice)
    sources.push(
      `public dice, ${b.seedInputs.dice?.length ?? 0} digits (≥ ${c.seedSource.dice.minDigits}): ${b.seedInputs.dice}`,
    );
  if (c.seedSource.drand)
    sources.push(
      `drand ${chainName(c.seedSource.drand.chainHash, known)} round ${c.seedSource.drand.round} (${
        opts.skipBls ? 'BLS signature NOT checked' : 'BLS signature verified'
      })`,
    );
  const strata = b.selection
    .map(
      (s) =>
        `${s.label} ${s.population} → ${s.size}${b.escalation[s.label] ? ` (+${b.escalation[s.label]} escalated)` : ''}`,
    )
    .join(', ');
  const targets = b.selection.reduce((n, s) => n + s.size, 0);
  const departments = [...new Set(c.items.map((i) => i.department))];
  const used = new Set(b.teams.flatMap((t) => t.teams.flatMap((d) => d.inspectorIds)));
  const w = (label: string) => `  ${label.padEnd(17)}`;
  return [
    `${w('algorithm')}${b.algorithm} (${b.format})`,
    `${w('task')}${c.task.id} ${c.task.name}`,
    `${w('commitment hash')}${b.commitmentHash}`,
    `${w('roster')}${c.roster.size} entities, root ${c.roster.root}`,
    `${w('seed source')}${sources.join(' + ')}`,
    `${w('seed')}${b.seed}`,
    `${w('strata')}${strata}`,
    `${w('targets')}${targets}`,
    `${w('teams')}${b.teams.length} target${b.teams.length === 1 ? '' : 's'} × ${departments.length} department${departments.length === 1 ? '' : 's'} (${departments.join(', ')}), team size ${c.matching.rules.teamSize}, ${used.size} of ${c.matching.inspectors.length} inspectors used`,
  ];
}

/** `choucha verify BUNDLE`: recompute a draw from its bundle (docs/specs/draw-protocol.md). */
export function registerVerifyCommand(program: Command) {
  program
    .command('verify <bundle>')
    .description(
      'Recompute a draw bundle (commitment, seed, selection, teams); exits 0 if it verifies, 1 with the first difference, 2 if the file is unreadable',
    )
    .option(
      '--skip-bls',
      'do not check the drand BLS signature (randomness = SHA-256(signature) is still checked)',
    )
    .action(async (file: string, opts: { skipBls?: boolean }) => {
      const fs = await import('node:fs');
      const core = await import('@choucha/core');
      const say = (s: string) => process.stdout.write(`${s}\n`);
      const unreadable = (why: string) => {
        process.stderr.write(`choucha verify: cannot read ${file}: ${why}\n`);
        process.exitCode = VERIFY_EXIT.unreadable;
      };
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        return unreadable((e as Error).message);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        return unreadable(`not valid JSON (${(e as Error).message})`);
      }
      const problem = bundleShapeProblem(json, core.BUNDLE_FORMAT);
      if (problem) return unreadable(`not a draw bundle: ${problem}`);
      const bundle = json as DrawBundle;
      const skipBls = opts.skipBls === true;
      let r: ReturnType<typeof core.verifyBundle>;
      try {
        r = core.verifyBundle(bundle, { skipBls });
      } catch (e) {
        // A field of the wrong type deep inside (verifyBundle trusts the bundle's shape).
        return unreadable(`malformed draw bundle (${(e as Error).message})`);
      }
      say(`choucha verify ${file}`);
      if (!r.ok) {
        say(`NOT verified (${r.error.code}): ${r.error.message}`);
        const d = r.error.details as { path?: string; expected?: unknown; actual?: unknown } | undefined;
        if (d?.path) {
          say(`  first difference at ${d.path}`);
          if ('actual' in d) say(`    in the bundle:   ${JSON.stringify(d.actual)}`);
          if ('expected' in d) say(`    recomputed:      ${JSON.stringify(d.expected)}`);
        }
        process.exitCode = VERIFY_EXIT.notVerified;
        return;
      }
      const known = {
        [core.DRAND_QUICKNET.chainHash]: 'quicknet',
        [core.DRAND_MAINNET.chainHash]: 'mainnet (default chain)',
      };
      for (const line of summarise(bundle, known, { skipBls })) say(line);
      say('verified');
      process.exitCode = VERIFY_EXIT.verified;
    });
}
