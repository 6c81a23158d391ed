import { useState } from 'react';
import { Card, Input, Space, Table, Tag, Typography } from 'antd';
import type { Item } from '@choucha/api';
import { useFetch } from '../api/client.ts';
import { useDepartments } from '../api/hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { PageFrame } from '../components/common.tsx';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';

interface ItemListResp {
  editions: { id: number; departmentId: number | null; name: string; status: string }[];
  items: Item[];
}

export default function Items() {
  const { t } = useI18n();
  const me = useMe();
  const { departments } = useDepartments();
  const [dept, setDept] = useState<number | undefined>(
    me.role === 'joint_admin' ? undefined : (me.departmentId ?? undefined),
  );
  const [q, setQ] = useState('');
  const { data, loading } = useFetch<ItemListResp>('/api/items', { departmentId: dept });
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const rows = (data?.items ?? []).filter((i) => !q || i.name.includes(q) || i.category.includes(q));
  return (
    <PageFrame title={t('items.title')} subtitle={t('items.subtitle')}>
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          {me.role === 'joint_admin' ? (
            <DepartmentSelect
              departments={departments}
              value={dept}
              onChange={(v) => setDept(typeof v === 'number' ? v : undefined)}
            />
          ) : null}
          <Input.Search allowClear placeholder={t('items.search')} onSearch={setQ} style={{ width: 260 }} />
          {data?.editions.map((e) => (
            <Tag key={e.id} color={e.status === 'published' ? 'green' : 'default'}>
              {e.name}
            </Tag>
          ))}
        </Space>
        <Table<Item>
          rowKey="id"
          loading={loading}
          dataSource={rows}
          size="middle"
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            { title: t('items.seq'), dataIndex: 'seq', width: 70, render: (v: number | null) => v ?? '—' },
            {
              title: t('common.department'),
              dataIndex: 'departmentId',
              width: 160,
              render: (v: number) => deptName.get(v) ?? v,
            },
            { title: t('items.category'), dataIndex: 'category', width: 160 },
            { title: t('items.name'), dataIndex: 'name' },
            {
              title: t('items.target'),
              dataIndex: 'targetDesc',
              width: 160,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('items.kind'),
              dataIndex: 'itemKind',
              width: 120,
              render: (v: string | null) =>
                v ? <Tag color={v.includes('重点') ? 'red' : 'default'}>{v}</Tag> : '—',
            },
            {
              title: t('items.methods'),
              dataIndex: 'methods',
              width: 180,
              render: (v: string[]) => v.join('、'),
            },
            {
              title: t('items.basis'),
              dataIndex: 'basis',
              width: 220,
              render: (v: string[]) => (
                <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0 }}>
                  {v.join('；')}
                </Typography.Paragraph>
              ),
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
