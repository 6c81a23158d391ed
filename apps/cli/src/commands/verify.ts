import type { Command } from 'commander';
import type * as CoreModule from '@choucha/core';
import type { BundleV2, DrawBundle, PublicBundleV2, ReceiptV2, VerifyOutcome } from '@choucha/core';

/** Exit codes of `choucha verify` (draw-protocol v2 §12). */
export const VERIFY_EXIT = { verified: 0, notVerified: 1, unreadable: 2 } as const;

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function chainName(chainHash: string, known: Record<string, string>): string {
  return known[chainHash] ?? `chain ${chainHash.slice(0, 12)}…`;
}

const w = (label: string) => `  ${label.padEnd(17)}`;

/** The human summary of a verified v1 bundle (unchanged from v1). */
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

/** What a public bundle cannot show and only the supervisor's full bundle can (§1, §12 step 4.9). */
export const PUBLIC_VIEW_LIMITS =
  "public view: each entity's stratum, the tickets of the entities not selected, the selection per stratum, " +
  'the escalation rounds per stratum, and the pool and exclusions from the real inspectors (matching.root) ' +
  'were NOT checked: only the supervisor\'s full bundle (view "full") can check them';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The human summary of a verified v2 bundle. */
export function summariseV2(b: BundleV2, o: VerifyOutcome, known: Record<string, string>): string[] {
  const c = b.commitment;
  const sources: string[] = [];
  if (c.seedSource.dice)
    sources.push(
      `public dice, ${c.seedSource.dice.digits} digits committed${
        b.seedInputs?.dice != null ? `: ${b.seedInputs.dice}` : ' (not yet rolled)'
      }`,
    );
  if (c.seedSource.drand) {
    const bls =
      b.stage === 'committed'
        ? 'not yet drawn'
        : o.blsChecked
          ? 'BLS signature verified'
          : 'BLS signature NOT checked (randomness = SHA-256(signature) checked)';
    sources.push(
      `drand ${chainName(c.seedSource.drand.chainHash, known)} (${c.seedSource.drand.scheme}) round ${c.seedSource.drand.round} (${bls})`,
    );
  }
  const lines = [
    `${w('format')}${b.format}, ${b.view === 'full' ? "full view (the supervisor's bundle)" : 'public view'}`,
    `${w('task')}${c.task.id} ${c.task.name}`,
    `${w('attempt')}${c.attempt}${
      c.predecessor === null
        ? ' (first draw)'
        : `, redraw of the attempt with commitment hash ${c.predecessor}`
    }`,
    `${w('commitment hash')}${b.commitmentHash}`,
    `${w('audit anchor')}seq ${c.audit.seq}, hash ${c.audit.hash}`,
    `${w('stage')}${b.stage}`,
  ];
  if (b.supersededBy !== null)
    lines.push(
      `${w('superseded by')}${b.supersededBy} (as the services say; the successor's predecessor is what binds, not checked here)`,
    );
  lines.push(
    `${w('roster')}${c.roster.size} entities, root ${c.roster.root}, openings root ${c.roster.openingsRoot}`,
    `${w('seed source')}${sources.join(' + ')}`,
  );
  if (b.seed !== null) lines.push(`${w('seed')}${b.seed}`);
  lines.push(`${w('strata')}${c.strata.map((s) => `${s.label} ${s.population} → ${s.size}`).join(', ')}`);
  if (b.escalations.length > 0)
    lines.push(`${w('escalations')}${b.escalations.map((n, i) => `round ${i + 1}: +${n}`).join(', ')}`);
  if (b.selection !== null) lines.push(`${w('targets')}${o.targets ?? b.selection.length}`);
  const departments = [...new Set(c.items.map((i) => i.department))].sort();
  const pool = c.matching.pool.length;
  if (b.teams !== null) {
    const used = new Set(b.teams.flatMap((t) => t.teams.flatMap((d) => d.inspectors)));
    lines.push(
      `${w('teams')}${plural(b.teams.length, 'target')} × ${plural(departments.length, 'department')} (${departments.join(', ')}), team size ${c.matching.rules.teamSize}, ${used.size} of ${pool} pseudonymous inspectors in the pool used`,
    );
  } else if (b.infeasible !== null) {
    lines.push(
      `${w('infeasible')}${plural(b.infeasible.length, 'target/department pair')} without a full team: ${b.infeasible
        .map((p) => `${p.key} ${p.department}`)
        .join(', ')}`,
    );
  } else if (b.stage === 'drawn') lines.push(`${w('teams')}matching not run yet`);
  if (b.view === 'public') lines.push(`${w('not checked')}${PUBLIC_VIEW_LIMITS}`);
  return lines;
}

