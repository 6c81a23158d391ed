/**
 * 追加抽取 on a matched draw: a count and a written reason; the server draws the next tickets of the
 * public seed and matches them after the existing teams (draw-protocol §8), so nothing shown so far
 * changes. The escalations are listed with their reasons.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, List, Modal, Typography } from 'antd';
import { PlusCircleOutlined } from '@ant-design/icons';
import type { DrawView } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime } from '../../components/common.tsx';

export function EscalateButton({ draw, onDone }: { draw: DrawView; onDone: (d: DrawView) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState<number | null>(1);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const left = Math.max(0, draw.rosterSize - draw.targets.length);
  if (draw.status !== 'matched' || left === 0) return null;
  const ok = count !== null && count >= 1 && count <= left && reason.trim().length >= 2;
  const submit = async () => {
    setBusy(true);
    try {
      const d = await api.post<DrawView>(`/api/draws/${draw.id}/escalate`, { count, reason: reason.trim() });
      message.success(t('draws.escalated', { n: d.targets.length - draw.targets.length }));
      setOpen(false);
      setReason('');
      onDone(d);
    } catch {
      // reported by the client
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button icon={<PlusCircleOutlined />} onClick={() => setOpen(true)} data-testid="draw-escalate">
        {t('draws.escalate')}
      </Button>
      <Modal
        open={open}
        title={t('draws.escalateTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okText={t('draws.escalate')}
        cancelText={t('common.cancel')}
        okButtonProps={{
          disabled: !ok,
          loading: busy,
          ...({ 'data-testid': 'draw-escalate-submit' } as object),
        }}
      >
        <Alert type="info" showIcon title={t('draws.escalateExplain')} style={{ marginBottom: 12 }} />
        <Form layout="vertical">
          <Form.Item label={t('draws.escalateCount')} extra={t('draws.escalateLeft', { n: left })} required>
            <InputNumber<number>
              min={1}
              max={left}
              precision={0}
              value={count}
              onChange={(v) => setCount(v)}
              style={{ width: 160 }}
              data-testid="draw-escalate-count"
            />
          </Form.Item>
          <Form.Item label={t('draws.escalateReason')} required>
            <Input.TextArea
              rows={2}
              maxLength={1000}
              showCount
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="draw-escalate-reason"
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function EscalationHistory({ draw }: { draw: DrawView }) {
  const { t } = useI18n();
  const rounds = draw.escalationRounds ?? [];
  if (rounds.length === 0) return null;
  return (
    <Card size="small" title={t('draws.escalations')} data-testid="draw-escalations">
      <List
        size="small"
        dataSource={rounds}
        renderItem={(r, i) => (
          <List.Item data-testid={`draw-escalation-${i + 1}`}>
            <Typography.Text>
              {t('draws.escalationRow', { at: fmtDateTime(r.at), n: r.added, reason: r.reason })}
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
