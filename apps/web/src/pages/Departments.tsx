/**
 * 部门: the member departments of the joint meeting. The joint office adds, edits, deactivates
 * (with confirmation), deletes one without history and imports a list; everyone else reads
 * (a city department sees its districts).
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Space, Table, Tag, Tooltip } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import type { DepartmentAdminList, DepartmentAdminRow } from '@choucha/api';
import { api, useFetch } from '../api/client.ts';
import { useI18n, type DictKey } from '../i18n/index.tsx';
import { PageFrame } from '../components/common.tsx';
import { DepartmentForm } from './admin/DepartmentForm.tsx';
import { DepartmentImport } from './admin/DepartmentImport.tsx';

export default function Departments() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [showInactive, setShowInactive] = useState(false);
  const { data, loading, reload } = useFetch<DepartmentAdminList>('/api/admin/departments', {
    includeInactive: showInactive ? 'true' : 'false',
  });
  const { data: allData, reload: reloadAll } = useFetch<DepartmentAdminList>('/api/admin/departments', {
    includeInactive: 'true',
  });
  const [editing, setEditing] = useState<DepartmentAdminRow | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const items = data?.items ?? [];
  const all = allData?.items ?? items;
  const canWrite = data?.canWrite ?? false;
  const nameOf = (id: number | null) =>
    id === null ? '—' : (all.find((d) => d.id === id)?.name ?? `#${id}`);
  const refresh = () => {
    reload();
    reloadAll();
  };

  const setActive = (d: DepartmentAdminRow, active: boolean) => {
    const go = async () => {
      await api.post(`/api/admin/departments/${d.id}/${active ? 'reactivate' : 'deactivate'}`);
      message.success(t(active ? 'departments.reactivated' : 'departments.deactivated'));
      refresh();
    };
    if (active) {
      void go().catch(() => undefined);
      return;
    }
    modal.confirm({
      title: t('departments.confirmDeactivate', { name: d.name }),
      okText: t('departments.deactivate'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'dept-deactivate-confirm' } as ButtonProps,
      onOk: go,
    });
  };
  const remove = (d: DepartmentAdminRow) => {
    modal.confirm({
      title: t('departments.confirmDelete', { name: d.name }),
      okText: t('departments.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'dept-delete-confirm' } as ButtonProps,
      onOk: async () => {
        await api.post(`/api/admin/departments/${d.id}/delete`);
        message.success(t('departments.deleted'));
        refresh();
      },
    });
  };

  return (
    <PageFrame
      title={t('departments.title')}
      subtitle={t('departments.subtitle')}
      extra={
        canWrite ? (
          <Space wrap>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="dept-import">
              {t('departments.import')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setFormOpen(true);
              }}
              data-testid="dept-add"
            >
              {t('departments.add')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Card>
        {!loading && !canWrite ? (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('departments.readOnly')} />
        ) : null}
        <Checkbox
          checked={showInactive}
          onChange={(e) => setShowInactive(e.target.checked)}
          style={{ marginBottom: 12 }}
          data-testid="dept-show-inactive"
        >
          {t('departments.showInactive')}
        </Checkbox>
        <Table<DepartmentAdminRow>
          rowKey="id"
          loading={loading}
          dataSource={items}
          size="middle"
          pagination={false}
          scroll={{ x: 1100 }}
          data-testid="dept-table"
          columns={[
            { title: t('departments.code'), dataIndex: 'code', width: 110 },
            {
              title: t('departments.name'),
              dataIndex: 'name',
              width: 260,
              render: (v: string, r) => (
                <Space size={4} wrap>
                  <span>{v}</span>
                  {r.isLead ? <Tag color="red">{t('departments.lead')}</Tag> : null}
                  {!r.active ? <Tag>{t('departments.inactive')}</Tag> : null}
                </Space>
              ),
            },
            { title: t('departments.shortName'), dataIndex: 'shortName', width: 140 },
            {
              title: t('departments.level'),
              dataIndex: 'level',
              width: 90,
              render: (l: string) => t(`level.${l}` as DictKey),
            },
            {
              title: t('departments.parent'),
              dataIndex: 'parentId',
              width: 180,
              render: (id: number | null) => nameOf(id),
            },
            {
              title: t('departments.aliases'),
              dataIndex: 'aliases',
              width: 200,
              render: (a: string[]) => (a.length ? a.join('、') : '—'),
            },
            {
              title: t('departments.liaison'),
              dataIndex: 'contactName',
              width: 100,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('departments.phone'),
              dataIndex: 'contactPhone',
              width: 140,
              render: (v: string | null) => v ?? '—',
            },
            ...(canWrite
              ? [
                  {
                    title: t('departments.actions'),
                    key: 'actions',
                    width: 200,
                    fixed: 'right' as const,
                    render: (_: unknown, r: DepartmentAdminRow) => (
                      <Space size={0} wrap>
                        <Button
                          type="link"
                          size="small"
                          onClick={() => {
                            setEditing(r);
                            setFormOpen(true);
                          }}
                          data-testid={`dept-edit-${r.code}`}
                        >
                          {t('departments.edit')}
                        </Button>
                        {r.active ? (
                          <Tooltip title={r.isLead ? t('departments.lead') : undefined}>
                            <Button
                              type="link"
                              size="small"
                              danger
                              disabled={r.isLead}
                              onClick={() => setActive(r, false)}
                              data-testid={`dept-deactivate-${r.code}`}
                            >
                              {t('departments.deactivate')}
                            </Button>
                          </Tooltip>
                        ) : (
                          <Button
                            type="link"
                            size="small"
                            onClick={() => setActive(r, true)}
                            data-testid={`dept-reactivate-${r.code}`}
                          >
                            {t('departments.reactivate')}
                          </Button>
                        )}
                        <Button
                          type="link"
                          size="small"
                          danger
                          disabled={r.isLead}
                          onClick={() => remove(r)}
                          data-testid={`dept-delete-${r.code}`}
                        >
                          {t('departments.delete')}
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <DepartmentForm
        open={formOpen}
        editing={editing}
        departments={all}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          refresh();
        }}
      />
      <DepartmentImport open={importOpen} onClose={() => setImportOpen(false)} onDone={refresh} />
    </PageFrame>
  );
}
