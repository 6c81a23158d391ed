import type React from 'react';

import { Link } from 'react-router-dom';
import { Space, Table, Tag, Tooltip } from 'antd';
import type { Department, TargetView } from '@choucha/api';
import { useI18n } from '../../i18n/index.tsx';
import { StatusTag } from '../../components/common.tsx';
import { stratumName } from './stratum.ts';

/** Drawn targets with their tickets and inspection teams (staff view; the stratum is internal). */
export function TargetsTable({
  targets,
  departments,
  showResults = false,
  action,
}: {
  targets: TargetView[];
  departments?: Department[];
  showResults?: boolean;
  action?: ((t: TargetView) => React.ReactNode) | undefined;
}) {
  const { t, tv } = useI18n();
  const deptName = new Map((departments ?? []).map((d) => [d.id, d.shortName || d.name]));
  return (
    <Table<TargetView>
      rowKey="id"
      size="small"
      dataSource={[...targets].sort((a, b) => a.rank - b.rank)}
      data-testid="draw-targets"
      scroll={{ x: 1200 }}
      onRow={(r) => ({ 'data-testid': `target-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
      pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        { title: t('draws.rank'), dataIndex: 'rank', width: 60 },
        {
          title: t('draws.entity'),
          dataIndex: 'entityName',
          width: 240,
          render: (v: string, r) => <Link to={`/entities/${r.entityId}`}>{v}</Link>,
        },
        {
          title: t('draws.key'),
          dataIndex: 'key',
          width: 200,
          render: (v: string) => <span style={{ fontFamily: 'ui-monospace, Menlo, monospace' }}>{v}</span>,
        },
        {
          title: t('draws.stratum'),
          dataIndex: 'stratum',
          width: 110,
          render: (v: string) => <Tag title={v}>{stratumName(v, t)}</Tag>,
        },
        {
          title: t('draws.ticket'),
          dataIndex: 'ticket',
          width: 180,
          render: (v: string) => (
            <Tooltip title={v}>
              <span
                style={{ fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 }}
                data-testid="target-ticket"
              >
                {v.length > 20 ? `${v.slice(0, 20)}…` : v}
              </span>
            </Tooltip>
          ),
        },
        {
          title: t('draws.team'),
          dataIndex: 'team',
          width: 240,
          render: (team: TargetView['team']) => (
            <Space size={[4, 4]} wrap data-testid="target-team">
              {team.map((m) => (
                <Tag key={m.inspectorId} color="blue" title={deptName.get(m.departmentId) ?? ''}>
                  {m.name}
                  {departments && deptName.has(m.departmentId) ? (
                    <span style={{ color: '#888', marginInlineStart: 4, fontSize: 11 }}>
                      {deptName.get(m.departmentId)}
                    </span>
                  ) : null}
                </Tag>
              ))}
            </Space>
          ),
        },
        ...(showResults
          ? [
              {
                title: t('results.result'),
                key: 'results',
                width: 260,
                render: (_v: unknown, r: TargetView) =>
                  r.results.length === 0 ? (
                    <Tag>{t('results.none')}</Tag>
                  ) : (
                    <Space orientation="vertical" size={2}>
                      {r.results.map((res) => (
                        <div key={res.id}>
                          <StatusTag status={res.status} testId={`result-status-${r.id}`} />
                          {departments && deptName.has(res.departmentId) ? (
                            <span style={{ color: '#888', fontSize: 12 }}>
                              {deptName.get(res.departmentId)}：
                            </span>
                          ) : null}
                          {res.codes.map(tv).join('；')}
                          {res.status === 'rejected' && res.reviewNote ? (
                            <div style={{ color: '#cf1322' }} data-testid={`result-reason-${r.id}`}>
                              {t('myTargets.rejected', { reason: res.reviewNote })}
                            </div>
                          ) : null}
                        </div>
                      ))}
                    </Space>
                  ),
              },
            ]
          : []),
        ...(action
          ? [
              {
                title: t('common.actions'),
                key: 'act',
                width: 130,
                render: (_v: unknown, r: TargetView) => action(r),
              },
            ]
          : []),
      ]}
    />
  );
}
