import { Link, useSearchParams } from 'react-router-dom';
import { AutoComplete, Button, Card, Form, Input, Select, Table, Tag } from 'antd';
import { useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import type { EntitySearchListView, EntitySearchRowView as EntityRow } from '../../api/types.ts';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageFrame } from '../../components/common.tsx';

const STATUS_SUGGESTIONS = ['存续', '在业', '迁出', '注销', '吊销', '停业'];
const TYPE_SUGGESTIONS = [
  '有限责任公司',
  '股份有限公司',
  '个体工商户',
  '农民专业合作社',
  '个人独资企业',
  '合伙企业',
  '分公司',
];
export const RISK_CLASSES = ['A', 'B', 'C', 'D'];
export const RISK_COLORS: Record<string, string> = {
  A: 'green',
  B: 'blue',
  C: 'orange',
  D: 'red',
  E: 'magenta',
};

interface Filters {
  q?: string;
  street?: string;
  status?: string;
  entityType?: string;
  industry?: string;
  departmentId?: string;
  riskClass?: string;
}

export default function EntityList() {
  const { t, tk } = useI18n();
  const { hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const filters: Filters = {};
  for (const k of ['q', 'street', 'status', 'entityType', 'industry', 'departmentId', 'riskClass'] as const) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const { departments } = useDepartments();
  const { data, loading } = useFetch<EntitySearchListView>('/api/entities', {
    ...filters,
    page,
    pageSize,
  });
  const showRisk = hasRole('joint_admin', 'dept_admin', 'leader');
  const [form] = Form.useForm<Filters>();

  const apply = (v: Filters) => {
    const next = new URLSearchParams();
    for (const [k, val] of Object.entries(v))
      if (typeof val === 'string' && val.trim()) next.set(k, val.trim());
      else if (typeof val === 'number') next.set(k, String(val));
    next.set('page', '1');
    next.set('pageSize', String(pageSize));
    setParams(next);
  };

  return (
    <PageFrame
      title={t('entities.title')}
      subtitle={t('entities.subtitle')}
      extra={
        <Link to="/imports/new?kind=entities">
          <Button type="primary" data-testid="entities-import">
            {t('imports.new')}
          </Button>
        </Link>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Form<Filters>
          form={form}
          layout="inline"
          initialValues={filters}
          onFinish={apply}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="q">
            <Input.Search
              allowClear
              placeholder={t('entities.searchPlaceholder')}
              style={{ width: 320 }}
              data-testid="entity-search"
              onSearch={() => form.submit()}
            />
          </Form.Item>
          <Form.Item name="street">
            <Input
              allowClear
              placeholder={t('entities.street')}
              style={{ width: 160 }}
              data-testid="entity-filter-street"
            />
          </Form.Item>
          <Form.Item name="status">
            <AutoComplete
              allowClear
              placeholder={t('entities.status')}
              style={{ width: 140 }}
              options={STATUS_SUGGESTIONS.map((s) => ({ value: s }))}
              data-testid="entity-filter-status"
            />
          </Form.Item>
          <Form.Item name="entityType">
            <AutoComplete
              allowClear
              placeholder={t('entities.entityType')}
              style={{ width: 180 }}
              options={TYPE_SUGGESTIONS.map((s) => ({ value: s }))}
              data-testid="entity-filter-type"
            />
          </Form.Item>
          <Form.Item name="industry">
            <Input
              allowClear
              placeholder={t('entities.industry')}
              style={{ width: 140 }}
              data-testid="entity-filter-industry"
            />
          </Form.Item>
          {hasRole('joint_admin') ? (
            <Form.Item
              name="departmentId"
              getValueProps={(v: string | undefined) => ({ value: v ? Number(v) : undefined })}
              normalize={(v: unknown) => (typeof v === 'number' ? String(v) : undefined)}
            >
              <DepartmentSelect departments={departments} width={200} testId="entity-filter-department" />
            </Form.Item>
          ) : null}
          {showRisk ? (
            <Form.Item name="riskClass">
              <Select
                allowClear
                placeholder={t('entities.riskClass')}
                style={{ width: 140 }}
                options={RISK_CLASSES.map((c) => ({ value: c, label: `${c} · ${tk('risk', c)}` }))}
                data-testid="entity-filter-risk"
              />
            </Form.Item>
          ) : null}
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="entity-search-submit">
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams());
              }}
            >
              {t('common.reset')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        <Table<EntityRow>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="entity-table"
          scroll={{ x: 1160 }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => (
              <span
                data-testid="entity-total"
                data-value={n}
                data-estimate={data?.totalIsEstimate ? 'true' : 'false'}
              >
                {data?.totalIsEstimate
                  ? t('entities.totalEstimate', {
                      n: n.toLocaleString('zh-CN'),
                      cap: data.exactCountCap.toLocaleString('zh-CN'),
                    })
                  : t('common.total', { n })}
              </span>
            ),
            onChange: (p, ps) => {
              const next = new URLSearchParams(params);
              next.set('page', String(p));
              next.set('pageSize', String(ps));
              setParams(next);
            },
          }}
          columns={[
            {
              title: t('entities.name'),
              dataIndex: 'name',
              width: 300,
              ellipsis: { showTitle: true },
              render: (v: string, r) => (
                <Link to={`/entities/${r.id}`} data-testid={`entity-link-${r.id}`} title={v}>
                  {v}
                </Link>
              ),
            },
            {
              title: t('entities.code'),
              key: 'code',
              width: 220,
              render: (_v, r) => (
                <span style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}>
                  {r.uscc ?? r.regNo ?? '—'}
                  {r.codeStatus && r.codeStatus !== 'valid' ? (
                    <Tag color="orange" style={{ marginInlineStart: 6 }}>
                      {tk('codeStatus', r.codeStatus)}
                    </Tag>
                  ) : null}
                </span>
              ),
            },
            {
              title: t('entities.entityType'),
              dataIndex: 'entityType',
              width: 140,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('entities.industry'),
              key: 'industry',
              width: 160,
              render: (_v, r) => r.industryName ?? r.industryCode ?? '—',
            },
            {
              title: t('entities.street'),
              dataIndex: 'street',
              width: 120,
              render: (v: string | null) => v ?? '—',
            },
            { title: t('entities.status'), dataIndex: 'status', width: 90 },
            ...(showRisk
              ? [
                  {
                    title: t('entities.riskClass'),
                    dataIndex: 'riskClass',
                    width: 100,
                    render: (v: string | null | undefined) =>
                      v ? <Tag color={RISK_COLORS[v] ?? 'default'}>{v}</Tag> : '—',
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </PageFrame>
  );
}
