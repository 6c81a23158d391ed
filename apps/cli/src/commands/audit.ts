import { InvalidArgumentError, type Command } from 'commander';
import { parseAnchor, type AuditAnchor, type ChainProblem } from '@choucha/core';
import { verifyAuditChainAll, type AnchorResult } from '@choucha/services';
import { withServices } from '../context.ts';

const STATUS: Record<AnchorResult['status'], string> = {
  ok: 'holds (the event is there unchanged and the chain from genesis to it verifies)',
  truncated: 'TRUNCATED (the log ends before it: its tail was deleted)',
  missing: 'MISSING (its event was deleted)',
  mismatch: 'REWRITTEN (the event has another hash)',
  unproven: 'NOT PROVEN (its event matches, but the chain before it is broken)',
};

function collectAnchor(value: string, previous: AuditAnchor[]): AuditAnchor[] {
  const a = parseAnchor(value);
  if (!a) throw new InvalidArgumentError('expected SEQ:HASH (seq from 1, a 64-digit hex hash)');
  return [...previous, a];
}

/** Each problem on two lines: code and English, then the Chinese text. */
function problemLines(p: ChainProblem): string {
  const at = `#${p.seq}${p.lastSeq !== null && p.lastSeq !== p.seq ? `–${p.lastSeq}` : ''}`;
  const head = `  ${at.padEnd(10)} ${p.code.padEnd(26)} `;
  return `${head}${p.en}\n${' '.repeat(head.length)}${p.zh}\n`;
}

/** `choucha audit verify [--anchor SEQ:HASH]…`: exits 1 on any problem, listing every one. */
export function registerAuditCommand(program: Command) {
  const audit = program.command('audit').description('The tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'Check the hash chain, every stored checkpoint and the anchors given; lists every edited, deleted or reordered event and every anchor the log no longer holds, and exits 1 if there is any',
    )
    .option(
      '--anchor <SEQ:HASH>',
      'a published checkpoint (public portal → 审计锚点) that the log must still hold unchanged; repeatable',
      collectAnchor,
      [] as AuditAnchor[],
    )
    .action(async (opts: { anchor: AuditAnchor[] }) => {
      await withServices('audit verify', async (svc) => {
        let printed = 0;
        const r = await verifyAuditChainAll(svc, {
          anchors: opts.anchor,
          maxProblems: 0, // printed as found instead of kept
          onProblem: (p) => {
            if (printed++ === 0) process.stdout.write('Problems:\n');
            process.stdout.write(problemLines(p));
          },
        });
        const head = r.head ? `head ${r.head.seq}:${r.head.hash}` : 'empty log';
        const lines = [
          r.ok
            ? `Audit chain intact: ${r.checked} events verified (${head}).`
            : `Audit chain BROKEN: ${r.problemCount} problem${r.problemCount === 1 ? '' : 's'} in ${r.checked} events (${head}).`,
          `Stored checkpoints: ${r.checkpoints.checked} checked, ${r.checkpoints.failed.length} failed.`,
          ...r.checkpoints.failed.map(
            (a) =>
              `  checkpoint ${a.seq}:${a.hash} (${a.reason}${a.reference ? ` ${a.reference}` : ''}, ${a.createdAt}): ${STATUS[a.status]}`,
          ),
          ...r.anchors.map((a) => `Anchor ${a.seq}:${a.hash}: ${STATUS[a.status]}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (!r.ok) process.exitCode = 1;
      });
    });
}
