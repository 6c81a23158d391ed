/** The published inspection-item lists (清单之外无检查), open to everyone: no internal fields. */
import { useState } from 'react';
import { Card, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useFetch } from '../../api/client.ts';
import type { PublicItemListView } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate } from '../../components/common.tsx';
import { JointItemTable } from '../Items.tsx';
import { PublicLayout } from './PublicLayout.tsx';

type PublicItem = PublicItemListView['items'][number];

export default function PublicItems() {
  const { t } = useI18n();
  const { data, loading } = useFetch<PublicItemListView>('/api/public/items');
  const [dept, setDept] = useState<string | undefined>(undefined);
  const [q, setQ] = useState('');
  const depts = [...new Set((data?.items ?? []).map((i) => i.departmentName))];
  const rows = (data?.items ?? []).filter(
    (i) => (!dept || i.departmentName === dept) && (!q || i.name.includes(q) || i.category.includes(q)),
  );
  const joint = (data?.jointItems ?? []).map((j) => ({
    id: j.id,
    domain: j.domain,
    name: j.name,
    targetDesc: j.targetDesc,
    lead: j.leadDepartmentName,
    cooperating: j.cooperatingDepartmentNames,
  }));
  return (
    <PublicLayout>
      <Card title={<span data-testid="public-items-title">{t('publicItems.title')}</span>}>
        <Typography.Paragraph type="secondary">{t('publicItems.explain')}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }} data-testid="public-item-editions">
          {(data?.editions ?? []).map((e) => (
            <Tag key={e.id} color="red">
              {e.departmentName ?? t('items.jointList')} · {e.name}
              {e.publishedAt ? ` · ${fmtDate(e.publishedAt)}` : ''}
            </Tag>
          ))}
        </Space>
        <Tabs
          items={[
            {
              key: 'items',
              label: `${t('publicItems.departmentLists')}（${data?.items.length ?? 0}）`,
              children: (
                <>
                  <Space wrap style={{ marginBottom: 16 }}>
                    <Select
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('common.department')}
                      style={{ width: 240 }}
                      value={dept ?? null}
                      onChange={(v: string | null) => setDept(v ?? undefined)}
                      options={depts.map((d) => ({ value: d, label: d }))}
                      data-testid="public-items-department"
                    />
                    <Input.Search
                      allowClear
                      placeholder={t('items.search')}
                      onSearch={setQ}
                      style={{ width: 260 }}
                      data-testid="public-items-search"
                    />
                  </Space>
                  <Table<PublicItem>
                    rowKey="id"
                    size="middle"
                    loading={loading}
                    dataSource={rows}
                    scroll={{ x: 1000 }}
                    data-testid="public-items"
                    pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { n }) }}
                    columns={[
                      {
                        title: t('items.seq'),
                        dataIndex: 'seq',
                        width: 70,
                        render: (v: number | null) => v ?? '—',
                      },
                      { title: t('common.department'), dataIndex: 'departmentName', width: 170 },
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
                        render: (v: string | null) => v ?? '—',
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
                          <Typography.Paragraph
                            ellipsis={{ rows: 2, expandable: true }}
                            style={{ margin: 0 }}
                          >
                            {v.join('；')}
                          </Typography.Paragraph>
                        ),
                      },
                    ]}
                  />
                </>
              ),
            },
            {
              key: 'joint',
              label: `${t('items.tabJoint')}（${joint.length}）`,
              children: <JointItemTable rows={joint} testId="public-joint-items" />,
            },
          ]}
        />
      </Card>
    </PublicLayout>
  );
}
