/**
 * 工作台: the year's KPIs (results awaiting a decision and awaiting publication apart, 公示及时率 and
 * the overdue counts), the nearest publicity deadlines, the joint-inspection share against its
 * target, by department and by month. Opens on the latest year that has tasks (the server's default).
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, InputNumber, Progress, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { DashboardDeadline, Dashboard as DashboardData } from '@choucha/api';
import { DEFAULT_DISTRICT_RULES } from '@choucha/core/district-rules';
import { useFetch } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { PageFrame } from '../components/common.tsx';
import { CalendarMissingAlert, DeadlineTag } from '../components/DeadlineTag.tsx';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** The yearly targets come with the data (the district rules in the settings); these until it arrives. */
const DEFAULT_SHARE_GOAL = DEFAULT_DISTRICT_RULES.jointSharePercent / 100;
const DEFAULT_OBJECTS_GOAL = DEFAULT_DISTRICT_RULES.jointObjectsTarget;

/** Progress towards a goal in percent (a goal of 0 is met at once). */
const towards = (value: number, goal: number) => (goal > 0 ? Math.min(100, (value / goal) * 100) : 100);

type Dept = DashboardData['byDepartment'][number];

function Kpi({
  title,
  value,
  testId,
  suffix,
  hint,
  danger,
}: {
  title: string;
  value: number | string;
  testId: string;
  suffix?: string;
  hint?: string;
  danger?: boolean;
}) {
  return (
    <Card size="small" data-testid={testId} data-value={value}>
      <Statistic
        title={
          <Space size={4}>
            {title}
            {hint ? (
              <Tooltip title={hint}>
                <InfoCircleOutlined style={{ color: '#999' }} />
              </Tooltip>
            ) : null}
          </Space>
        }
        value={value}
        {...(suffix ? { suffix } : {})}
        {...(danger ? { styles: { content: { color: '#cf1322' } } } : {})}
      />
    </Card>
  );
}

