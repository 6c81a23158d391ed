// pino-roll 4 ships no types; the part we use (see node_modules/pino-roll/pino-roll.js).
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';
  interface PinoRollOptions {
    file: string | (() => string);
    size?: number | string;
    frequency?: number | 'daily' | 'hourly';
    extension?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
    mkdir?: boolean;
  }
  interface RollStream extends EventEmitter {
    readonly file: string;
    write(data: string): boolean;
    flush(cb?: (err?: Error) => void): void;
    end(): void;
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<RollStream>;
}
