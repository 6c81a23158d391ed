/**
 * Real drand beacons of 2023, recorded for the demo's draws (issue 10 §3: the demo draws use dice AND
 * a drand round, never dice only). The machines that build the demo reach no drand relay, so the
 * beacons are copied from public sources (each one's source in the comment above it) — never made up:
 * a made-up beacon could not pass the BLS check, and beacons.test.ts verifies every one of them with
 * verifyBeacon from @choucha/core against its chain's public key.
 *
 * Two League of Entropy chains: the default chain (`pedersen-bls-chained`, 30 s, the only one before
 * quicknet started on 23 August 2023; a beacon signs the previous round's signature too, so it is
 * recorded with it) and quicknet (`bls-unchained-g1-rfc9380`, 3 s). randomness = SHA-256(signature).
 * A round's time is genesis + (round − 1) × period (drandRoundTime in the services).
 */
import { DRAND_MAINNET, DRAND_QUICKNET } from '@choucha/core';

export type DemoDrandChain = 'default' | 'quicknet';

export interface RecordedBeacon {
  chain: DemoDrandChain;
  round: number;
  /** Lower-case hex, SHA-256 of the signature. */
  randomness: string;
  signature: string;
  /** The default (chained) scheme only; null on quicknet. */
  previousSignature: string | null;
}

/** The chains' identity (core's constants) and clock. */
export const DEMO_DRAND_CHAINS = {
  default: { ...DRAND_MAINNET, genesis: 1595431050, period: 30 },
  quicknet: { ...DRAND_QUICKNET, genesis: 1692803367, period: 3 },
} as const;

/** When a round of a chain is published. */
export function roundTime(chain: DemoDrandChain, round: number): Date {
  const c = DEMO_DRAND_CHAINS[chain];
  return new Date((c.genesis + (round - 1) * c.period) * 1000);
}

