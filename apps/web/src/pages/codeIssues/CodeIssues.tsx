/**
 * 重错码 queue: duplicate, multiple, failing or broken codes found in the entity directory, each
 * resolved by correcting the code, merging the duplicates, marking an early pilot code, or dismissing.
 */
import { useState } from 'react';
import type { HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { FileExcelOutlined, ScanOutlined } from '@ant-design/icons';
import { api, buildUrl, useFetch } from '../../api/client.ts';
import type { CodeIssue, CodeIssueEntityView, CodeIssueListView } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';
import { LongText } from '../../components/LongText.tsx';

/** The values of CODE_ISSUE_KIND_VALUES / CODE_ISSUE_STATUS_VALUES (@choucha/api; not imported: zod). */
const CODE_ISSUE_KIND_VALUES = [
  'duplicate_code',
  'multiple_codes',
  'check_failed',
  'unrecoverable',
  'malformed',
];
const CODE_ISSUE_STATUS_VALUES = ['open', 'corrected', 'merged', 'pilot', 'dismissed'];
type Action = 'correct' | 'merge' | 'pilot' | 'dismiss';
const STATUS_COLORS: Record<string, string> = {
  open: 'orange',
  corrected: 'green',
  merged: 'blue',
  pilot: 'purple',
  dismissed: 'default',
};

interface ActionForm {
  entityId?: number;
  code?: string;
  keepId?: number;
  note: string;
}

function EntityCell({ e }: { e: CodeIssueEntityView }) {
  const { tk } = useI18n();
  return (
    <div style={{ lineHeight: 1.5 }}>
      <Link to={`/entities/${e.id}`}>{e.name}</Link>
      {e.mergedIntoId ? <Tag style={{ marginInlineStart: 6 }}>→ #{e.mergedIntoId}</Tag> : null}
      <div style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12, color: '#555' }}>
        {e.uscc ?? e.regNo ?? e.rawCode ?? '—'}
        {e.codeStatus !== 'valid' ? (
          <Tag color="orange" style={{ marginInlineStart: 6, fontSize: 11 }}>
            {tk('codeStatus', e.codeStatus)}
          </Tag>
        ) : null}
      </div>
    </div>
  );
}

