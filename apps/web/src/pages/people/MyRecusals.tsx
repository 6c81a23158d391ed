/** 我的回避申报: an inspector declares recusals for himself and follows their confirmation. */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Grid,
  Input,
  List,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { RecusalRow } from '@choucha/api';
import { api, useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDate, PageFrame } from '../../components/common.tsx';
import { EntityPicker } from './EntityPicker.tsx';
import { RecusalStatusTag } from './RecusalParts.tsx';

interface Declare {
  entityId: number;
  relation: string;
  note?: string;
  declaredOn?: Dayjs;
}

export default function MyRecusals() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useFetch<{ inspector: { id: number; name: string } | null }>('/api/me/inspector');
  const { data, loading, reload } = useFetch<{ items: RecusalRow[] }>('/api/me/recusals');
  const [form] = Form.useForm<Declare>();
  const [busy, setBusy] = useState(false);
  const linked = me.data?.inspector ?? null;
  const narrow = !Grid.useBreakpoint().md;

  const submit = async (v: Declare) => {
    setBusy(true);
    try {
      await api.post('/api/me/recusals', {
        entityId: v.entityId,
        relation: v.relation.trim(),
        note: v.note?.trim() || null,
        ...(v.declaredOn ? { declaredOn: v.declaredOn.format('YYYY-MM-DD') } : {}),
      });
      message.success(t('recusal.submitted'));
      form.resetFields();
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  const rows = data?.items ?? [];
  return (
    <PageFrame title={t('recusal.mine')} subtitle={t('recusal.mineSubtitle')}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {me.data && !linked ? <Alert type="warning" showIcon title={t('recusal.notLinked')} /> : null}
        {linked ? (
          <Card title={t('recusal.declare')} size="small">
            <Form<Declare>
              form={form}
              layout="vertical"
              onFinish={(v) => void submit(v)}
              initialValues={{ declaredOn: dayjs() }}
              style={{ maxWidth: 560 }}
            >
              <Form.Item name="entityId" label={t('recusal.entity')} rules={[{ required: true }]}>
                <EntityPicker />
              </Form.Item>
              <Form.Item
                name="relation"
                label={t('recusal.relation')}
                rules={[{ required: true, whitespace: true, max: 100 }]}
              >
                <Input placeholder={t('recusal.relationPlaceholder')} data-testid="recusal-relation" />
              </Form.Item>
              <Form.Item name="note" label={t('recusal.note')} rules={[{ max: 500 }]}>
                <Input.TextArea rows={2} data-testid="recusal-note" />
              </Form.Item>
              <Form.Item name="declaredOn" label={t('recusal.declaredOn')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} block data-testid="recusal-submit">
                {t('recusal.declare')}
              </Button>
            </Form>
          </Card>
        ) : null}
        <Card size="small" title={t('recusal.mine')}>
          {/* a list on a phone, a table on a wider screen */}
          {narrow ? (
            <List
              loading={loading}
              dataSource={rows}
              data-testid="my-recusals-list"
              renderItem={(r) => (
                <List.Item extra={<RecusalStatusTag row={r} />}>
                  <List.Item.Meta
                    title={r.entityName}
                    description={
                      <Typography.Text type="secondary">
                        {r.relation} · {fmtDate(r.declaredOn)}
                        {r.note ? ` · ${r.note}` : ''}
                      </Typography.Text>
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Table<RecusalRow>
              rowKey="id"
              size="small"
              loading={loading}
              dataSource={rows}
              pagination={false}
              data-testid="my-recusals"
              columns={[
                { title: t('recusal.entity'), dataIndex: 'entityName' },
                { title: t('recusal.relation'), dataIndex: 'relation', width: 140 },
                { title: t('recusal.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
                {
                  title: t('recusal.declaredOn'),
                  dataIndex: 'declaredOn',
                  width: 120,
                  render: (v: string) => fmtDate(v),
                },
                {
                  title: t('recusal.status'),
                  dataIndex: 'status',
                  width: 140,
                  render: (_v: string, r) => <RecusalStatusTag row={r} />,
                },
              ]}
            />
          )}
        </Card>
      </Space>
    </PageFrame>
  );
}
