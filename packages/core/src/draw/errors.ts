import type { ErrorCode } from '../errors.ts';
import { err } from '../result.ts';

/** A draw failure: a stable code (ERROR_TABLE), a precise English message and details. */
export interface DrawError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function drawErr(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return err<DrawError>(details ? { code, message, details } : { code, message });
}