export default function CodeIssues() {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const kind = params.get('kind') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const filter = { status: status === 'all' ? undefined : status, kind };
  const { data, loading, reload } = useFetch<CodeIssueListView>('/api/code-issues', {
    ...filter,
    page,
    pageSize,
  });
  const [detecting, setDetecting] = useState(false);
  const [acting, setActing] = useState<{ issue: CodeIssue; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ActionForm>();

  const setParam = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.set('page', '1');
    setParams(next);
  };

  const detect = async () => {
    setDetecting(true);
    try {
      const r = await api.post<{ added: number }>('/api/code-issues/detect');
      message.success(t('codeIssues.detected', { n: r.added }));
      reload();
    } catch {
      // reported
    } finally {
      setDetecting(false);
    }
  };

  const open = (issue: CodeIssue, action: Action) => {
    form.resetFields();
    const first = issue.entities[0];
    form.setFieldsValue({
      note: '',
      ...(first ? { entityId: first.id, keepId: first.id } : {}),
      ...(action === 'correct' && first ? { code: first.uscc ?? first.rawCode ?? '' } : {}),
    });
    setActing({ issue, action });
  };

  const submit = async (v: ActionForm) => {
    if (!acting) return;
    const { issue, action } = acting;
    const body =
      action === 'correct'
        ? { code: (v.code ?? '').trim(), note: v.note, ...(v.entityId ? { entityId: v.entityId } : {}) }
        : action === 'merge'
          ? {
              keepId: v.keepId,
              mergeIds: issue.entities.filter((e) => e.id !== v.keepId).map((e) => e.id),
              note: v.note,
            }
          : { note: v.note };
    setBusy(true);
    try {
      await api.post<CodeIssue>(`/api/code-issues/${issue.id}/${action}`, body);
      message.success(t('codeIssues.resolved'));
      setActing(null);
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const by = data?.byStatus ?? {};
  // registration facts and this queue are written only by the joint office and the lead bureau
  // (access.ts mayWriteMasterData): other departments see the queue without the buttons
  const mayWrite = data?.mayWrite === true;
  return (
    <PageFrame
      title={t('codeIssues.title')}
      subtitle={t('codeIssues.subtitle')}
      extra={
        <>
          {mayWrite ? (
            <Button
              icon={<ScanOutlined />}
              loading={detecting}
              onClick={() => void detect()}
              data-testid="code-issue-detect"
            >
              {t('codeIssues.detect')}
            </Button>
          ) : null}
          <Button
            icon={<FileExcelOutlined />}
            href={buildUrl('/api/code-issues/export.xlsx', filter)}
            download
            data-testid="code-issue-export"
          >
            {t('codeIssues.export')}
          </Button>
        </>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size="middle">
          <Radio.Group
            value={status}
            optionType="button"
            onChange={(e) => setParam('status', String(e.target.value))}
            data-testid="code-issue-filter-status"
            options={(['all', ...CODE_ISSUE_STATUS_VALUES] as string[]).map((s) => ({
              value: s,
              label: (
                <span data-testid={`code-issue-status-${s}`}>
                  {tk('codeIssueStatus', s)}
                  {s !== 'all' && by[s] !== undefined ? (
                    <Badge
                      count={by[s]}
                      showZero={false}
                      overflowCount={9999}
                      color="#8c8c8c"
                      style={{ marginInlineStart: 6 }}
                    />
                  ) : null}
                </span>
              ),
            }))}
          />
          <Select
            allowClear
            value={kind ?? null}
            placeholder={t('codeIssues.kind')}
            style={{ width: 220 }}
            onChange={(v: string | null) => setParam('kind', v ?? undefined)}
            data-testid="code-issue-filter-kind"
            options={CODE_ISSUE_KIND_VALUES.map((k) => ({ value: k, label: tk('codeIssueKind', k) }))}
          />
        </Space>
      </Card>
      <Card>
        {data && !mayWrite ? (
          <Alert
            type="info"
            showIcon
            title={t('codeIssues.readOnly')}
            style={{ marginBottom: 12 }}
            data-testid="code-issue-read-only"
          />
        ) : null}
        <Table<CodeIssue>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={data?.items ?? []}
          data-testid="code-issue-table"
          onRow={(r) => ({ 'data-testid': `code-issue-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
          scroll={{ x: mayWrite ? 1400 : 1260 }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p, ps) => {
              const next = new URLSearchParams(params);
              next.set('page', String(p));
              next.set('pageSize', String(ps));
              setParams(next);
            },
          }}
          columns={[
            { title: 'ID', dataIndex: 'id', width: 70 },
            {
              title: t('codeIssues.kind'),
              dataIndex: 'kind',
              width: 150,
              render: (v: string, r) => (
                <Tag color="volcano">{tk('codeIssueKind', v) === v ? r.kindZh : tk('codeIssueKind', v)}</Tag>
              ),
            },
            {
              title: t('codeIssues.code'),
              dataIndex: 'code',
              width: 200,
              render: (v: string | null) => (
                <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v ?? '—'}</span>
              ),
            },
            {
              title: t('codeIssues.entities'),
              dataIndex: 'entities',
              width: 300,
              render: (v: CodeIssueEntityView[]) => (
                <Space orientation="vertical" size={4}>
                  {v.map((e) => (
                    <EntityCell key={e.id} e={e} />
                  ))}
                </Space>
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: string) => (
                <Tag color={STATUS_COLORS[v] ?? 'default'} data-testid="code-issue-status" data-status={v}>
                  {tk('codeIssueStatus', v)}
                </Tag>
              ),
            },
            {
              title: t('codeIssues.note'),
              dataIndex: 'note',
              width: 260,
              render: (v: string | null, r) =>
                v ? (
                  <>
                    <LongText text={v} testId="code-issue-note-text" />
                    <div style={{ color: '#888', fontSize: 12 }}>{fmtDateTime(r.resolvedAt)}</div>
                  </>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: mayWrite ? 250 : 110,
              fixed: 'right' as const,
              render: (_v, r) =>
                r.status === 'open' && !mayWrite ? (
                  <Typography.Text type="secondary">{t('codeIssues.openReadOnly')}</Typography.Text>
                ) : r.status !== 'open' ? (
                  <Typography.Text type="secondary">{t('codeIssues.closed')}</Typography.Text>
                ) : (
                  <Space size={4} wrap>
                    <Button
                      size="small"
                      onClick={() => open(r, 'correct')}
                      data-testid={`code-issue-correct-${r.id}`}
                    >
                      {t('codeIssues.correct')}
                    </Button>
                    {r.entities.length > 1 ? (
                      <Button
                        size="small"
                        onClick={() => open(r, 'merge')}
                        data-testid={`code-issue-merge-${r.id}`}
                      >
                        {t('codeIssues.merge')}
                      </Button>
                    ) : null}
                    <Button
                      size="small"
                      onClick={() => open(r, 'pilot')}
                      data-testid={`code-issue-pilot-${r.id}`}
                    >
                      {t('codeIssues.pilot')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => open(r, 'dismiss')}
                      data-testid={`code-issue-dismiss-${r.id}`}
                    >
                      {t('codeIssues.dismiss')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!acting}
        title={acting ? `${tk('codeIssueAction', acting.action)} · #${acting.issue.id}` : ''}
        onCancel={() => setActing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'code-issue-submit' } as Record<string, string>}
        destroyOnHidden
        forceRender
      >
        {acting ? (
          <Form<ActionForm>
            form={form}
            layout="vertical"
            onFinish={(v) => void submit(v)}
            data-testid="code-issue-form"
          >
            <Typography.Paragraph type="secondary">
              {tk('codeIssueActionHint', acting.action)}
            </Typography.Paragraph>
            {acting.action === 'correct' ? (
              <>
                {acting.issue.entities.length > 1 ? (
                  <Form.Item
                    name="entityId"
                    label={t('codeIssues.entityToCorrect')}
                    rules={[{ required: true }]}
                  >
                    <Select
                      data-testid="code-issue-correct-entity"
                      options={acting.issue.entities.map((e) => ({
                        value: e.id,
                        label: `${e.name}（${e.uscc ?? e.regNo ?? e.rawCode ?? '—'}）`,
                      }))}
                    />
                  </Form.Item>
                ) : null}
                <Form.Item
                  name="code"
                  label={t('codeIssues.newCode')}
                  rules={[{ required: true, min: 15, max: 40, message: t('codeIssues.newCodeRule') }]}
                >
                  <Input
                    style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}
                    data-testid="code-issue-new-code"
                  />
                </Form.Item>
              </>
            ) : null}
            {acting.action === 'merge' ? (
              <Form.Item name="keepId" label={t('codeIssues.keep')} rules={[{ required: true }]}>
                <Radio.Group data-testid="code-issue-keep">
                  <Space orientation="vertical">
                    {acting.issue.entities.map((e) => (
                      <Radio key={e.id} value={e.id} data-testid={`code-issue-keep-${e.id}`}>
                        {e.name}（{e.uscc ?? e.regNo ?? '—'}，{e.address ?? '—'}）
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Form.Item>
            ) : null}
            <Form.Item
              name="note"
              label={t('codeIssues.note')}
              rules={[{ required: true, min: 2, max: 1000, message: t('codeIssues.noteRule') }]}
            >
              <Input.TextArea rows={3} data-testid="code-issue-note" />
            </Form.Item>
          </Form>
        ) : null}
      </Modal>
    </PageFrame>
  );
}
