export * from './detector.ts';
export * from './burden.ts';
