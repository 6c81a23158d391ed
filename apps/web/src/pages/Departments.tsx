import { Card, Table, Tag } from 'antd';
import type { Department } from '@choucha/api';
import { useDepartments } from '../api/hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { PageFrame } from '../components/common.tsx';

export default function Departments() {
  const { t, tk } = useI18n();
  const { departments, loading } = useDepartments();
  return (
    <PageFrame title={t('departments.title')} subtitle={t('departments.subtitle')}>
      <Card>
        <Table<Department>
          rowKey="id"
          loading={loading}
          dataSource={departments}
          size="middle"
          pagination={false}
          columns={[
            { title: t('departments.code'), dataIndex: 'code', width: 140 },
            {
              title: t('departments.name'),
              dataIndex: 'name',
              render: (v: string, r) => (
                <>
                  {v}
                  {r.isLead ? (
                    <Tag color="red" style={{ marginInlineStart: 8 }}>
                      {t('departments.lead')}
                    </Tag>
                  ) : null}
                </>
              ),
            },
            { title: t('departments.shortName'), dataIndex: 'shortName', width: 160 },
            {
              title: t('departments.level'),
              dataIndex: 'level',
              width: 100,
              render: (v: string) => tk('level', v),
            },
            {
              title: t('departments.contact'),
              dataIndex: 'contactName',
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('departments.phone'),
              dataIndex: 'contactPhone',
              render: (v: string | null) => v ?? '—',
            },
          ]}
        />
      </Card>
    </PageFrame>
  );
}
