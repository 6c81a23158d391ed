/**
 * The API client: same-origin fetch with the session cookie, JSON in and out, and typed errors.
 * Every error body is `{ code, message, requestId?, details? }` (packages/core/src/errors.ts);
 * errors are reported to the user through the registered reporter (an antd notification) in the
 * current language when the code is known, unless the call asks to stay silent.
 */
import { useCallback, useEffect, useState } from 'react';
import { ERROR_TABLE } from '../../../../packages/core/src/errors.ts';
import { isChineseText } from '../../../../packages/core/src/zh-text.ts';
import { getLang, translate } from '../i18n/index.tsx';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  /** The server's own wording (may be more specific than the code's generic text). */
  readonly serverMessage: string;

  constructor(
    status: number,
    code: string,
    serverMessage: string,
    requestId?: string,
    details?: Record<string, unknown>,
  ) {
    super(localizedErrorMessage(code, serverMessage));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.requestId = requestId;
    this.details = details;
  }
}

type KnownCode = keyof typeof ERROR_TABLE;

function isKnownCode(code: string): code is KnownCode {
  return Object.prototype.hasOwnProperty.call(ERROR_TABLE, code);
}

/** The generic text of an error code in the current language, or the server's message. */
export function localizedErrorMessage(code: string, fallback: string): string {
  const lang = getLang();
  if (isKnownCode(code)) return ERROR_TABLE[code][lang];
  // an unknown code (a proxy's 502, a newer server): never English in the Chinese UI
  if (lang === 'zh' && !isChineseText(fallback)) return translate('zh', 'error.unknown', { code });
  return fallback;
}

/** Details worth showing beside the generic text: the server's message when it says more. */
export function errorDetail(err: ApiError): string | undefined {
  if (!isKnownCode(err.code)) return undefined;
  const row = ERROR_TABLE[err.code];
  if (!err.serverMessage || err.serverMessage === row.en || err.serverMessage === row.zh) return undefined;
  // The server words its specifics in English (logs, API clients); the Chinese UI shows them only
  // when they are Chinese (the importer's messages), else the code's own text stands alone.
  if (getLang() === 'zh' && !isChineseText(err.serverMessage)) return undefined;
  return err.serverMessage;
}

export type ErrorReporter = (err: ApiError) => void;
let reporter: ErrorReporter = (err) => console.error(err);
export function setErrorReporter(r: ErrorReporter): void {
  reporter = r;
}

/** Fired when the session is gone, so the auth context can send the user to the login page. */
export const UNAUTHORIZED_EVENT = 'choucha:unauthorized';
export const PASSWORD_CHANGE_EVENT = 'choucha:password-change-required';

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  form?: FormData;
  /** Do not show a notification on failure (the caller handles it). */
  silent?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      for (const x of v) params.append(k, String(x));
    } else {
      params.set(k, String(v));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'zh' ? 'zh-CN,zh;q=0.9' : 'en',
  };
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    const err = new ApiError(0, 'NETWORK', getLang() === 'zh' ? '无法连接服务器' : 'Cannot reach the server');
    if (!opts.silent) reporter(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const b = (data ?? {}) as { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
    const code = typeof b.code === 'string' ? b.code : `HTTP_${res.status}`;
    const message = typeof b.message === 'string' ? b.message : res.statusText || `HTTP ${res.status}`;
    const requestId =
      typeof b.requestId === 'string' ? b.requestId : (res.headers.get('x-request-id') ?? undefined);
    const details =
      b.details && typeof b.details === 'object' ? (b.details as Record<string, unknown>) : undefined;
    const err = new ApiError(res.status, code, message, requestId, details);
    if (code === 'AUTH_REQUIRED' && !path.startsWith('/api/auth/')) {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    } else if (code === 'AUTH_PASSWORD_CHANGE_REQUIRED') {
      window.dispatchEvent(new Event(PASSWORD_CHANGE_EVENT));
    } else if (!opts.silent) {
      reporter(err);
    }
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  upload: <T>(path: string, form: FormData, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, form }),
};

export interface FetchState<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | undefined;
  reload: () => void;
  setData: (d: T) => void;
}

/** GET `path` (skipped while null) and re-fetch when the path or the query changes. */
export function useFetch<T>(path: string | null, query?: Query, opts?: { silent?: boolean }): FetchState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : buildUrl(path, query);
  const silent = opts?.silent ?? false;
  useEffect(() => {
    if (key === null) {
      setLoading(false);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    request<T>('GET', key, { signal: ctrl.signal, silent })
      .then((d) => {
        if (!ctrl.signal.aborted) {
          setData(d);
          setError(undefined);
        }
      })
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        if (e instanceof ApiError) setError(e);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, tick, silent]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, loading, error, reload, setData };
}
