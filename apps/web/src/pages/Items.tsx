/**
 * 抽查事项清单: the published items per department and edition, two editions side by side
 * (added / removed / changed items), and the joint item list.
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Col, Empty, Input, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useFetch } from '../api/client.ts';
import { useDepartments } from '../api/hooks.ts';
import type {
  ItemCatalogueView,
  ItemEditionDetailView,
  ItemEditionView,
  ItemView,
  JointItemView,
} from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../auth/AuthContext.tsx';
import { fmtDate, PageFrame } from '../components/common.tsx';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';
import { LongText } from '../components/LongText.tsx';
import { ItemScopeEditor, ScopeTags } from './items/ItemScope.tsx';

type DiffKind = 'added' | 'removed' | 'changed';
interface DiffRow {
  key: string;
  kind: DiffKind;
  category: string;
  name: string;
  before?: string;
  after?: string;
  fields: string[];
}
const DIFF_COLORS: Record<DiffKind, string> = { added: 'green', removed: 'red', changed: 'orange' };

function describeItem(i: ItemView): Record<string, string> {
  return {
    seq: i.seq === null ? '' : String(i.seq),
    targetDesc: i.targetDesc ?? '',
    itemKind: i.itemKind ?? '',
    methods: i.methods.join('、'),
    subjects: i.subjects.join('、'),
    basis: i.basis.join('；'),
    field: i.field ?? '',
  };
}
function describeJoint(j: JointItemView): Record<string, string> {
  return {
    targetDesc: j.targetDesc ?? '',
    leadDepartmentId: String(j.leadDepartmentId),
    cooperatingDepartmentIds: [...j.cooperatingDepartmentIds].sort((a, b) => a - b).join(','),
  };
}

/** Items keyed by category + name (joint items: domain + name); sequence numbers may move. */
export function diffEditions(a: ItemEditionDetailView, b: ItemEditionDetailView): DiffRow[] {
  const rows: DiffRow[] = [];
  const pairs: [string, { category: string; name: string; d: Record<string, string> }][][] = [a, b].map(
    (e) => [
      ...e.items.map(
        (i) =>
          [`i|${i.category}|${i.name}`, { category: i.category, name: i.name, d: describeItem(i) }] as [
            string,
            { category: string; name: string; d: Record<string, string> },
          ],
      ),
      ...e.jointItems.map(
        (j) =>
          [`j|${j.domain}|${j.name}`, { category: j.domain, name: j.name, d: describeJoint(j) }] as [
            string,
            { category: string; name: string; d: Record<string, string> },
          ],
      ),
    ],
  );
  const left = new Map(pairs[0]);
  const right = new Map(pairs[1]);
  for (const [k, v] of left) {
    const w = right.get(k);
    if (!w) rows.push({ key: k, kind: 'removed', category: v.category, name: v.name, fields: [] });
    else {
      const fields = Object.keys({ ...v.d, ...w.d }).filter((f) => (v.d[f] ?? '') !== (w.d[f] ?? ''));
      if (fields.length)
        rows.push({
          key: k,
          kind: 'changed',
          category: v.category,
          name: v.name,
          fields,
          before: fields.map((f) => v.d[f] ?? '').join(' / '),
          after: fields.map((f) => w.d[f] ?? '').join(' / '),
        });
    }
  }
  for (const [k, w] of right)
    if (!left.has(k)) rows.push({ key: k, kind: 'added', category: w.category, name: w.name, fields: [] });
  return rows;
}

