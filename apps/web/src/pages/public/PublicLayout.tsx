/** The public portal's frame: no login, no risk class, published results only. */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Layout } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { Brand } from '../../components/Brand.tsx';
import { LangSwitch } from '../../components/LangSwitch.tsx';

export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f6f8' }}>
      <div
        style={{
          background: 'linear-gradient(90deg, #8c1014 0%, #c8161d 100%)',
          borderBottom: '3px solid #e0b84a',
        }}
      >
        <div
          style={{
            maxWidth: 1200,
            margin: '0 auto',
            padding: '14px 24px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
          }}
        >
          <Link to="/public">
            <Brand subtitle={t('public.brandSubtitle')} />
          </Link>
          <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
            <Link to="/public" style={{ color: '#fff' }} data-testid="public-home">
              {t('public.results')}
            </Link>
            <Link to="/public#draws" style={{ color: '#fff' }}>
              {t('public.draws')}
            </Link>
            <Link to="/public/items" style={{ color: '#fff' }} data-testid="public-items-link">
              {t('publicItems.nav')}
            </Link>
            <Link to="/public/audit" style={{ color: '#fff' }} data-testid="public-audit-link">
              {t('publicAudit.nav')}
            </Link>
            <Link to="/verify" style={{ color: '#fff' }} data-testid="public-verify-link">
              {t('verifyFile.nav')}
            </Link>
            <LangSwitch dark />
          </div>
        </div>
      </div>
      <div style={{ background: '#fff', borderBottom: '1px solid #eee' }}>
        <div style={{ maxWidth: 1200, margin: '0 auto', padding: '20px 24px' }}>
          <h1
            style={{ margin: 0, fontSize: 24, fontWeight: 600, color: '#8c1014', letterSpacing: 2 }}
            data-testid="public-header"
          >
            {t('public.header')}
          </h1>
          <div style={{ color: '#666', marginTop: 6, fontSize: 13 }}>{t('public.headerSub')}</div>
        </div>
      </div>
      <Layout.Content style={{ maxWidth: 1200, width: '100%', margin: '0 auto', padding: 24 }}>
        {children}
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#888', fontSize: 12 }}>
        {t('public.footer')} · <Link to="/login">{t('public.staffLogin')}</Link>
      </Layout.Footer>
    </Layout>
  );
}
