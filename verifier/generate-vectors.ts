/**
 * Generates verifier/test-vectors.json from the fixed example (packages/core/src/draw/fixture.ts).
 * `npx tsx verifier/generate-vectors.ts` rewrites the file; verifier/verify.test.ts checks it is current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildCommitment,
  runDraw,
  ticketOf,
  ticketPrefix,
  matchSubseed,
  DRAND_MAINNET,
  type DrawBundle,
} from '@choucha/core';
import { bytesToHex } from '../packages/core/src/hash/index.ts';
import { fixtureInput, FIXTURE_SEED_INPUTS, MAINNET_BEACON } from '../packages/core/src/draw/fixture.ts';

export const VECTORS_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-vectors.json');

interface Vector {
  name: string;
  commitmentCanonicalJson: string;
  commitmentHash: string;
  seed: string;
  ticketPrefix: string;
  matchSubseed: string;
  firstTickets: { key: string; ticket: string }[];
  bundle: DrawBundle;
}

function vector(
  name: string,
  input: ReturnType<typeof fixtureInput>,
  seedInputs: DrawBundle['seedInputs'],
): Vector {
  const c = buildCommitment(input);
  if (!c.ok) throw new Error(c.error.message);
  const b = runDraw(c.value, seedInputs);
  if (!b.ok) throw new Error(b.error.message);
  return {
    name,
    commitmentCanonicalJson: c.value.json,
    commitmentHash: c.value.hash,
    seed: b.value.seed,
    ticketPrefix: bytesToHex(ticketPrefix(b.value.seed)),
    matchSubseed: bytesToHex(matchSubseed(b.value.seed)),
    firstTickets: c.value.roster.keys
      .slice(0, 5)
      .map((key) => ({ key, ticket: ticketOf(b.value.seed, key) })),
    bundle: b.value,
  };
}

export function generateVectors(): string {
  const mainnet = fixtureInput();
  mainnet.seedSource = { dice: null, drand: { ...DRAND_MAINNET, round: MAINNET_BEACON.round } };
  const diceOnly = fixtureInput();
  diceOnly.seedSource = { dice: { minDigits: 20 }, drand: null };
  const vectors = [
    vector('dice+quicknet', fixtureInput(), FIXTURE_SEED_INPUTS),
    vector('mainnet-chained', mainnet, { dice: null, beacon: MAINNET_BEACON }),
    vector('dice-only', diceOnly, { dice: '6254133652415263114236', beacon: null }),
  ];
  return `${JSON.stringify({ protocol: 'choucha-draw-v1', vectors }, null, 1)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(VECTORS_PATH, generateVectors());
  process.stderr.write(`wrote ${VECTORS_PATH}\n`);
}
