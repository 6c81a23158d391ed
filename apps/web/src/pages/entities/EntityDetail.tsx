/** One market entity: its fields, code history, inspections (targets and results) and exclusions from draws. */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, StopOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { api, useFetch } from '../../api/client.ts';
import { useDepartments } from '../../api/hooks.ts';
import type {
  CodeHistoryView,
  EntityDetail as Entity,
  EntityInspectionView,
  ExclusionView,
} from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDate, fmtDateTime, PageFrame, StatusTag } from '../../components/common.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { RISK_COLORS } from './EntityList.tsx';

const mono = { fontFamily: 'ui-monospace, Menlo, monospace' } as const;

interface ExclusionForm {
  reason: string;
  range: [Dayjs, Dayjs | null];
}

function CodeHistory({ rows }: { rows: CodeHistoryView[] }) {
  const { t, tk } = useI18n();
  return (
    <Table<CodeHistoryView>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="entity-code-history"
      locale={{ emptyText: t('entityDetail.noHistory') }}
      columns={[
        {
          title: t('entityDetail.changedAt'),
          dataIndex: 'changedAt',
          width: 170,
          render: (v: string) => fmtDateTime(v),
        },
        {
          title: t('entityDetail.action'),
          dataIndex: 'action',
          width: 120,
          render: (v: string) => tk('codeAction', v),
        },
        {
          title: t('entityDetail.before'),
          key: 'old',
          render: (_v, r) => (
            <span style={mono}>
              {r.oldUscc ?? r.oldRegNo ?? r.oldRawCode ?? '—'}
              {r.oldCodeStatus ? (
                <Tag style={{ marginInlineStart: 6 }}>{tk('codeStatus', r.oldCodeStatus)}</Tag>
              ) : null}
            </span>
          ),
        },
        {
          title: t('entityDetail.after'),
          key: 'new',
          render: (_v, r) =>
            r.mergedIntoId ? (
              <Link to={`/entities/${r.mergedIntoId}`}>
                {t('entityDetail.mergedInto', { id: r.mergedIntoId })}
              </Link>
            ) : (
              <span style={mono}>
                {r.newUscc ?? r.newRegNo ?? '—'}
                {r.newCodeStatus ? (
                  <Tag style={{ marginInlineStart: 6 }}>{tk('codeStatus', r.newCodeStatus)}</Tag>
                ) : null}
              </span>
            ),
        },
        {
          title: t('codeIssues.note'),
          dataIndex: 'note',
          render: (v: string | null, r) => (
            <>
              {v ?? '—'}
              {r.issueId ? (
                <Link to={`/code-issues?status=all`} style={{ marginInlineStart: 6, fontSize: 12 }}>
                  #{r.issueId}
                </Link>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}

function Inspections({ rows }: { rows: EntityInspectionView[] }) {
  const { t, tv } = useI18n();
  const { departments } = useDepartments();
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return (
    <Table<EntityInspectionView>
      rowKey="targetId"
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="entity-inspections"
      locale={{ emptyText: t('entityDetail.noInspections') }}
      columns={[
        { title: t('entityDetail.year'), dataIndex: 'year', width: 70 },
        {
          title: t('public.task'),
          dataIndex: 'taskName',
          render: (v: string, r) => (
            <>
              <Link to={`/tasks/${r.taskId}`}>{v}</Link>
              {r.isJoint ? (
                <Tag color="purple" style={{ marginInlineStart: 6 }}>
                  {t('tasks.joint')}
                </Tag>
              ) : null}
            </>
          ),
        },
        {
          title: t('common.department'),
          dataIndex: 'departmentId',
          width: 180,
          render: (v: number) => deptName.get(v) ?? v,
        },
        {
          title: t('entityDetail.draw'),
          key: 'draw',
          width: 130,
          render: (_v, r) => (
            <Space size={4}>
              <Link to={`/draws/${r.drawId}`}>#{r.drawId}</Link>
              <StatusTag status={r.drawStatus} />
            </Space>
          ),
        },
        {
          title: t('entityDetail.results'),
          dataIndex: 'results',
          render: (v: EntityInspectionView['results']) =>
            v.length === 0
              ? '—'
              : v.map((x) => (
                  <div key={x.id} style={{ marginBottom: 4 }}>
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineEnd: 6 }}>
                      {fmtDate(x.inspectedOn)}
                    </Typography.Text>
                    {x.codes.map((c) => (
                      <Tag key={c} color={c === '未发现问题' ? 'green' : 'volcano'}>
                        {tv(c)}
                      </Tag>
                    ))}
                    <StatusTag status={x.status} />
                  </div>
                )),
        },
      ]}
    />
  );
}

function Exclusions({ entityId, name }: { entityId: number; name: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { hasRole } = useAuth();
  const { departments } = useDepartments();
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const { data, loading, reload } = useFetch<{ items: ExclusionView[] }>('/api/exclusions', { entityId });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ExclusionForm>();
  const today = dayjs().format('YYYY-MM-DD');
  const submit = async (v: ExclusionForm) => {
    setBusy(true);
    try {
      await api.post(`/api/entities/${entityId}/exclusions`, {
        reason: v.reason.trim(),
        fromDate: v.range[0].format('YYYY-MM-DD'),
        toDate: v.range[1] ? v.range[1].format('YYYY-MM-DD') : null,
      });
      message.success(t('exclusions.saved'));
      setOpen(false);
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title={t('exclusions.title')}
      size="small"
      extra={
        hasRole('joint_admin', 'dept_admin') ? (
          <Button
            icon={<StopOutlined />}
            onClick={() => {
              form.resetFields();
              setOpen(true);
            }}
            data-testid="entity-exclude"
          >
            {t('exclusions.add')}
          </Button>
        ) : null
      }
    >
      <Table<ExclusionView>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={data?.items ?? []}
        data-testid="entity-exclusions"
        locale={{ emptyText: t('exclusions.none') }}
        columns={[
          { title: t('exclusions.reason'), dataIndex: 'reason' },
          {
            title: t('exclusions.period'),
            key: 'p',
            width: 230,
            render: (_v, r) =>
              `${fmtDate(r.fromDate)} ~ ${r.toDate ? fmtDate(r.toDate) : t('exclusions.openEnded')}`,
          },
          {
            title: t('exclusions.state'),
            key: 's',
            width: 100,
            render: (_v, r) =>
              r.fromDate <= today && (!r.toDate || r.toDate >= today) ? (
                <Tag color="red">{t('exclusions.inForce')}</Tag>
              ) : r.fromDate > today ? (
                <Tag color="gold">{t('exclusions.upcoming')}</Tag>
              ) : (
                <Tag>{t('exclusions.ended')}</Tag>
              ),
          },
          {
            title: t('common.department'),
            dataIndex: 'departmentId',
            width: 180,
            render: (v: number | null) =>
              v === null ? t('exclusions.allDepartments') : (deptName.get(v) ?? v),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('exclusions.addTitle', { name })}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'exclusion-submit' } as Record<string, string>}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('exclusions.explain')}</Typography.Paragraph>
        <Form<ExclusionForm>
          form={form}
          layout="vertical"
          initialValues={{ range: [dayjs(), null] }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            name="reason"
            label={t('exclusions.reason')}
            rules={[{ required: true, min: 2, max: 500, message: t('exclusions.reasonRule') }]}
          >
            <Input.TextArea rows={2} data-testid="exclusion-reason" />
          </Form.Item>
          <Form.Item
            name="range"
            label={t('exclusions.period')}
            rules={[
              {
                required: true,
                validator: (_r, v?: [Dayjs | null, Dayjs | null]) =>
                  v?.[0] ? Promise.resolve() : Promise.reject(new Error(t('exclusions.fromRule'))),
              },
            ]}
          >
            <DatePicker.RangePicker allowEmpty={[false, true]} data-testid="exclusion-range" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

export default function EntityDetail() {
  const { id } = useParams();
  const { t, tk } = useI18n();
  const { departments } = useDepartments();
  const { data, loading } = useFetch<Entity>(`/api/entities/${id ?? ''}`);
  if (loading && !data) return <PageSpinner />;
  if (!data) return <Empty />;
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const dash = (v: string | null | undefined) => v ?? '—';
  return (
    <PageFrame
      title={
        <Space>
          <span data-testid="entity-name">{data.name}</span>
          {data.mergedIntoId ? (
            <Link to={`/entities/${data.mergedIntoId}`}>
              <Tag color="blue">{t('entityDetail.mergedInto', { id: data.mergedIntoId })}</Tag>
            </Link>
          ) : null}
        </Space>
      }
      extra={
        <Link to="/entities">
          <Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button>
        </Link>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('entities.basic')}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" data-testid="entity-fields">
            <Descriptions.Item label={t('entities.name')}>{data.name}</Descriptions.Item>
            <Descriptions.Item label={t('entities.uscc')}>
              <span style={mono} data-testid="entity-uscc">
                {dash(data.uscc)}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.regNo')}>
              <span style={mono}>{dash(data.regNo)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.codeStatus')}>
              <Tag color={data.codeStatus === 'valid' ? 'green' : 'orange'}>
                {tk('codeStatus', data.codeStatus)}
              </Tag>
              {data.rawCode && data.rawCode !== data.uscc && data.rawCode !== data.regNo ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('entityDetail.rawCode')}：<span style={mono}>{data.rawCode}</span>
                </Typography.Text>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.entityType')}>{dash(data.entityType)}</Descriptions.Item>
            <Descriptions.Item label={t('entities.industry')}>
              {data.industryName ?? '—'}
              {data.industryCode ? <Tag style={{ marginInlineStart: 6 }}>{data.industryCode}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('entities.street')}>{dash(data.street)}</Descriptions.Item>
            <Descriptions.Item label={t('entities.status')}>{data.status}</Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.legalRep')}>{dash(data.legalRep)}</Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.establishedOn')}>
              {fmtDate(data.establishedOn)}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.registeredCapital')}>
              {dash(data.registeredCapital)}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.phone')}>{dash(data.phone)}</Descriptions.Item>
            <Descriptions.Item label={t('entities.address')} span={2}>
              {dash(data.address)}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.licences')}>
              {data.licences.length ? data.licences.map((l) => <Tag key={l}>{l}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.tags')}>
              {data.tags.length ? data.tags.map((l) => <Tag key={l}>{l}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('entityDetail.departments')} span={2}>
              {data.supervisingDeptIds.length
                ? data.supervisingDeptIds.map((d) => <Tag key={d}>{deptName.get(d) ?? d}</Tag>)
                : '—'}
            </Descriptions.Item>
            {data.riskClass !== undefined ? (
              <Descriptions.Item label={t('entities.riskClass')}>
                {data.riskClass ? (
                  <Tag color={RISK_COLORS[data.riskClass] ?? 'default'}>{data.riskClass}</Tag>
                ) : (
                  '—'
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('entities.riskInternal')}
                  {data.riskClassifiedAt ? ` · ${fmtDate(data.riskClassifiedAt)}` : ''}
                </Typography.Text>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('entityDetail.source')}>
              {data.importId ? (
                <Link to={`/imports/${data.importId}`}>
                  {t('entityDetail.importNo', { id: data.importId })}
                </Link>
              ) : (
                '—'
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
                {fmtDateTime(data.updatedAt)}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={tk('entityDetail', 'inspections')} size="small">
          <Inspections rows={data.inspections} />
        </Card>
        <Exclusions entityId={data.id} name={data.name} />
        <Card title={t('entityDetail.codeHistory')} size="small">
          <CodeHistory rows={data.codeHistory} />
        </Card>
      </Space>
    </PageFrame>
  );
}
