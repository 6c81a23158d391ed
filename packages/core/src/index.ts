export * from './result.ts';
export * from './errors.ts';
export * from './uscc.ts';
export * from './draw/index.ts';
export * from './canonical.ts';
export * from './audit-chain.ts';
export * from './text.ts';
export * from './result-codes.ts';
