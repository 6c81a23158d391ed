import type { I18n } from '../../i18n/index.tsx';

/** A stratum or risk class as shown: the single stratum of an unclassified draw is 'ALL'. */
export function stratumName(v: string, t: I18n['t']): string {
  return v === 'ALL' ? t('draws.stratumAll') : v;
}
