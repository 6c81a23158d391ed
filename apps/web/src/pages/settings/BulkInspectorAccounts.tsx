/**
 * Inspector accounts in bulk: choose inspectors without an account (by department), create their
 * accounts, and show the one-time passwords once — with the .xlsx the server returned in the same
 * answer. Nothing of it can be fetched again: closing asks for confirmation.
 */
import { useState } from 'react';
import { Alert, App, Button, Modal, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import type { BulkCreateResult, Department } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';

interface Candidate {
  id: number;
  name: string;
  certNo: string | null;
  departmentId: number;
  active: boolean;
}

function download(base64: string, fileName: string) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(
    new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function BulkInspectorAccounts({
  open,
  onClose,
  departments,
  fixedDepartment,
}: {
  open: boolean;
  onClose: () => void;
  departments: Department[];
  /** a department admin's own department; null: the joint office chooses */
  fixedDepartment: number | null;
}) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const [dept, setDept] = useState<number | undefined>(fixedDepartment ?? undefined);
  const [chosen, setChosen] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkCreateResult | null>(null);
  const { data, loading, reload } = useFetch<{ items: Candidate[] }>(
    open && !result ? '/api/users/inspector-candidates' : null,
    { departmentId: dept },
  );
  const candidates = (data?.items ?? []).filter((c) => c.active);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));

  const create = async () => {
    setBusy(true);
    try {
      const r = await api.post<BulkCreateResult>('/api/users/bulk-inspectors', { inspectorIds: chosen });
      setResult(r);
      setChosen([]);
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const finish = () => {
    setResult(null);
    setChosen([]);
    reload();
    onClose();
  };
  const close = () => {
    if (!result || result.created.length === 0) return finish();
    modal.confirm({
      title: t('users.closeConfirm'),
      okText: t('users.close'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'bulk-close-confirm' } as ButtonProps,
      onOk: finish,
    });
  };

  return (
    <Modal
      open={open}
      title={t('users.bulk')}
      width={860}
      onCancel={close}
      destroyOnHidden
      maskClosable={false}
      footer={
        result ? (
          <Space>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              disabled={result.created.length === 0}
              onClick={() => download(result.workbookBase64, result.fileName)}
              data-testid="bulk-export"
            >
              {t('users.bulkExport')}
            </Button>
            <Button onClick={close} data-testid="bulk-close">
              {t('users.close')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              disabled={chosen.length === 0}
              loading={busy}
              onClick={() => void create()}
              data-testid="bulk-create"
            >
              {t('users.bulkCreate', { n: chosen.length })}
            </Button>
          </Space>
        )
      }
    >
      {result ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('users.bulkOnce')} />
          <Typography.Text strong>{t('users.bulkResult', { n: result.created.length })}</Typography.Text>
          {result.skipped.length ? (
            <Typography.Text type="secondary">
              {t('users.bulkSkipped', { n: result.skipped.length })}
            </Typography.Text>
          ) : null}
          <Table
            rowKey="userId"
            size="small"
            pagination={false}
            scroll={{ x: 640 }}
            data-testid="bulk-result"
            dataSource={result.created}
            columns={[
              { title: t('inspectors.name'), dataIndex: 'displayName', width: 100 },
              {
                title: t('inspectors.certNo'),
                dataIndex: 'certNo',
                width: 130,
                render: (v: string | null) => v ?? '—',
              },
              { title: t('common.department'), dataIndex: 'departmentName', width: 160 },
              {
                title: t('auth.username'),
                dataIndex: 'username',
                width: 150,
                render: (v: string) => <Typography.Text copyable>{v}</Typography.Text>,
              },
              {
                title: t('users.initialPassword'),
                dataIndex: 'password',
                width: 160,
                render: (v: string) => (
                  <Typography.Text code copyable data-testid="bulk-password">
                    {v}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Space>
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('users.bulkHint')}
          </Typography.Paragraph>
          {fixedDepartment === null ? (
            <DepartmentSelect
              departments={departments}
              value={dept}
              onChange={(v) => {
                setDept(typeof v === 'number' ? v : undefined);
                setChosen([]);
              }}
              testId="bulk-department"
            />
          ) : null}
          <Table<Candidate>
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={candidates}
            data-testid="bulk-candidates"
            locale={{ emptyText: t('users.bulkNone') }}
            pagination={{ pageSize: 10, showTotal: (n) => t('common.total', { n }) }}
            rowSelection={{
              selectedRowKeys: chosen,
              onChange: (keys) => setChosen(keys.map(Number).slice(0, 200)),
            }}
            columns={[
              { title: t('inspectors.name'), dataIndex: 'name' },
              { title: t('inspectors.certNo'), dataIndex: 'certNo', render: (v: string | null) => v ?? '—' },
              {
                title: t('common.department'),
                dataIndex: 'departmentId',
                render: (v: number) => <Tag>{deptName.get(v) ?? v}</Tag>,
              },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}
