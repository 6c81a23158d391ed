/**
 * The fixed example used by the tests, the spec's test vectors and verifier/test-vectors.json.
 * Not exported from the package index.
 */
import { DRAND_QUICKNET, DRAND_MAINNET, type CommitmentInput } from './commitment.ts';
import type { DrandBeacon } from './drand.ts';
import type { RosterEntry } from './roster.ts';
import type { SeedInputs } from './seed.ts';

/** Real quicknet round (League of Entropy), verified against the published chain key. */
export const QUICKNET_BEACON: DrandBeacon = {
  round: 657413,
  randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
  previousSignature: null,
};

/** Real default-chain (mainnet, chained) round. */
export const MAINNET_BEACON: DrandBeacon = {
  round: 3311596,
  randomness: '647c07b2abbf7ff2afb4d670214f565e5cd9f9c91bfdcecb59a21f3c78d73920',
  signature:
    'a696b9409ababce45749c3a4ec369074453dd4a79967734e1390d969c8ad8d98897d217b9121e92c8ddebbddda8d92f900e3bd6bf9deb166863b1a19390d743f82774001487594c5c09e581db7365f02b70a2c8cc41ce32446ef08e4890c4754',
  previousSignature:
    '8ed588f2a7716fb1349e2d9803da5db0005e98a83783c353d4a08f183236a9ad91d70ddb01266f4b7c576983db464b430e65680b9e0098552758afd6c1e6afcb77e3f62fe1b93d42d1cb63abbb2205512fe12fbf74ea9c5ac3b8f5c1e283a1d8',
};

export const DICE = '31415926535897932384';

export function fixtureRoster(): RosterEntry[] {
  const out: RosterEntry[] = [];
  const strata = ['A', 'B', 'B', 'C', 'C', 'C', 'D|张家村街道', 'B'];
  for (let i = 0; i < 40; i++) {
    // 18-character codes for most, 15-digit registration numbers for every fifth entity.
    const key =
      i % 5 === 4 ? `61010340000${String(1000 + i)}` : `91610103MA6${String(1000000 + i * 7919).slice(-7)}`;
    out.push({ key, stratum: strata[i % strata.length]! });
  }
  return out;
}

export function fixtureInput(): CommitmentInput {
  const inspectors = [];
  for (const [dept, prefix] of [
    ['SAMR-BL', 'S'],
    ['EDU-BL', 'E'],
  ] as const) {
    for (let i = 1; i <= 6; i++) {
      inspectors.push({
        id: `${prefix}${String(i).padStart(3, '0')}`,
        department: dept,
        fields: dept === 'SAMR-BL' && i === 6 ? [] : dept === 'SAMR-BL' ? ['食品安全'] : [],
        certificate: { from: '2020-01-01', to: prefix === 'E' && i === 5 ? '2024-03-31' : '2029-12-31' },
        unavailable: prefix === 'S' && i === 5 ? [{ from: '2024-05-10', to: '2024-05-20' }] : [],
        load: prefix === 'E' && i === 1 ? 2 : 0,
      });
    }
  }
  const roster = fixtureRoster();
  return {
    task: { id: 'T-2024-017', name: '2024年碑林区食品经营者与校外培训机构联合抽查' },
    items: [
      { id: 'SAMR-FOOD-03', department: 'SAMR-BL', field: '食品安全' },
      { id: 'EDU-TRAIN-01', department: 'EDU-BL', field: null },
    ],
    roster,
    strata: [
      { label: 'A', ratio: '0.05', min: 1 },
      { label: 'B', ratio: '0.2', min: 0, max: 3 },
      { label: 'C', ratio: '0.5' },
      { label: 'D|张家村街道', ratio: '1' },
    ],
    matching: {
      inspection: { from: '2024-05-06', to: '2024-05-17' },
      rules: { teamSize: 2, maxLoad: 12, avoidPrevious: true },
      inspectors,
      recusals: [
        { inspectorId: 'S001', key: roster[3]!.key },
        { inspectorId: 'E002', key: roster[6]!.key },
      ],
      previous: [{ inspectorId: 'S002', key: roster[6]!.key }],
    },
    seedSource: { dice: { minDigits: 20 }, drand: { ...DRAND_QUICKNET, round: QUICKNET_BEACON.round } },
  };
}

export const FIXTURE_SEED_INPUTS: SeedInputs = { dice: DICE, beacon: QUICKNET_BEACON };

export { DRAND_MAINNET };
