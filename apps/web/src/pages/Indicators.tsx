/**
 * 指标与通报: the joint-inspection indicator as the district counts it (an entity is inspected
 * jointly only when at least two departments entered a result for it in one visit) and the burden
 * figures (visits per entity per year, visits saved).
 */
import { useState } from 'react';
import { Card, Col, InputNumber, Row, Space, Statistic, Typography } from 'antd';
import type { Dashboard as DashboardData } from '@choucha/api';
import { useFetch } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { PageFrame } from '../components/common.tsx';
import { BurdenFigures } from './joint/Burden.tsx';

export default function Indicators() {
  const { t } = useI18n();
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const { data, loading } = useFetch<DashboardData>('/api/dashboard', { year });
  const pct = data ? Math.round(data.jointShare * 1000) / 10 : 0;
  const stat = (key: string, title: string, value: number | string, suffix?: string) => (
    <Col xs={12} md={6}>
      <Card size="small" data-testid={`indicator-${key}`} data-value={value} loading={loading && !data}>
        <Statistic title={title} value={value} {...(suffix ? { suffix } : {})} />
      </Card>
    </Col>
  );
  return (
    <PageFrame
      title={t('nav.indicators')}
      subtitle={t('indicators.subtitle')}
      extra={
        <Space>
          {t('dashboard.year')}
          <InputNumber<number>
            value={year}
            min={2015}
            max={2100}
            onChange={(v) => v && setYear(v)}
            data-testid="indicators-year"
          />
        </Space>
      }
    >
      <Card title={t('indicators.joint')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('indicators.jointDefinition')}</Typography.Paragraph>
        <Row gutter={[12, 12]}>
          {stat('inspected', t('indicators.inspectedEntities'), data?.inspectedEntities ?? 0)}
          {stat('joint-entities', t('indicators.jointEntities'), data?.jointEntities ?? 0)}
          {stat('joint-visits', t('indicators.jointVisits'), data?.jointVisits ?? 0)}
          {stat('joint-share', t('dashboard.jointShare'), pct, '%')}
        </Row>
      </Card>
      <Card title={t('joint.tabBurden')}>
        <BurdenFigures key={year} year={year} />
      </Card>
    </PageFrame>
  );
}
