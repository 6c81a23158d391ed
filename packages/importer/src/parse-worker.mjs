// Entry of the parse worker (parse-in-worker.ts). The same in every mode: under `node --import tsx`,
// under bin/choucha.js (tsx registered through its API) and under vitest, a worker thread starts
// without the parent's loaders, so it registers tsx itself and then loads the TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