/** One file's result, as `--json` prints it (one line per file). */
export interface FileResult {
  file: string;
  verdict: 'verified' | 'rejected' | 'unreadable';
  exit: 0 | 1 | 2;
  code: string | null;
  path: string | null;
  message: string | null;
  stage: string | null;
  view: 'public' | 'full' | null;
  blsChecked: boolean | null;
}

export function fileResult(file: string, o: VerifyOutcome): FileResult {
  return {
    file,
    verdict: o.verdict,
    exit: o.exit,
    code: o.code ?? null,
    path: o.path ?? null,
    message: o.message ?? null,
    stage: o.stage ?? null,
    view: o.view ?? null,
    blsChecked: o.blsChecked ?? null,
  };
}

function unreadableOutcome(message: string): VerifyOutcome {
  return { verdict: 'unreadable', exit: VERIFY_EXIT.unreadable, message };
}

/** The lines of a rejection, with the first difference (human output). */
function rejectionLines(o: VerifyOutcome): string[] {
  const lines = [`NOT verified (${o.code ?? 'unknown'}): ${o.message ?? ''}`];
  if (o.path) {
    lines.push(`  first difference at ${o.path}`);
    if ('actual' in o) lines.push(`    in the bundle:   ${JSON.stringify(o.actual)}`);
    if ('expected' in o) lines.push(`    recomputed:      ${JSON.stringify(o.expected)}`);
  }
  return lines;
}

type Core = typeof CoreModule;

function knownChains(core: Core): Record<string, string> {
  return {
    [core.DRAND_QUICKNET.chainHash]: 'quicknet',
    [core.DRAND_MAINNET.chainHash]: 'mainnet (default chain)',
  };
}

/** Reads and verifies one file; never throws. */
function verifyFile(
  core: Core,
  readFile: (f: string) => Uint8Array,
  file: string,
  skipBls: boolean,
): { outcome: VerifyOutcome; bytes: Uint8Array | null } {
  let bytes: Uint8Array;
  try {
    bytes = readFile(file);
  } catch (e) {
    return { outcome: unreadableOutcome((e as Error).message), bytes: null };
  }
  try {
    return { outcome: core.verifyBundleBytes(bytes, { skipBls }), bytes };
  } catch (e) {
    // A verifier bug must not look like a verdict on the file.
    return { outcome: unreadableOutcome(`internal error: ${(e as Error).message}`), bytes };
  }
}

/** Human output of one file's verification. */
function humanLines(
  core: Core,
  file: string,
  o: VerifyOutcome,
  bytes: Uint8Array | null,
  skipBls: boolean,
): { out: string[]; err: string[] } {
  if (o.verdict === 'unreadable')
    return {
      out: [],
      err: [`choucha verify: cannot read ${file}: ${o.code ? `${o.code}: ` : ''}${o.message ?? ''}`],
    };
  const out = [`choucha verify ${file}`];
  if (o.verdict === 'rejected') return { out: [...out, ...rejectionLines(o)], err: [] };
  const value = JSON.parse(new TextDecoder().decode(bytes!)) as { format: string };
  if (value.format === core.BUNDLE_FORMAT) {
    out.push(...summarise(value as DrawBundle, knownChains(core), { skipBls }), 'verified');
    return { out, err: [] };
  }
  const b = value as BundleV2;
  out.push(...summariseV2(b, o, knownChains(core)));
  out.push(
    `verified (${b.stage}${b.view === 'public' ? ', public view' : ', full view'}${
      b.supersededBy !== null ? `, superseded by ${b.supersededBy}` : ''
    })`,
  );
  return { out, err: [] };
}

const worst = (codes: readonly number[]) => Math.max(0, ...codes) as 0 | 1 | 2;

