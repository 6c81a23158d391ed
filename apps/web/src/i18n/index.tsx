/**
 * A small i18n layer: zh-CN by default, English on request, persisted in localStorage.
 * Every visible string goes through `t(key)`; stored domain values (result codes, follow-ups,
 * statuses) are shown through `tv(value)` / `tk(prefix, value)` so the stored Chinese values
 * stay the single source of truth.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { zh } from './zh.ts';
import { en, enValues } from './en.ts';

export type Lang = 'zh' | 'en';
export type DictKey = keyof typeof zh;
export type Vars = Record<string, string | number>;

const dicts: Record<Lang, Record<DictKey, string>> = { zh, en };
const STORAGE_KEY = 'choucha.lang';

function readStoredLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    // storage unavailable (privacy mode): fall back to the default
  }
  return 'zh';
}

let currentLang: Lang = readStoredLang();
dayjs.locale(currentLang === 'zh' ? 'zh-cn' : 'en');

/** The language in effect, for code outside React (the API client). */
export function getLang(): Lang {
  return currentLang;
}

function interpolate(s: string, vars?: Vars): string {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translate(lang: Lang, key: DictKey, vars?: Vars): string {
  return interpolate(dicts[lang][key] ?? key, vars);
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A fixed UI string. */
  t: (key: DictKey, vars?: Vars) => string;
  /** A dynamic key such as `status.${value}`; falls back to the raw value. */
  tk: (prefix: string, value: string) => string;
  /** A stored Chinese domain value (result code, follow-up…) in the current language. */
  tv: (value: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((l: Lang) => {
    currentLang = l;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // ignore
    }
    setLangState(l);
  }, []);
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dict = dicts[lang] as Record<string, string>;
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tk: (prefix, v) => dict[`${prefix}.${v}`] ?? v,
      tv: (v) => (lang === 'en' ? (enValues[v] ?? v) : v),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** The translate function for the current language. */
export function useT(): I18n['t'] {
  return useI18n().t;
}