function ItemTable({
  items,
  deptName,
  testId,
  canEdit,
  onEditScope,
}: {
  items: ItemView[];
  deptName: Map<number, string>;
  testId: string;
  canEdit: (i: ItemView) => boolean;
  onEditScope: (i: ItemView) => void;
}) {
  const { t } = useI18n();
  return (
    <Table<ItemView>
      rowKey="id"
      dataSource={items}
      size="middle"
      scroll={{ x: 1800 }}
      tableLayout="fixed"
      data-testid={testId}
      pagination={{ pageSize: 50, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        { title: t('items.seq'), dataIndex: 'seq', width: 70, render: (v: number | null) => v ?? '—' },
        {
          title: t('common.department'),
          dataIndex: 'departmentId',
          width: 160,
          render: (v: number) => deptName.get(v) ?? v,
        },
        {
          title: t('items.category'),
          dataIndex: 'category',
          width: 160,
          render: (v: string) => <LongText text={v} />,
        },
        {
          title: t('items.name'),
          dataIndex: 'name',
          width: 280,
          render: (v: string) => <LongText text={v} testId="item-name" />,
        },
        {
          title: t('items.target'),
          dataIndex: 'targetDesc',
          width: 160,
          render: (v: string | null) => (v ? <LongText text={v} /> : '—'),
        },
        {
          title: t('roster.scope'),
          key: 'scope',
          width: 260,
          render: (_v, i: ItemView) => (
            <Space orientation="vertical" size={4} data-testid="item-scope-cell" data-item={i.id}>
              <ScopeTags scope={i.scope} deptName={deptName} />
              {canEdit(i) ? (
                <a onClick={() => onEditScope(i)} data-testid="item-scope-edit">
                  {t('roster.edit')}
                </a>
              ) : null}
            </Space>
          ),
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
          title: t('items.subjects'),
          dataIndex: 'subjects',
          width: 140,
          render: (v: string[]) => v.join('、') || '—',
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
  );
}

export function JointItemTable({
  rows,
  deptName,
  testId,
}: {
  rows: {
    id: number;
    domain: string;
    name: string;
    targetDesc: string | null;
    lead: string;
    cooperating: string[];
  }[];
  deptName?: Map<number, string>;
  testId: string;
}) {
  const { t } = useI18n();
  void deptName;
  return (
    <Table
      rowKey="id"
      dataSource={rows}
      size="middle"
      data-testid={testId}
      scroll={{ x: 1100 }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        {
          title: t('items.domain'),
          dataIndex: 'domain',
          width: 180,
          render: (v: string) => <LongText text={v} />,
        },
        {
          title: t('items.name'),
          dataIndex: 'name',
          width: 280,
          render: (v: string) => <LongText text={v} testId="item-name" />,
        },
        {
          title: t('items.target'),
          dataIndex: 'targetDesc',
          width: 180,
          render: (v: string | null) => (v ? <LongText text={v} /> : '—'),
        },
        { title: t('items.lead'), dataIndex: 'lead', width: 180 },
        {
          title: t('items.cooperating'),
          dataIndex: 'cooperating',
          minWidth: 240,
          render: (v: string[]) => v.map((d) => <Tag key={d}>{d}</Tag>),
        },
      ]}
    />
  );
}

function editionLabel(
  e: ItemEditionView,
  deptName: Map<number, string>,
  t: (k: 'items.jointList') => string,
) {
  const d =
    e.departmentId === null ? t('items.jointList') : (deptName.get(e.departmentId) ?? String(e.departmentId));
  return `${d} · ${e.name}`;
}

function Compare({ editions, deptName }: { editions: ItemEditionView[]; deptName: Map<number, string> }) {
  const { t, tk } = useI18n();
  const [left, setLeft] = useState<number | undefined>(undefined);
  const [right, setRight] = useState<number | undefined>(undefined);
  const a = useFetch<ItemEditionDetailView>(left ? `/api/items/editions/${left}` : null);
  const b = useFetch<ItemEditionDetailView>(right ? `/api/items/editions/${right}` : null);
  const diff = useMemo(
    () => (a.data && b.data && left && right ? diffEditions(a.data, b.data) : null),
    [a.data, b.data, left, right],
  );
  const options = editions.map((e) => ({
    value: e.id,
    label: `${editionLabel(e, deptName, t)}（${tk('editionStatus', e.status)}）`,
  }));
  const counts = (k: DiffKind) => diff?.filter((r) => r.kind === k).length ?? 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Row gutter={16}>
        <Col span={12}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: '100%' }}
            placeholder={t('items.compareLeft')}
            value={left ?? null}
            onChange={(v: number) => setLeft(v)}
            options={options}
            data-testid="items-diff-left"
          />
        </Col>
        <Col span={12}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: '100%' }}
            placeholder={t('items.compareRight')}
            value={right ?? null}
            onChange={(v: number) => setRight(v)}
            options={options}
            data-testid="items-diff-right"
          />
        </Col>
      </Row>
      {!diff ? (
        <Empty description={t('items.compareHint')} />
      ) : (
        <>
          <Space data-testid="items-diff-summary">
            {(['added', 'removed', 'changed'] as const).map((k) => (
              <Tag key={k} color={DIFF_COLORS[k]} data-testid={`items-diff-${k}`} data-value={counts(k)}>
                {tk('diff', k)} {counts(k)}
              </Tag>
            ))}
          </Space>
          <Table<DiffRow>
            rowKey="key"
            size="small"
            dataSource={diff}
            data-testid="items-diff"
            scroll={{ x: 1230 }}
            locale={{ emptyText: t('items.noDifference') }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              {
                title: t('items.change'),
                dataIndex: 'kind',
                width: 90,
                render: (v: DiffKind) => <Tag color={DIFF_COLORS[v]}>{tk('diff', v)}</Tag>,
              },
              { title: t('items.category'), dataIndex: 'category', width: 180 },
              {
                title: t('items.name'),
                dataIndex: 'name',
                width: 280,
                render: (v: string) => <LongText text={v} />,
              },
              {
                title: t('items.changedFields'),
                dataIndex: 'fields',
                width: 200,
                render: (v: string[]) => v.map((f) => <Tag key={f}>{tk('itemField', f)}</Tag>),
              },
              {
                title: t('items.before'),
                dataIndex: 'before',
                width: 240,
                render: (v?: string) => <Typography.Text delete={!!v}>{v ?? ''}</Typography.Text>,
              },
              { title: t('items.after'), dataIndex: 'after', width: 240, render: (v?: string) => v ?? '' },
            ]}
          />
        </>
      )}
    </Space>
  );
}

