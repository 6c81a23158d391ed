export * from './org.ts';
export * from './audit.ts';
export * from './directories.ts';
export * from './campaigns.ts';
export * from './plans.ts';
export * from './bundles.ts';
export * from './results.ts';
export * from './joint.ts';
