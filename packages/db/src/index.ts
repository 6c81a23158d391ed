export * from './database.ts';
export * from './lock.ts';
export * as schema from './schema/index.ts';
export * from './schema/index.ts';
export * from './copy.ts';
export * from './draw-sql.ts';
