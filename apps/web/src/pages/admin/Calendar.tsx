/**
 * 法定工作日历 (issue 9 §5): which years have holiday data (the chinese-days package, or a year the
 * joint office loaded from the State Council notice), a warning for this year or the next without
 * data, and loading a year: choose a file (JSON, or xlsx/csv with 日期 + 类型 休/班) → dry-run
 * preview (every row's issue, what changes) → confirmation → loaded (audited). Staff read it;
 * only the joint office loads or removes a year.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ButtonProps } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { CalendarIssue, CalendarPreview, CalendarStatus, CalendarYearInfo } from '@choucha/api';
import { api, localizedErrorMessage, request, useFetch } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';
import { invalidateWorkingDayCalendar } from '../../components/DeadlineTag.tsx';

const SAMPLE = '日期,类型\n2027-01-01,休\n2027-01-02,休\n2027-01-03,休\n2027-02-06,班';

export default function CalendarPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const mayLoad = user?.role === 'joint_admin';
  const status = useFetch<CalendarStatus>('/api/calendar');
  const [file, setFile] = useState<File | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [notice, setNotice] = useState('');
  const [preview, setPreview] = useState<CalendarPreview | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // a new key empties the file picker after a load
  const [pickerKey, setPickerKey] = useState(0);

  const refresh = () => {
    status.reload();
    invalidateWorkingDayCalendar();
  };

  const check = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      setPreview(
        await api.upload<CalendarPreview>('/api/admin/calendar/preview', form, {
          query: { year: year ?? undefined },
        }),
      );
    } catch {
      setPreview(null); // reported
    } finally {
      setBusy(false);
    }
  };

  const load = async () => {
    if (!preview?.calendarYear || !preview.basedOn) return;
    setBusy(true);
    try {
      await api.post<CalendarPreview>('/api/admin/calendar/years', {
        calendarYear: preview.calendarYear,
        sourceName: preview.sourceName,
        ...(notice.trim() ? { notice: notice.trim() } : {}),
        basedOn: preview.basedOn,
      });
      message.success(t('calendar.loaded', { year: preview.calendarYear.year }));
      setConfirming(false);
      setPreview(null);
      setFile(null);
      setNotice('');
      setYear(null);
      setPickerKey((k) => k + 1);
      refresh();
    } catch {
      setConfirming(false); // reported (e.g. CALENDAR_PREVIEW_STALE: preview again)
    } finally {
      setBusy(false);
    }
  };

  const remove = async (y: number) => {
    try {
      await request('DELETE', `/api/admin/calendar/years/${y}`);
      message.success(t('calendar.removed', { year: y }));
      refresh();
    } catch {
      // reported
    }
  };

  const s = status.data;
  const errors = preview?.issues.filter((i) => i.severity === 'error').length ?? 0;

  return (
    <PageFrame title={t('calendar.title')} subtitle={t('calendar.subtitle')}>
      {s?.missing.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="calendar-missing"
          message={t('calendar.missing.title', { years: s.missing.join('、') })}
          description={t('calendar.missing.body')}
        />
      ) : null}

      {mayLoad ? (
        <Card title={t('calendar.load.title')} style={{ marginBottom: 16 }} data-testid="calendar-load">
          <Typography.Paragraph type="secondary">{t('calendar.load.hint')}</Typography.Paragraph>
          <Typography.Paragraph>
            <Typography.Text type="secondary">{t('calendar.load.sample')}</Typography.Text>
            <pre style={{ margin: '4px 0 0', fontSize: 12 }}>{SAMPLE}</pre>
          </Typography.Paragraph>
          <Space wrap align="start">
            <Upload
              key={pickerKey}
              accept=".json,.xlsx,.xls,.csv"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setPreview(null);
                return false;
              }}
              onRemove={() => {
                setFile(null);
                setPreview(null);
              }}
              data-testid="calendar-file"
            >
              <Button icon={<UploadOutlined />}>{t('calendar.load.choose')}</Button>
            </Upload>
            <InputNumber
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => {
                setYear(v);
                setPreview(null);
              }}
              placeholder={t('calendar.load.year')}
              style={{ width: 160 }}
              data-testid="calendar-year"
            />
            <Input
              value={notice}
              onChange={(e) => setNotice(e.target.value)}
              placeholder={t('calendar.load.notice')}
              maxLength={200}
              style={{ width: 320 }}
              data-testid="calendar-notice"
            />
            <Button
              onClick={() => void check()}
              disabled={!file}
              loading={busy}
              data-testid="calendar-preview"
            >
              {t('calendar.load.preview')}
            </Button>
          </Space>
          {preview ? <PreviewView preview={preview} /> : null}
          {preview ? (
            <div style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={!preview.calendarYear || errors > 0}
                onClick={() => setConfirming(true)}
                data-testid="calendar-confirm"
              >
                {t('calendar.load.confirm')}
              </Button>
            </div>
          ) : null}
        </Card>
      ) : null}

      <Card title={t('calendar.years.title')} data-testid="calendar-years">
        <Typography.Paragraph type="secondary">
          {t('calendar.years.hint', { through: s?.packageThrough ?? '—' })}
        </Typography.Paragraph>
        <Table<CalendarYearInfo>
          rowKey="year"
          size="small"
          loading={status.loading}
          dataSource={s?.years ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          onRow={(r) => ({ 'data-testid': `calendar-year-${r.year}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('calendar.col.year'), dataIndex: 'year', width: 80 },
            {
              title: t('calendar.col.source'),
              dataIndex: 'source',
              render: (v: CalendarYearInfo['source']) => (
                <Tag color={v === 'loaded' ? 'blue' : 'default'} data-source={v}>
                  {t(v === 'loaded' ? 'calendar.source.loaded' : 'calendar.source.package')}
                </Tag>
              ),
            },
            { title: t('calendar.col.holidays'), dataIndex: 'holidays', width: 100 },
            { title: t('calendar.col.workdays'), dataIndex: 'workdays', width: 110 },
            { title: t('calendar.col.workingDays'), dataIndex: 'workingDays', width: 110 },
            {
              title: t('calendar.col.loaded'),
              render: (_: unknown, r) =>
                r.source === 'loaded' ? (
                  <Space direction="vertical" size={0}>
                    <span>{r.notice ?? r.sourceName}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.loadedBy ?? '—'} · {fmtDateTime(r.loadedAt)}
                    </Typography.Text>
                  </Space>
                ) : (
                  '—'
                ),
            },
            ...(mayLoad
              ? [
                  {
                    title: t('common.actions'),
                    width: 120,
                    render: (_: unknown, r: CalendarYearInfo) =>
                      r.source === 'loaded' ? (
                        <Popconfirm
                          title={t(
                            r.inPackage ? 'calendar.remove.confirmPackage' : 'calendar.remove.confirm',
                            {
                              year: r.year,
                            },
                          )}
                          onConfirm={() => void remove(r.year)}
                        >
                          <Button size="small" danger data-testid={`calendar-remove-${r.year}`}>
                            {t('calendar.remove')}
                          </Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Modal
        open={confirming}
        title={t('calendar.confirm.title', { year: preview?.calendarYear?.year ?? '' })}
        okText={t('calendar.load.confirm')}
        cancelText={t('common.cancel')}
        onOk={() => void load()}
        onCancel={() => setConfirming(false)}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'calendar-confirm-ok' } as ButtonProps}
      >
        {preview?.calendarYear ? (
          <Typography.Paragraph>
            {t(
              preview.replaces === null
                ? 'calendar.confirm.new'
                : `calendar.confirm.replaces.${preview.replaces}`,
              {
                year: preview.calendarYear.year,
                off: preview.calendarYear.holidays.length,
                work: preview.calendarYear.workdays.length,
              },
            )}
          </Typography.Paragraph>
        ) : null}
        {preview?.diff ? (
          <Typography.Paragraph type="secondary">
            {t('calendar.preview.workingDays', {
              before: preview.diff.workingDaysBefore,
              after: preview.diff.workingDaysAfter,
            })}
          </Typography.Paragraph>
        ) : null}
      </Modal>
    </PageFrame>
  );
}

function DateTags({ dates, color }: { dates: string[]; color: string }) {
  if (dates.length === 0) return <span>—</span>;
  return (
    <Space size={[4, 4]} wrap>
      {dates.map((d) => (
        <Tag key={d} color={color}>
          {d}
        </Tag>
      ))}
    </Space>
  );
}

function PreviewView({ preview }: { preview: CalendarPreview }) {
  const { t } = useI18n();
  const errors = preview.issues.filter((i) => i.severity === 'error').length;
  return (
    <div style={{ marginTop: 16 }} data-testid="calendar-preview-result">
      {errors > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('calendar.preview.errors', { n: errors })}
        />
      ) : (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('calendar.preview.ok')} />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('calendar.col.year')}>{preview.year ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('calendar.preview.rows')}>{preview.rows}</Descriptions.Item>
        <Descriptions.Item label={t('calendar.col.holidays')}>
          {preview.calendarYear?.holidays.length ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('calendar.col.workdays')}>
          {preview.calendarYear?.workdays.length ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('calendar.preview.replaces')}>
          {t(
            preview.replaces === null
              ? 'calendar.preview.replaces.none'
              : `calendar.source.${preview.replaces}`,
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('calendar.col.workingDays')}>
          {preview.diff ? `${preview.diff.workingDaysBefore} → ${preview.diff.workingDaysAfter}` : '—'}
        </Descriptions.Item>
        {preview.diff ? (
          <>
            <Descriptions.Item label={t('calendar.preview.becomeOff')} span={2}>
              <DateTags dates={preview.diff.becomeOff} color="red" />
            </Descriptions.Item>
            <Descriptions.Item label={t('calendar.preview.becomeWorking')} span={2}>
              <DateTags dates={preview.diff.becomeWorking} color="blue" />
            </Descriptions.Item>
          </>
        ) : null}
      </Descriptions>
      {preview.issues.length ? (
        <Table<CalendarIssue>
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(r, i) => `${r.row}-${r.code}-${i}`}
          dataSource={preview.issues}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="calendar-issues"
          columns={[
            {
              title: t('calendar.issue.row'),
              dataIndex: 'row',
              width: 70,
              render: (v: number | null) => v ?? '—',
            },
            {
              title: t('calendar.issue.severity'),
              dataIndex: 'severity',
              width: 90,
              render: (v: CalendarIssue['severity']) => (
                <Tag color={v === 'error' ? 'red' : 'orange'}>{t(`calendar.issue.${v}`)}</Tag>
              ),
            },
            {
              title: t('calendar.issue.message'),
              dataIndex: 'code',
              render: (c: string) => localizedErrorMessage(c, c),
            },
            {
              title: t('calendar.issue.value'),
              dataIndex: 'value',
              width: 160,
              render: (v: string | null) => v ?? '—',
            },
          ]}
        />
      ) : null}
    </div>
  );
}
