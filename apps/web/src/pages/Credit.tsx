import { useI18n } from '../i18n/index.tsx';
import { Coming } from '../components/common.tsx';

/** 信用风险分类 — placeholder until the credit module lands. */
export default function Credit() {
  const { t } = useI18n();
  return <Coming title={t('nav.credit')} description={t('credit.coming')} />;
}