/** Every recorded beacon, in time order (the comment: the round's time in UTC, and where it was found). */
export const RECORDED_BEACONS: readonly RecordedBeacon[] = [
  // 2023-01-23T13:09:30Z — drand/drand, crypto/schemes_test.go (TestVerifyBeacon, v2.1.7): the default chain's round 2634945 with its previous signature, verified there with drand's own Go scheme.
  {
    chain: 'default',
    round: 2634945,
    randomness: 'fc8f2b3561428c365ada1aeecad04ccc044ba649c6363c5f687c1989cc2c20e5',
    signature:
      '814778ed1e480406beb43b74af71ce2f0373e0ea1bfdfea8f9ed62c876c20fcbc7f0163860e3da42ed2148756015f4551451898ffe06d384b4d002245025571b6b7a752f7158b40ad92b13b6d703ad31922a617f2c7f6d960b84d56cf1d79eef',
    previousSignature:
      '8bd96294383b4d1e04e736360bd7a487f9f409f1e7bd800b720656a310d577b3bdb1e1631af6c5782a1d8979c502f395036181eff4058960fc40bb7034cdae1991d3eda518ab204a077d2f7e724974cf87b407e549bd815cf0b8e5a3832f675d',
  },
  // 2023-04-21T12:45:30Z — a public design note of a time-lock service on Cosmos ("Example data from LOE Public API", a copy of api.drand.sh/public/2888337); code-index file 19565257943.
  {
    chain: 'default',
    round: 2888337,
    randomness: '5f5cfa0b08343f04c418e8332be92a75088285df602741b75a4e8c1bda1a41db',
    signature:
      '8a30c00d7ee4515d5bda5cfa4fe6d7896d2f9528549da49e0ce641b5d7ec41725e9143f0ba9bf3e5eecd08cb5873084701ae4e8589e786f2447fa42cf86a550881ee09d294025a69e38fd4e5a88e92b364446808f3a15b380c5d19eef03b74da',
    previousSignature:
      'a521f6e642166ba6f5a62c6fcb0c1ed2b338892afdec29fb004f1e419adbea5835d45618249360b266e785324b273d22050de0c0fd06cb46fe63669c64cb0f14be9836753358962bb3fb7cf72de768e784fde99a9e88194cbb20287111027524',
  },
  // 2023-08-23T15:09:30Z — ChainSafe/forest, src/beacon/signatures/tests.rs ("https://api.drand.sh/52db…/public/2").
  {
    chain: 'quicknet',
    round: 2,
    randomness: '5782d6987841c654515a0e72b2d1ebb4e741234042c37cb19608ae50d93fb60c',
    signature:
      'b6b6a585449b66eb12e875b64fcbab3799861a00e4dbf092d99e969a5eac57dd3f798acf61e705fe4f093db926626807',
    previousSignature: null,
  },
  // 2023-08-23T15:09:33Z — ChainSafe/forest, src/beacon/signatures/tests.rs ("https://api.drand.sh/52db…/public/3").
  {
    chain: 'quicknet',
    round: 3,
    randomness: '7ef4621ace1c6da4eb2eee7cd901f81385bca5b189771ec0f08d0d2566dd1a21',
    signature:
      'b3fab6df720b68cc47175f2c777e86d84187caab5770906f515ff1099cb01e4deaa027075d860823e49477b93c72bd64',
    previousSignature: null,
  },
  // 2023-08-23T15:09:48Z — the Sui Move example games::drand_based_lottery_tests (Mysten Labs): "curl https://drand.cloudflare.com/52db…/public/8".
  {
    chain: 'quicknet',
    round: 8,
    randomness: '996f280fcd832b382ea43338549f108fae303bdb9f781fe99fc062f554a036f1',
    signature:
      'a0c06b9964123d2e6036aa004c140fc301f4edd3ea6b8396a15dfd7dfd70cc0dce0b4a97245995767ab72cf59de58c47',
    previousSignature: null,
  },
  // 2023-08-23T15:09:54Z — the Sui Move example games::drand_based_lottery_tests (Mysten Labs): "curl https://drand.cloudflare.com/52db…/public/10".
  {
    chain: 'quicknet',
    round: 10,
    randomness: '850f2d84fec6935508464a33f5389b3103087bc44599d782b83cbe2eaa8451e3',
    signature:
      'ac415e508c484053efed1c6c330e3ae0bf20185b66ed088864dac1ff7d6f927610824986390d3239dac4dd73e6f865f5',
    previousSignature: null,
  },
  // 2023-08-23T15:11:30Z — drand/drand-docs, docs/developer/06-HTTP-API.md (the quicknet example of /public/{round}).
  {
    chain: 'quicknet',
    round: 42,
    randomness: '8ada64bae5c6c0f5540a6a13af56e663240edfbd2c76ac6a8f27671eb7259ce3',
    signature:
      '95a9f9f5b231b7714de1553105d8ffdf3dcda24cfdb1e689319bccf79a9c8ce430a91b811fbfaf763900bc998b5d686a',
    previousSignature: null,
  },
  // 2023-08-23T15:15:33Z — noislabs/drand-verify, src/verify.rs (the quicknet test vector of round 123).
  {
    chain: 'quicknet',
    round: 123,
    randomness: 'fb8f7bc29bf24db51871ec8c79f3a1e4bd0557bc0dfcee9ed1d924e69d1c60dc',
    signature:
      'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92',
    previousSignature: null,
  },
  // 2023-08-23T15:59:24Z — thibmeu/drand-rs, README.md (the quicknet example of round 1000).
  {
    chain: 'quicknet',
    round: 1000,
    randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd',
    signature:
      'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
    previousSignature: null,
  },
  // 2023-09-15T11:00:03Z — mcdcam/python-drand-verify, README.md (verify_quicknet(657413, …)).
  {
    chain: 'quicknet',
    round: 657413,
    randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
    signature:
      'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
    previousSignature: null,
  },
  // 2023-09-15T11:55:00Z — mcdcam/python-drand-verify, README.md (verify_mainnet(3311596, previous, signature)).
  {
    chain: 'default',
    round: 3311596,
    randomness: '647c07b2abbf7ff2afb4d670214f565e5cd9f9c91bfdcecb59a21f3c78d73920',
    signature:
      'a696b9409ababce45749c3a4ec369074453dd4a79967734e1390d969c8ad8d98897d217b9121e92c8ddebbddda8d92f900e3bd6bf9deb166863b1a19390d743f82774001487594c5c09e581db7365f02b70a2c8cc41ce32446ef08e4890c4754',
    previousSignature:
      '8ed588f2a7716fb1349e2d9803da5db0005e98a83783c353d4a08f183236a9ad91d70ddb01266f4b7c576983db464b430e65680b9e0098552758afd6c1e6afcb77e3f62fe1b93d42d1cb63abbb2205512fe12fbf74ea9c5ac3b8f5c1e283a1d8',
  },
  // 2023-10-04T10:39:30Z — grindytech/gafi, game/oracle-randomness/src/tests.rs (test_parse_randomness: api.drand.sh/public/3366165 in full).
  {
    chain: 'default',
    round: 3366165,
    randomness: 'c25de9ba2cdf3ac9be2aa74dbf038aa6e84969151d51318946beafaf20f9c30b',
    signature:
      '9514585af8f888f54f6f6e784be0ccd973a354f1cee2f5c30077714a4c05392c6c051d53ebe76dcd10012cb011bec92100cab52101e46ad7fc8bd1ebdc8279ff1cac85a490aaf783ba6d3cf4658ae6d93a731b487bb046ab191abeb0c977478c',
    previousSignature:
      '939e6bd3fb386a847289ca00d10941915a05da184af69cc466c45f13a619126d5c941e5fe4d25dec0ed758dda8dbb41e06345a9f7e12191854daa5a9036b09685bd2c3fd69ea255eb38d66c7076966aab65a0954f13ad1f968da9bbe9bca689a',
  },
];
