export * from './scope.ts';
export * from './combine.ts';
