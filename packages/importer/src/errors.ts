import { AppError, ERROR_TABLE } from '@choucha/core';
import type { ErrorCode } from '@choucha/core';

/** File-level failures carry a stable code (ERROR_TABLE), a Chinese message and details. */
export type ImportError = AppError;

export function importError(code: ErrorCode, zhDetail?: string, details?: Record<string, unknown>): AppError {
  const base = ERROR_TABLE[code].zh;
  return new AppError(code, zhDetail ? `${base}：${zhDetail}` : base, details);
}