export default function Dashboard() {
  const { t } = useI18n();
  // undefined: the server's default, the latest year that has tasks (the demo's 2023)
  const [year, setYear] = useState<number | undefined>(undefined);
  const { data, loading } = useFetch<DashboardData>('/api/dashboard', { year });
  const shownYear = year ?? data?.year;
  const timelyPct = data?.timeliness.rate == null ? null : Math.round(data.timeliness.rate * 1000) / 10;
  const overdueCount = data ? data.overdue.results + data.overdue.tasks : 0;
  const share = data ? data.jointShare : 0;
  const sharePct = Math.round(share * 1000) / 10;
  const shareGoal = data ? data.goals.jointSharePercent / 100 : DEFAULT_SHARE_GOAL;
  const objectsGoal = data ? data.goals.jointObjects : DEFAULT_OBJECTS_GOAL;
  const problemRate =
    data && data.published ? Math.round((data.problemsFound / data.published) * 1000) / 10 : 0;

  const months = data?.byMonth ?? [];
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('dashboard.targets'), t('dashboard.published')] },
    grid: { left: 48, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('dashboard.targets'),
        type: 'bar',
        data: months.map((m) => m.targets),
        itemStyle: { color: '#1456b8' },
      },
      {
        name: t('dashboard.published'),
        type: 'bar',
        data: months.map((m) => m.published),
        itemStyle: { color: '#52a447' },
      },
    ],
  };

  return (
    <PageFrame
      title={t('dashboard.title')}
      subtitle={t('dashboard.subtitle')}
      extra={
        <Space>
          {t('dashboard.year')}
          <Tooltip
            title={
              data?.years.length
                ? t('dashboard.yearsWithData', { years: data.years.join('、') })
                : t('dashboard.noData')
            }
          >
            <InputNumber<number>
              value={shownYear ?? null}
              min={2015}
              max={2100}
              onChange={(v) => v && setYear(v)}
              data-testid="dashboard-year"
            />
          </Tooltip>
        </Space>
      }
    >
      <CalendarMissingAlert style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}>
          <Kpi title={t('dashboard.tasks')} value={data?.tasks ?? 0} testId="kpi-tasks" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi title={t('dashboard.jointTasks')} value={data?.jointTasks ?? 0} testId="kpi-joint-tasks" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi title={t('dashboard.targets')} value={data?.targets ?? 0} testId="kpi-targets" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi title={t('dashboard.published')} value={data?.published ?? 0} testId="kpi-published" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi
            title={t('dashboard.problemsFound')}
            value={data?.problemsFound ?? 0}
            testId="kpi-problems"
            hint={t('dashboard.problemRate', { rate: problemRate })}
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Kpi
            title={t('dashboard.timeliness')}
            value={timelyPct === null ? '—' : `${timelyPct}%`}
            testId="kpi-timeliness"
            hint={t('dashboard.timelinessHint', {
              onTime: data?.timeliness.onTime ?? 0,
              late: data?.timeliness.late ?? 0,
              corrections: data?.timeliness.corrections ?? 0,
            })}
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} md={8} xl={6}>
          <Space orientation="vertical" style={{ width: '100%' }} size={16}>
            <Kpi
              title={t('dashboard.pendingReview')}
              value={data?.pendingReview ?? 0}
              testId="kpi-pending"
              hint={t('dashboard.pendingReviewHint')}
            />
            <Kpi
              title={t('dashboard.awaitingPublication')}
              value={data?.awaitingPublication ?? 0}
              testId="kpi-awaiting-publication"
              hint={t('dashboard.awaitingPublicationHint')}
            />
            <Kpi
              title={t('dashboard.overdue')}
              value={t('dashboard.overdueValue', {
                results: data?.overdue.results ?? 0,
                tasks: data?.overdue.tasks ?? 0,
              })}
              testId="kpi-overdue"
              hint={t('dashboard.overdueHint')}
              danger={overdueCount > 0}
            />
          </Space>
        </Col>
        <Col xs={24} md={16} xl={18}>
          <Card
            title={
              <Space size={4}>
                {t('dashboard.deadlines')}
                <Tooltip title={t('dashboard.deadlinesHint')}>
                  <InfoCircleOutlined style={{ color: '#999' }} />
                </Tooltip>
              </Space>
            }
            size="small"
            style={{ height: '100%' }}
          >
            <Table<DashboardDeadline>
              rowKey={(r) => `${r.kind}-${r.resultId ?? r.taskId}`}
              size="small"
              loading={loading}
              dataSource={data?.deadlines ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('dashboard.deadlinesEmpty') }}
              data-testid="dashboard-deadlines"
              columns={[
                {
                  title: t('deadline.publicity'),
                  key: 'due',
                  width: 230,
                  render: (_v, r) => <DeadlineTag due={r.dueOn} today={data?.today} />,
                },
                {
                  title: t('dashboard.tasks'),
                  dataIndex: 'taskName',
                  render: (v: string, r) => <Link to={`/tasks/${r.taskId}`}>{v}</Link>,
                },
                {
                  title: t('public.entityName'),
                  key: 'what',
                  render: (_v, r) =>
                    r.kind === 'task'
                      ? t('dashboard.deadlineOpenTargets', { n: r.openTargets })
                      : (r.entityName ?? '—'),
                },
                { title: t('common.department'), dataIndex: 'departmentName', width: 150 },
                {
                  title: '',
                  key: 'go',
                  width: 90,
                  render: (_v, r) =>
                    r.kind === 'result' && (r.status === 'submitted' || r.status === 'approved') ? (
                      <Link
                        to={`/review?status=${r.status}&taskId=${r.taskId}`}
                        data-testid="dashboard-deadline-link"
                      >
                        {r.status === 'submitted'
                          ? t('dashboard.deadlineToReview')
                          : t('dashboard.deadlineToPublish')}
                      </Link>
                    ) : (
                      <Link to={`/tasks/${r.taskId}`} data-testid="dashboard-deadline-link">
                        {t('dashboard.deadlineToTask')}
                      </Link>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={8}>
          <Card
            title={t('dashboard.jointShare')}
            loading={loading && !data}
            style={{ height: '100%' }}
            data-testid="kpi-joint-share"
            data-value={share}
          >
            <Space orientation="vertical" style={{ width: '100%' }}>
              <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
                <Progress
                  type="dashboard"
                  percent={towards(share, shareGoal)}
                  format={() => `${sharePct}%`}
                  strokeColor={share >= shareGoal ? '#52a447' : '#fa8c16'}
                />
                <div>
                  <Typography.Paragraph style={{ margin: 0 }}>
                    {t('dashboard.jointShareTarget', { pct: Math.round(shareGoal * 10000) / 100 })}
                  </Typography.Paragraph>
                  <Typography.Text type={share >= shareGoal ? 'success' : 'warning'}>
                    {share >= shareGoal ? t('dashboard.met') : t('dashboard.notMet')}
                  </Typography.Text>
                </div>
              </div>
              <div>
                <Space size={4}>
                  <Typography.Text>
                    {t('dashboard.jointObjects', { n: data?.jointEntities ?? 0, target: objectsGoal })}
                  </Typography.Text>
                  <Tooltip title={t('dashboard.jointObjectsHint', { planned: data?.jointTargets ?? 0 })}>
                    <InfoCircleOutlined style={{ color: '#999' }} />
                  </Tooltip>
                </Space>
                <Progress
                  percent={Math.round(towards(data?.jointEntities ?? 0, objectsGoal))}
                  format={() => `${data?.jointEntities ?? 0}/${objectsGoal}`}
                  data-testid="kpi-joint-objects"
                  data-value={data?.jointEntities ?? 0}
                />
              </div>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title={t('dashboard.byMonth')} loading={loading && !data}>
            <ReactEChartsCore echarts={echarts} option={option} style={{ height: 280 }} notMerge lazyUpdate />
          </Card>
        </Col>
      </Row>
      <Card title={t('dashboard.byDepartment')} style={{ marginTop: 16 }}>
        <Table<Dept>
          rowKey="departmentId"
          size="small"
          loading={loading}
          dataSource={data?.byDepartment ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="dashboard-by-department"
          columns={[
            { title: t('common.department'), dataIndex: 'departmentName' },
            {
              title: t('dashboard.tasks'),
              dataIndex: 'tasks',
              width: 100,
              sorter: (a, b) => a.tasks - b.tasks,
            },
            {
              title: t('dashboard.jointTasks'),
              dataIndex: 'jointTasks',
              width: 110,
              sorter: (a, b) => a.jointTasks - b.jointTasks,
            },
            {
              title: t('dashboard.targets'),
              dataIndex: 'targets',
              width: 100,
              sorter: (a, b) => a.targets - b.targets,
            },
            {
              title: t('dashboard.jointTargets'),
              dataIndex: 'jointTargets',
              width: 120,
              sorter: (a, b) => a.jointTargets - b.jointTargets,
            },
            {
              title: t('dashboard.published'),
              dataIndex: 'published',
              width: 100,
              sorter: (a, b) => a.published - b.published,
            },
            {
              title: t('dashboard.jointEntities'),
              dataIndex: 'jointEntities',
              width: 130,
              sorter: (a, b) => a.jointEntities - b.jointEntities,
            },
            {
              title: t('dashboard.jointShareCol'),
              key: 'share',
              width: 120,
              render: (_v, r) =>
                r.inspectedEntities
                  ? `${Math.round((r.jointEntities / r.inspectedEntities) * 1000) / 10}%`
                  : '—',
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
