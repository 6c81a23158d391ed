import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useAuth } from '../auth/AuthContext.tsx';
import { useI18n } from '../i18n/index.tsx';
import { api, ApiError, errorDetail } from '../api/client.ts';
import { Brand } from '../components/Brand.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { PageSpinner } from '../layout/AppLayout.tsx';
import { homeFor } from '../layout/nav.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePassword() {
  const { user, refresh, logout } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (user === undefined) return <PageSpinner />;
  if (user === null) return <Navigate to="/login" replace />;

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(
        '/api/auth/password',
        { currentPassword: v.currentPassword, newPassword: v.newPassword },
        { silent: true },
      );
      message.success(t('auth.passwordChanged'));
      await refresh();
      void navigate(homeFor(user.role), { replace: true });
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
    <div style={{ minHeight: '100vh', background: '#e9eef6' }}>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '12px 32px',
          background: 'linear-gradient(90deg, #0b3b8c 0%, #1456b8 100%)',
          borderBottom: '3px solid #c8161d',
        }}
      >
        <Brand />
        <LangSwitch dark />
      </div>
      <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
        <Card style={{ width: 440 }}>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('auth.changePassword')}
          </Typography.Title>
          {user.mustChangePassword ? (
            <Alert
              type="warning"
              showIcon
              title={t('auth.mustChange')}
              style={{ marginBottom: 16 }}
              data-testid="must-change-password"
            />
          ) : null}
          {error ? (
            <Alert
              type="error"
              showIcon
              title={error}
              style={{ marginBottom: 16 }}
              data-testid="password-error"
            />
          ) : null}
          <Form<Values> layout="vertical" onFinish={(v) => void onFinish(v)}>
            <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" data-testid="password-current" />
            </Form.Item>
            <Form.Item
              name="newPassword"
              label={t('auth.newPassword')}
              extra={t('auth.passwordRule')}
              rules={[
                { required: true },
                { min: 10, message: t('auth.passwordRule') },
                {
                  validator: (_r, v: string | undefined) =>
                    v && v === user.username
                      ? Promise.reject(new Error(t('auth.passwordRule')))
                      : Promise.resolve(),
                },
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="password-new" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('auth.confirmPassword')}
              dependencies={['newPassword']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_r, v: string | undefined) =>
                    !v || v === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('auth.passwordMismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="password-confirm" />
            </Form.Item>
            <div style={{ display: 'flex', gap: 8 }}>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
                {t('common.save')}
              </Button>
              {user.mustChangePassword ? (
                <Button onClick={() => void logout().then(() => navigate('/login'))}>
                  {t('auth.logout')}
                </Button>
              ) : (
                <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
              )}
            </div>
          </Form>
        </Card>
      </div>
    </div>
  );
}
