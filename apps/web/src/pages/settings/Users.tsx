/**
 * 用户管理: accounts, roles, departments, the link to the inspector record, disabling, password
 * resets, and inspector accounts created in bulk with one-time passwords (shown once, exportable).
 * The joint office manages every account; a department admin his own department's (server-side).
 */
import { useState } from 'react';
import { App, Button, Card, Drawer, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { ROLE_VALUES } from '@choucha/api';
import type { ButtonProps } from 'antd';
import type { ManagedUser, Role } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { BulkInspectorAccounts } from './BulkInspectorAccounts.tsx';
import { InspectorLinkSelect } from './InspectorLinkSelect.tsx';

interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  departmentId?: number;
  password: string;
}

interface EditUser {
  displayName: string;
  role: Role;
  departmentId?: number | null;
  inspectorId?: number | null;
}

export default function Users() {
  const { t, tk } = useI18n();
  const me = useMe();
  const { message, modal } = App.useApp();
  const { data, loading, reload } = useFetch<{ items: ManagedUser[] }>('/api/users');
  const { departments } = useDepartments();
  const [adding, setAdding] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const [editing, setEditing] = useState<ManagedUser | null>(null);
  const [busy, setBusy] = useState(false);
  const [addForm] = Form.useForm<NewUser>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const [editForm] = Form.useForm<EditUser>();
  const role = Form.useWatch('role', addForm);
  const editDept = Form.useWatch('departmentId', editForm);
  const isJoint = me.role === 'joint_admin';
  const needsDept = role === 'dept_admin' || role === 'inspector';
  // a department admin grants only department admin or inspector, in his department
  const roleOptions = (isJoint ? ROLE_VALUES : (['dept_admin', 'inspector'] as const)).map((r) => ({
    value: r,
    label: tk('role', r),
  }));
  const myDepartments = isJoint ? departments : departments.filter((d) => d.id === me.departmentId);

  const add = async (v: NewUser) => {
    setBusy(true);
    try {
      await api.post('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        departmentId: isJoint ? (v.departmentId ?? null) : me.departmentId,
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

  const openEdit = (u: ManagedUser) => {
    setEditing(u);
    editForm.setFieldsValue({
      displayName: u.displayName,
      role: u.role,
      departmentId: u.departmentId,
      inspectorId: u.inspectorId,
    });
  };

  const save = async (v: EditUser) => {
    if (!editing) return;
    setBusy(true);
    try {
      const profile: Record<string, unknown> = {};
      if (v.displayName.trim() !== editing.displayName) profile.displayName = v.displayName.trim();
      if (v.role !== editing.role) profile.role = v.role;
      const dept = v.departmentId ?? null;
      if (dept !== editing.departmentId) profile.departmentId = dept;
      if (Object.keys(profile).length) await api.post(`/api/users/${editing.id}/profile`, profile);
      const link = v.inspectorId ?? null;
      // a move to another department drops the link on the server; link again only when asked
      if (link !== (dept !== editing.departmentId ? null : editing.inspectorId))
        await api.post(`/api/users/${editing.id}/inspector`, { inspectorId: link });
      message.success(t('users.saved'));
      setEditing(null);
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const toggle = (u: ManagedUser) => {
    const disabled = !u.disabled;
    modal.confirm({
      title: t(disabled ? 'users.disableConfirm' : 'users.enableConfirm', { name: u.displayName }),
      okText: t(disabled ? 'users.disable' : 'users.enable'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: disabled, 'data-testid': 'user-toggle-confirm' } as ButtonProps,
      onOk: async () => {
        await api.post(`/api/users/${u.id}/disabled`, { disabled });
        message.success(t(disabled ? 'users.disabledOk' : 'users.enabledOk', { name: u.displayName }));
        reload();
      },
    });
  };

  return (
    <PageFrame
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      extra={
        <Space wrap>
          <Button icon={<TeamOutlined />} onClick={() => setBulk(true)} data-testid="user-bulk">
            {t('users.bulk')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="user-add"
          >
            {t('users.add')}
          </Button>
        </Space>
      }
    >
      <Card>
        <Table<ManagedUser>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="user-table"
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            { title: t('auth.username'), dataIndex: 'username', width: 160 },
            { title: t('users.displayName'), dataIndex: 'displayName', width: 140 },
            {
              title: t('users.role'),
              dataIndex: 'role',
              width: 140,
              render: (v: string) => <Tag color="blue">{tk('role', v)}</Tag>,
            },
            {
              title: t('common.department'),
              dataIndex: 'departmentName',
              width: 180,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('users.inspector'),
              key: 'ins',
              width: 180,
              render: (_v, r) =>
                r.inspectorId ? (
                  <span data-testid={`user-inspector-${r.username}`}>
                    {r.inspectorName}
                    {r.inspectorCertNo ? <span style={{ color: '#888' }}> · {r.inspectorCertNo}</span> : null}
                  </span>
                ) : r.role === 'inspector' ? (
                  <Tag color="orange">{t('users.inspectorNone')}</Tag>
                ) : (
                  '—'
                ),
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
              width: 170,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 230,
              fixed: 'right',
              render: (_v, r) => (
                <Space size={4} wrap>
                  <Button size="small" onClick={() => openEdit(r)} data-testid={`user-edit-${r.username}`}>
                    {t('users.edit')}
                  </Button>
                  {r.id !== me.id ? (
                    <Button
                      size="small"
                      danger={!r.disabled}
                      onClick={() => toggle(r)}
                      data-testid={`user-toggle-${r.username}`}
                    >
                      {t(r.disabled ? 'users.enable' : 'users.disable')}
                    </Button>
                  ) : null}
                  {r.id !== me.id ? (
                    <Button
                      size="small"
                      onClick={() => setResetting(r)}
                      data-testid={`user-reset-${r.username}`}
                    >
                      {t('users.resetPassword')}
                    </Button>
                  ) : null}
                </Space>
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
          <Form.Item
            name="role"
            label={t('users.role')}
            rules={[{ required: true }]}
            extra={role ? <span data-testid="user-role-desc">{tk('roleDesc', role)}</span> : null}
          >
            <Select
              data-testid="user-role"
              options={roleOptions}
              optionRender={(o) => (
                <div data-testid={`user-role-option-${String(o.value)}`}>
                  <div>{o.label}</div>
                  <div style={{ fontSize: 12, color: '#888', whiteSpace: 'normal' }}>
                    {tk('roleDesc', String(o.value))}
                  </div>
                </div>
              )}
            />
          </Form.Item>
          {isJoint ? (
            <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: needsDept }]}>
              <DepartmentSelect departments={departments} width="100%" testId="user-department" />
            </Form.Item>
          ) : null}
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
      <Drawer
        open={!!editing}
        title={t('users.editTitle', { name: editing?.displayName ?? '' })}
        onClose={() => setEditing(null)}
        size={420}
        destroyOnHidden
        extra={
          <Button
            type="primary"
            loading={busy}
            onClick={() => editForm.submit()}
            data-testid="user-edit-submit"
          >
            {t('common.save')}
          </Button>
        }
      >
        {editing ? (
          <Form<EditUser> form={editForm} layout="vertical" onFinish={(v) => void save(v)}>
            <Form.Item label={t('auth.username')}>
              <Input value={editing.username} disabled />
            </Form.Item>
            <Form.Item
              name="displayName"
              label={t('users.displayName')}
              rules={[{ required: true, whitespace: true, max: 100 }]}
            >
              <Input data-testid="user-edit-display-name" />
            </Form.Item>
            <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
              <Select data-testid="user-edit-role" options={roleOptions} disabled={editing.id === me.id} />
            </Form.Item>
            <Form.Item name="departmentId" label={t('common.department')}>
              <DepartmentSelect departments={myDepartments} width="100%" testId="user-edit-department" />
            </Form.Item>
            <Form.Item name="inspectorId" label={t('users.inspector')} extra={t('users.inspectorHint')}>
              <InspectorLinkSelect
                departmentId={editDept ?? null}
                current={
                  editing.inspectorId !== null && editDept === editing.departmentId
                    ? {
                        id: editing.inspectorId,
                        name: editing.inspectorName ?? '',
                        certNo: editing.inspectorCertNo,
                      }
                    : null
                }
              />
            </Form.Item>
          </Form>
        ) : null}
      </Drawer>
      <BulkInspectorAccounts
        open={bulk}
        onClose={() => {
          setBulk(false);
          reload();
        }}
        departments={myDepartments}
        fixedDepartment={isJoint ? null : me.departmentId}
      />
    </PageFrame>
  );
}
