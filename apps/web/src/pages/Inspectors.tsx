import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Input, Space, Table, Tag } from 'antd';
import { useFetch } from '../api/client.ts';
import { useDepartments } from '../api/hooks.ts';
import type { InspectorRowView as Inspector } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { fmtDate, PageFrame } from '../components/common.tsx';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';

export default function Inspectors() {
  const { t, tv } = useI18n();
  const me = useMe();
  const { departments } = useDepartments();
  const [dept, setDept] = useState<number | undefined>(
    me.role === 'joint_admin' ? undefined : (me.departmentId ?? undefined),
  );
  const [q, setQ] = useState('');
  const { data, loading } = useFetch<{ items: Inspector[] }>('/api/inspectors', { departmentId: dept });
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const rows = (data?.items ?? []).filter((i) => !q || i.name.includes(q) || (i.certNo ?? '').includes(q));
  return (
    <PageFrame title={t('inspectors.title')} subtitle={t('inspectors.subtitle')}>
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          {me.role === 'joint_admin' ? (
            <DepartmentSelect
              departments={departments}
              value={dept}
              onChange={(v) => setDept(typeof v === 'number' ? v : undefined)}
              testId="inspector-filter-department"
            />
          ) : null}
          <Input.Search
            allowClear
            placeholder={t('inspectors.search')}
            onSearch={setQ}
            style={{ width: 260 }}
          />
        </Space>
        <Table<Inspector>
          rowKey="id"
          loading={loading}
          dataSource={rows}
          size="middle"
          pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            {
              title: t('inspectors.name'),
              dataIndex: 'name',
              render: (v: string, r) => (
                <Link to={`/inspectors/${r.id}`} data-testid={`inspector-link-${r.id}`}>
                  {v}
                </Link>
              ),
            },
            {
              title: t('common.department'),
              dataIndex: 'departmentId',
              render: (v: number) => deptName.get(v) ?? v,
            },
            { title: t('inspectors.certNo'), dataIndex: 'certNo', render: (v: string | null) => v ?? '—' },
            {
              title: t('inspectors.certValidTo'),
              dataIndex: 'certValidTo',
              render: (v: string | null, r) => (
                <>
                  {fmtDate(v)}
                  {r.certStatus === 'expired' ? (
                    <Tag
                      color="red"
                      style={{ marginInlineStart: 6 }}
                      data-testid={`inspector-cert-expired-${r.id}`}
                    >
                      {t('inspectors.certExpired')}
                    </Tag>
                  ) : r.certStatus === 'expiring' ? (
                    <Tag
                      color="orange"
                      style={{ marginInlineStart: 6 }}
                      data-testid={`inspector-cert-expiring-${r.id}`}
                    >
                      {t('inspectors.certExpiring', { n: r.certDaysLeft ?? 0 })}
                    </Tag>
                  ) : null}
                </>
              ),
            },
            {
              title: t('inspectors.fields'),
              dataIndex: 'fields',
              render: (v: string[]) => v.map((f) => <Tag key={f}>{f}</Tag>),
            },
            {
              title: t('inspectors.active'),
              dataIndex: 'status',
              width: 110,
              render: (v: string, r) => (
                <Tag
                  color={r.active && v === '在岗' ? 'green' : v === '证件过期' ? 'red' : 'default'}
                  data-testid={`inspector-status-${r.id}`}
                >
                  {tv(v)}
                </Tag>
              ),
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
