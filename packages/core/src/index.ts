export * from './result.ts';
export * from './errors.ts';
export * from './uscc.ts';
export * from './draw/index.ts';
