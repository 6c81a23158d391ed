/** Small shared pieces: page frame, status tags, date formatting, forbidden page. */
import type { ReactNode } from 'react';
import { Card, Result, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../i18n/index.tsx';

export function PageFrame({
  title,
  extra,
  children,
  subtitle,
}: {
  title: ReactNode;
  extra?: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'flex-end',
          marginBottom: 16,
          gap: 16,
          flexWrap: 'wrap',
        }}
      >
        <div>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {subtitle ? (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {subtitle}
            </Typography.Text>
          ) : null}
        </div>
        {extra ? <Space wrap>{extra}</Space> : null}
      </div>
      {children}
    </div>
  );
}

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  planned: 'default',
  committed: 'gold',
  drawing: 'gold',
  drawn: 'blue',
  matched: 'blue',
  in_progress: 'processing',
  inspecting: 'processing',
  submitted: 'orange',
  pending: 'orange',
  rejected: 'red',
  published: 'green',
  done: 'green',
  completed: 'green',
  closed: 'default',
  cancelled: 'default',
  abandoned: 'default',
  superseded: 'default',
  dry_run: 'gold',
  committed_import: 'green',
  accepted: 'green',
  warning: 'orange',
  merged: 'blue',
  active: 'green',
  disabled: 'default',
};

/** A status value as a coloured tag, labelled through the dictionary (`status.*`). */
export function StatusTag({
  status,
  testId,
  prefix = 'status',
}: {
  status: string;
  testId?: string;
  prefix?: string;
}) {
  const { tk } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {tk(prefix, status)}
    </Tag>
  );
}

export function fmtDateTime(s: string | null | undefined): string {
  if (!s) return '—';
  const d = dayjs(s);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : s;
}

export function fmtDate(s: string | null | undefined): string {
  if (!s) return '—';
  const d = dayjs(s);
  return d.isValid() ? d.format('YYYY-MM-DD') : s;
}

export function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

export function NotFoundPage() {
  const { t } = useI18n();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

export function Coming({ title, description }: { title: string; description: string }) {
  const { t } = useI18n();
  return (
    <PageFrame title={title}>
      <Card>
        <Result status="info" title={t('common.coming')} subTitle={description} />
      </Card>
    </PageFrame>
  );
}

/** Monospace, breakable text for hashes and seeds. */
export function Mono({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Typography.Text
      code
      copyable
      data-testid={testId}
      style={{
        wordBreak: 'break-all',
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      }}
    >
      {children}
    </Typography.Text>
  );
}
