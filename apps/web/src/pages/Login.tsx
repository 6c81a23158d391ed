import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth/AuthContext.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ApiError, errorDetail } from '../api/client.ts';
import { Brand } from '../components/Brand.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { homeFor } from '../layout/nav.tsx';

export default function Login() {
  const { user, login } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');

  if (user && !busy) {
    return (
      <Navigate to={user.mustChangePassword ? '/change-password' : (next ?? homeFor(user.role))} replace />
    );
  }

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const me = await login(v.username.trim(), v.password);
      const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
      void navigate(me.mustChangePassword ? '/change-password' : (safeNext ?? homeFor(me.role)), {
        replace: true,
      });
    } catch (e) {
      if (e instanceof ApiError) {
        const d = errorDetail(e);
        setError(d ? `${e.message}（${d}）` : e.message);
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(160deg, #0b3b8c 0%, #1456b8 55%, #e9eef6 55%)',
      }}
    >
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          gap: 12,
          padding: '16px clamp(12px, 4vw, 32px)',
          minWidth: 0,
        }}
      >
        <Brand />
        <LangSwitch dark />
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 24 }}>
        <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 8px 32px rgba(0,0,0,0.15)' }}>
          <Typography.Title level={4} style={{ textAlign: 'center', marginTop: 0 }}>
            {t('auth.loginTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 13 }}>
            {t('auth.loginHint')}
          </Typography.Paragraph>
          {error ? (
            <Alert
              type="error"
              showIcon
              title={error}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
            />
          ) : null}
          <Form
            layout="vertical"
            onFinish={(v: { username: string; password: string }) => void onFinish(v)}
            requiredMark={false}
          >
            <Form.Item
              name="username"
              label={t('auth.username')}
              rules={[{ required: true, message: t('auth.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={busy}
              data-testid="login-submit"
            >
              {t('auth.login')}
            </Button>
          </Form>
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <a href="/public" data-testid="login-public-link">
              {t('nav.public')}
            </a>
          </div>
        </Card>
      </div>
      <div style={{ textAlign: 'center', color: '#888', fontSize: 12, padding: 16 }}>{t('app.footer')}</div>
    </div>
  );
}
