import { useI18n } from '../i18n/index.tsx';
import { Coming } from '../components/common.tsx';

/** 指标与通报 — placeholder until the indicators module lands. */
export default function Indicators() {
  const { t } = useI18n();
  return <Coming title={t('nav.indicators')} description={t('indicators.coming')} />;
}
