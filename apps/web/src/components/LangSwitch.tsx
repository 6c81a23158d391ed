import { Segmented } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import type { Lang } from '../i18n/index.tsx';

/** 中文 / EN, persisted in localStorage. */
export function LangSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      data-testid="lang-switch"
      value={lang}
      onChange={(v) => setLang(v)}
      options={[
        { label: <span data-testid="lang-zh">中文</span>, value: 'zh' },
        { label: <span data-testid="lang-en">EN</span>, value: 'en' },
      ]}
      style={dark ? { background: 'rgba(255,255,255,0.15)' } : undefined}
    />
  );
}