/** `--receipt`: an entity's receipt (§11) against a public (or full) bundle. */
function verifyReceipt(
  core: Core,
  readFile: (f: string) => Uint8Array,
  receiptFile: string,
  bundleFile: string,
  opts: { skipBls: boolean; json: boolean },
): { out: string[]; err: string[]; exit: 0 | 1 | 2 } {
  const { outcome, bytes } = verifyFile(core, readFile, bundleFile, opts.skipBls);
  const base = { file: receiptFile, bundle: bundleFile };
  const report = (
    exit: 0 | 1 | 2,
    r: Record<string, unknown>,
    human: string[],
  ): { out: string[]; err: string[]; exit: 0 | 1 | 2 } => {
    if (opts.json) return { out: [JSON.stringify({ ...base, exit, ...r })], err: [], exit };
    return exit === 2 ? { out: [], err: human, exit } : { out: human, err: [], exit };
  };
  if (outcome.verdict !== 'verified')
    return report(
      outcome.exit,
      {
        verdict: outcome.verdict,
        code: outcome.code ?? null,
        path: outcome.path ?? null,
        message: `the bundle does not verify: ${outcome.message ?? ''}`,
        selected: null,
      },
      outcome.verdict === 'unreadable'
        ? [`choucha verify: cannot read ${bundleFile}: ${outcome.message ?? ''}`]
        : [`choucha verify --receipt ${receiptFile} ${bundleFile}`, ...rejectionLines(outcome)],
    );
  const parsed = core.parseStrictJson(new TextDecoder().decode(bytes!));
  const shaped = parsed.ok ? core.validateBundleV2(parsed.value) : parsed;
  if (!shaped.ok || (outcome.format && outcome.format !== core.BUNDLE_FORMAT_V2))
    return report(
      2,
      {
        verdict: 'unreadable',
        code: 'BUNDLE_FORMAT_UNKNOWN',
        path: '$.format',
        message: `a receipt is checked against a ${core.BUNDLE_FORMAT_V2} bundle`,
        selected: null,
      },
      [`choucha verify: ${bundleFile} is not a ${core.BUNDLE_FORMAT_V2} bundle`],
    );
  const bundle: PublicBundleV2 = core.publicViewV2(shaped.value);
  let receiptText: string;
  try {
    receiptText = new TextDecoder('utf-8', { fatal: true }).decode(readFile(receiptFile));
  } catch (e) {
    return report(
      2,
      { verdict: 'unreadable', code: null, path: null, message: (e as Error).message, selected: null },
      [`choucha verify: cannot read ${receiptFile}: ${(e as Error).message}`],
    );
  }
  const rj = core.parseStrictJson(receiptText);
  const problem = rj.ok ? receiptShapeProblem(rj.value) : rj.error.message;
  if (problem !== undefined)
    return report(
      2,
      {
        verdict: 'unreadable',
        code: rj.ok ? 'BUNDLE_FORMAT_UNKNOWN' : 'BUNDLE_JSON_INVALID',
        path: null,
        message: problem,
        selected: null,
      },
      [`choucha verify: ${receiptFile} is not a receipt: ${problem}`],
    );
  const receipt = (rj as { value: ReceiptV2 }).value;
  const r = core.verifyReceiptV2(bundle, receipt);
  const head = [
    `choucha verify --receipt ${receiptFile} ${bundleFile}`,
    `${w('bundle')}verified (${bundle.stage}), commitment hash ${bundle.commitmentHash}`,
    `${w('entity')}${receipt.key}, stratum ${receipt.stratum} (${receipt.stratumSize} selected in it)`,
  ];
  if (!r.ok) {
    const d = r.error.details as { path?: string } | undefined;
    return report(
      1,
      {
        verdict: 'rejected',
        code: r.error.code,
        path: d?.path ?? null,
        message: r.error.message,
        selected: null,
      },
      [...head, `NOT verified (${r.error.code}): ${r.error.message}`],
    );
  }
  const { selected, ticket } = r.value;
  const why = selected
    ? `its ticket ${ticket} is ≤ ${receipt.last}, the last ticket drawn in its stratum`
    : receipt.last === null
      ? 'no entity was drawn in its stratum'
      : `its ticket ${ticket} is above ${receipt.last}, the last ticket drawn in its stratum`;
  return report(
    0,
    {
      verdict: 'verified',
      code: null,
      path: null,
      message: `${selected ? 'selected' : 'not selected'}: ${why}`,
      selected,
      ticket,
      stage: bundle.stage,
      key: receipt.key,
    },
    [
      ...head,
      `${w('nonce')}hashes to the entity's line of the public roster`,
      `${w('ticket')}${ticket}`,
      `${w('last drawn')}${receipt.last ?? '(none)'}`,
      `${selected ? 'SELECTED' : 'NOT selected'}: ${why}`,
      `  (that ${receipt.stratum} is the entity's true stratum cannot be checked from the public bundle: the supervisor's full bundle can)`,
      'receipt verified',
    ],
  );
}

