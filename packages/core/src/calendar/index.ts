export * from './dates.ts';
export * from './calendar.ts';
export * from './builtin.ts';
export * from './notice.ts';
