import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ROLE_VALUES } from '@choucha/api';
import type { ButtonProps } from 'antd';
import type { Role, UserRow } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';

interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  departmentId?: number;
  password: string;
}

export default function Users() {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const { data, loading, reload } = useFetch<{ items: UserRow[] }>('/api/users');
  const { departments } = useDepartments();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [busy, setBusy] = useState(false);
  const [addForm] = Form.useForm<NewUser>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const role = Form.useWatch('role', addForm);
  const needsDept = role === 'dept_admin' || role === 'inspector';

  const add = async (v: NewUser) => {
    setBusy(true);
    try {
      await api.post<UserRow>('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        departmentId: needsDept ? (v.departmentId ?? null) : (v.departmentId ?? null),
        password: v.password,
      });
      message.success(t('users.created'));
      setAdding(false);
      addForm.resetFields();
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const reset = async (v: { password: string }) => {
    if (!resetting) return;
    setBusy(true);
    try {
      await api.post(`/api/users/${resetting.id}/reset-password`, { password: v.password });
      message.success(t('users.resetOk', { name: resetting.displayName }));
      setResetting(null);
      resetForm.resetFields();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="user-add">
          {t('users.add')}
        </Button>
      }
    >
      <Card>
        <Table<UserRow>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="user-table"
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            { title: t('auth.username'), dataIndex: 'username', width: 160 },
            { title: t('users.displayName'), dataIndex: 'displayName', width: 160 },
            {
              title: t('users.role'),
              dataIndex: 'role',
              width: 140,
              render: (v: string) => <Tag color="blue">{tk('role', v)}</Tag>,
            },
            {
              title: t('common.department'),
              dataIndex: 'departmentName',
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('common.status'),
              key: 'st',
              width: 160,
              render: (_v, r) => (
                <>
                  {r.disabled ? (
                    <Tag>{t('users.disabled')}</Tag>
                  ) : (
                    <Tag color="green">{t('users.enabled')}</Tag>
                  )}
                  {r.mustChangePassword ? <Tag color="orange">{t('users.mustChange')}</Tag> : null}
                </>
              ),
            },
            {
              title: t('common.createdAt'),
              dataIndex: 'createdAt',
              width: 180,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 120,
              render: (_v, r) => (
                <Button size="small" onClick={() => setResetting(r)} data-testid={`user-reset-${r.username}`}>
                  {t('users.resetPassword')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={adding}
        title={t('users.add')}
        onCancel={() => setAdding(false)}
        onOk={() => addForm.submit()}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'user-add-submit' } as ButtonProps}
      >
        <Form<NewUser>
          form={addForm}
          layout="vertical"
          onFinish={(v) => void add(v)}
          initialValues={{ role: 'dept_admin' }}
        >
          <Form.Item
            name="username"
            label={t('auth.username')}
            rules={[
              { required: true },
              { pattern: /^[A-Za-z0-9_.-]{2,64}$/, message: t('users.usernameRule') },
            ]}
          >
            <Input data-testid="user-username" autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="user-display-name" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
            <Select
              data-testid="user-role"
              options={ROLE_VALUES.map((r) => ({ value: r, label: tk('role', r) }))}
            />
          </Form.Item>
          <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: needsDept }]}>
            <DepartmentSelect departments={departments} width="100%" testId="user-department" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={t('auth.passwordRule')}
            rules={[{ required: true, min: 10 }]}
          >
            <Input.Password data-testid="user-password" autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!resetting}
        title={t('users.resetTitle', { name: resetting?.displayName ?? '' })}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'user-reset-submit' } as ButtonProps}
      >
        <Form form={resetForm} layout="vertical" onFinish={(v: { password: string }) => void reset(v)}>
          <Form.Item
            name="password"
            label={t('auth.newPassword')}
            extra={t('users.resetHint')}
            rules={[{ required: true, min: 10 }]}
          >
            <Input.Password data-testid="user-reset-password" autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </PageFrame>
  );
}