/** The first problem of something that should be a receipt (§11), or undefined. */
export function receiptShapeProblem(x: unknown): string | undefined {
  if (!isObject(x)) return 'the file is not a JSON object';
  if (x['format'] !== 'choucha-draw-receipt-v2')
    return `it is not a choucha-draw-receipt-v2 file (format: ${JSON.stringify(x['format'] ?? null)})`;
  const want = ['commitmentHash', 'format', 'key', 'last', 'nonce', 'stratum', 'stratumSize'];
  const have = Object.keys(x).sort();
  if (have.join() !== want.join()) return `its members must be ${want.join(', ')}`;
  for (const k of ['commitmentHash', 'key', 'nonce', 'stratum'])
    if (typeof x[k] !== 'string') return `"${k}" is not a string`;
  if (!Number.isSafeInteger(x['stratumSize'])) return '"stratumSize" is not an integer';
  if (x['last'] !== null && typeof x['last'] !== 'string') return '"last" is not a string or null';
  return undefined;
}

/** `choucha verify BUNDLE…`: recompute draw bundles (docs/specs/draw-protocol-v2.md §12, v1 as before). */
export function registerVerifyCommand(program: Command) {
  program
    .command('verify <bundles...>')
    .description(
      'Recompute draw bundles (v1 and v2: commitment, seed, selection, teams); exits 0 if every file verifies, 1 if one does not (first difference named), 2 if one is unreadable',
    )
    .option(
      '--skip-bls',
      'do not check the drand BLS signature (randomness = SHA-256(signature) is still checked)',
    )
    .option(
      '--json',
      'one JSON line per file: {file, verdict, exit, code, path, message, stage, view, blsChecked}',
    )
    .option(
      '--receipt <receipt>',
      "check an entity's receipt (choucha-draw-receipt-v2) against the one public bundle given",
    )
    .action(async (files: string[], opts: { skipBls?: boolean; json?: boolean; receipt?: string }) => {
      const fs = await import('node:fs');
      const core = await import('@choucha/core');
      const readFile = (f: string) => new Uint8Array(fs.readFileSync(f));
      const skipBls = opts.skipBls === true;
      const json = opts.json === true;
      const write = (lines: string[], to: NodeJS.WriteStream) => {
        if (lines.length > 0) to.write(`${lines.join('\n')}\n`);
      };
      if (opts.receipt !== undefined) {
        if (files.length !== 1) {
          process.stderr.write(
            'choucha verify --receipt RECEIPT.json BUNDLE.json: give exactly one bundle\n',
          );
          process.exitCode = VERIFY_EXIT.unreadable;
          return;
        }
        const r = verifyReceipt(core, readFile, opts.receipt, files[0]!, { skipBls, json });
        write(r.out, process.stdout);
        write(r.err, process.stderr);
        process.exitCode = r.exit;
        return;
      }
      const exits: number[] = [];
      files.forEach((file, i) => {
        const { outcome, bytes } = verifyFile(core, readFile, file, skipBls);
        exits.push(outcome.exit);
        if (json) {
          process.stdout.write(`${JSON.stringify(fileResult(file, outcome))}\n`);
          return;
        }
        const h = humanLines(core, file, outcome, bytes, skipBls);
        if (i > 0 && h.out.length > 0) process.stdout.write('\n');
        write(h.out, process.stdout);
        write(h.err, process.stderr);
      });
      process.exitCode = worst(exits);
    });
}