export default function Items() {
  const { t, tk } = useI18n();
  const me = useMe();
  const { departments } = useDepartments();
  const [dept, setDept] = useState<number | undefined>(
    me.role === 'joint_admin' ? undefined : (me.departmentId ?? undefined),
  );
  const [editionId, setEditionId] = useState<number | undefined>(undefined);
  const [q, setQ] = useState('');
  const [tab, setTab] = useState('list');
  const [editing, setEditing] = useState<ItemView | null>(null);
  const { data, loading, reload } = useFetch<ItemCatalogueView>('/api/items', { departmentId: dept });
  const edition = useFetch<ItemEditionDetailView>(editionId ? `/api/items/editions/${editionId}` : null);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const itemEditions = (data?.editions ?? []).filter((e) => e.departmentId !== null);
  const source = editionId ? (edition.data?.items ?? []) : (data?.items ?? []);
  const rows = source.filter((i) => !q || i.name.includes(q) || i.category.includes(q));
  const jointRows = (data?.jointItems ?? []).map((j) => ({
    id: j.id,
    domain: j.domain,
    name: j.name,
    targetDesc: j.targetDesc,
    lead: deptName.get(j.leadDepartmentId) ?? String(j.leadDepartmentId),
    cooperating: j.cooperatingDepartmentIds.map((d) => deptName.get(d) ?? String(d)),
  }));
  const editionsByDept = new Map<string, ItemEditionView[]>();
  for (const e of data?.editions ?? []) {
    const k =
      e.departmentId === null
        ? t('items.jointList')
        : (deptName.get(e.departmentId) ?? String(e.departmentId));
    editionsByDept.set(k, [...(editionsByDept.get(k) ?? []), e]);
  }
  return (
    <PageFrame
      title={t('items.title')}
      subtitle={t('items.subtitle')}
      extra={
        <Link to="/imports/new?kind=items">
          <Button type="primary" icon={<PlusOutlined />} data-testid="items-import">
            {t('imports.new')}
          </Button>
        </Link>
      }
    >
      <Card>
        <Space style={{ marginBottom: 8 }} wrap>
          {me.role === 'joint_admin' ? (
            <DepartmentSelect
              departments={departments}
              value={dept}
              onChange={(v) => {
                setDept(typeof v === 'number' ? v : undefined);
                setEditionId(undefined);
              }}
              testId="items-filter-department"
            />
          ) : null}
        </Space>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'list',
              label: <span data-testid="items-tab-list">{t('items.tabList')}</span>,
              children: (
                <>
                  <Space style={{ marginBottom: 16 }} wrap>
                    <Select
                      allowClear
                      style={{ width: 320 }}
                      placeholder={t('items.currentPublished')}
                      value={editionId ?? null}
                      onChange={(v: number | null) => setEditionId(v ?? undefined)}
                      data-testid="items-edition"
                      options={itemEditions.map((e) => ({
                        value: e.id,
                        label: `${editionLabel(e, deptName, t)}（${tk('editionStatus', e.status)}）`,
                      }))}
                    />
                    <Input.Search
                      allowClear
                      placeholder={t('items.search')}
                      onSearch={setQ}
                      style={{ width: 260 }}
                    />
                  </Space>
                  <ItemTable
                    items={rows}
                    deptName={deptName}
                    testId="items-table"
                    canEdit={(i) =>
                      me.role === 'joint_admin' ||
                      (me.role === 'dept_admin' && me.departmentId === i.departmentId)
                    }
                    onEditScope={setEditing}
                  />
                  {editing ? (
                    <ItemScopeEditor
                      item={editing}
                      departments={departments}
                      onClose={() => setEditing(null)}
                      onSaved={() => {
                        setEditing(null);
                        reload();
                        edition.reload();
                      }}
                    />
                  ) : null}
                  {loading || edition.loading ? null : null}
                </>
              ),
            },
            {
              key: 'editions',
              label: <span data-testid="items-tab-editions">{t('items.tabEditions')}</span>,
              children: (
                <Table
                  rowKey="id"
                  size="small"
                  loading={loading}
                  data-testid="items-editions"
                  dataSource={data?.editions ?? []}
                  pagination={false}
                  columns={[
                    {
                      title: t('common.department'),
                      dataIndex: 'departmentId',
                      width: 200,
                      render: (v: number | null) =>
                        v === null ? t('items.jointList') : (deptName.get(v) ?? v),
                    },
                    { title: t('items.edition'), dataIndex: 'name', minWidth: 240 },
                    {
                      title: t('common.status'),
                      dataIndex: 'status',
                      width: 110,
                      render: (v: string) => (
                        <Tag color={v === 'published' ? 'green' : 'default'}>{tk('editionStatus', v)}</Tag>
                      ),
                    },
                    {
                      title: t('items.publishedAt'),
                      dataIndex: 'publishedAt',
                      width: 130,
                      render: (v: string | null) => fmtDate(v),
                    },
                    {
                      title: t('common.actions'),
                      key: 'a',
                      width: 120,
                      render: (_v, r: ItemEditionView) =>
                        r.departmentId !== null ? (
                          <a
                            onClick={() => {
                              setEditionId(r.id);
                              setTab('list');
                            }}
                          >
                            {t('items.view')}
                          </a>
                        ) : null,
                    },
                  ]}
                />
              ),
            },
            {
              key: 'compare',
              label: <span data-testid="items-tab-compare">{t('items.tabCompare')}</span>,
              children: <Compare editions={data?.editions ?? []} deptName={deptName} />,
            },
            {
              key: 'joint',
              label: (
                <span data-testid="items-tab-joint">
                  {t('items.tabJoint')}（{jointRows.length}）
                </span>
              ),
              children: <JointItemTable rows={jointRows} testId="joint-items-table" />,
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
