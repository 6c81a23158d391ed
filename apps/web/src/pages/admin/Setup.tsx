/**
 * 首次设置: the first administrator of a production start sets up the organisation (province →
 * city → district with GB/T 2260 codes, the lead bureau), then the member departments of the
 * joint meeting (added one by one or imported), marks the one lead, and finishes.
 */
import { useEffect, useState } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { putOffSetup } from './SetupGate.tsx';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Result,
  Row,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { DepartmentAdminList, DepartmentAdminRow, OrganisationBody, SetupStatus } from '@choucha/api';
import { api, ApiError, useFetch } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useI18n, type DictKey } from '../../i18n/index.tsx';
import { Brand } from '../../components/Brand.tsx';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';
import { homeFor } from '../../layout/nav.tsx';
import { DepartmentImport } from './DepartmentImport.tsx';

type Problem = { field: string; problem: string };

function OrganisationStep({
  initial,
  onSaved,
}: {
  initial: SetupStatus['organisation'];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<OrganisationBody>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (initial)
      form.setFieldsValue({
        province: initial.province,
        city: initial.city,
        district: initial.district,
        leadBureauName: initial.leadBureauName,
      });
  }, [initial, form]);
  const submit = async (v: OrganisationBody) => {
    setBusy(true);
    try {
      await api.post('/api/organisation', v, { silent: true });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ORGANISATION_INVALID') {
        const problems = (e.details?.problems ?? []) as Problem[];
        form.setFields(
          problems.map((p) => ({
            name: p.field.split('.') as never,
            errors: [t(`setup.problem.${p.problem}` as DictKey)],
          })),
        );
      } else if (e instanceof ApiError) form.setFields([{ name: 'leadBureauName', errors: [e.message] }]);
    } finally {
      setBusy(false);
    }
  };
  const region = (key: 'province' | 'city' | 'district', label: DictKey, placeholder: string) => (
    <Row gutter={12} key={key}>
      <Col xs={24} sm={14}>
        <Form.Item
          name={[key, 'name']}
          label={`${t(label)} · ${t('setup.regionName')}`}
          rules={[{ required: true, whitespace: true, message: t('setup.problem.NAME_REQUIRED') }]}
        >
          <Input maxLength={100} data-testid={`setup-${key}-name`} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={10}>
        <Form.Item
          name={[key, 'code']}
          label={t('setup.regionCode')}
          extra={t('setup.codeHelp')}
          rules={[{ required: true, message: t('setup.codeHelp') }]}
        >
          <Input
            maxLength={6}
            inputMode="numeric"
            placeholder={placeholder}
            data-testid={`setup-${key}-code`}
          />
        </Form.Item>
      </Col>
    </Row>
  );
  return (
    <Form<OrganisationBody>
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v)}
      data-testid="setup-org-form"
    >
      {region('province', 'setup.province', '610000')}
      {region('city', 'setup.city', '610100')}
      {region('district', 'setup.district', '610103')}
      <Form.Item
        name="leadBureauName"
        label={t('setup.leadBureau')}
        extra={t('setup.leadBureauHelp')}
        rules={[{ required: true, whitespace: true, message: t('setup.problem.NAME_REQUIRED') }]}
      >
        <Input maxLength={100} data-testid="setup-lead-bureau" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="setup-org-save">
        {t('setup.next')}
      </Button>
    </Form>
  );
}

function DepartmentsStep({
  leadBureauName,
  onBack,
  onDone,
}: {
  leadBureauName: string;
  onBack: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, loading, reload } = useFetch<DepartmentAdminList>('/api/admin/departments');
  const [form] = Form.useForm<{ name: string; shortName?: string; code?: string }>();
  const [importOpen, setImportOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const items = data?.items ?? [];
  const leads = items.filter((d) => d.isLead).length;

  const add = async (v: { name: string; shortName?: string; code?: string }) => {
    setBusy(true);
    try {
      const name = v.name.trim();
      await api.post('/api/admin/departments', {
        name,
        shortName: v.shortName?.trim() || null,
        code: v.code?.trim() || null,
        level: 'district',
        // the bureau named as lead in step 1 becomes the lead when it is the first one
        isLead: leads === 0 && name === leadBureauName.trim(),
      });
      form.resetFields();
      reload();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  const makeLead = async (d: DepartmentAdminRow) => {
    try {
      await api.post(`/api/admin/departments/${d.id}`, { isLead: true, replaceLead: true });
      reload();
    } catch {
      // reported
    }
  };
  const finish = async () => {
    setBusy(true);
    try {
      await api.post('/api/setup/complete');
      putOffSetup();
      message.success(t('setup.doneTitle'));
      onDone();
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={5}>{t('setup.quickAdd')}</Typography.Title>
      <Form form={form} layout="inline" onFinish={(v) => void add(v)} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('departments.form.nameRequired') }]}
        >
          <Input
            placeholder={t('departments.form.name')}
            style={{ width: 240 }}
            data-testid="setup-dept-name"
          />
        </Form.Item>
        <Form.Item name="shortName">
          <Input
            placeholder={t('departments.shortName')}
            style={{ width: 140 }}
            data-testid="setup-dept-short"
          />
        </Form.Item>
        <Form.Item name="code">
          <Input
            placeholder={t('departments.form.code')}
            style={{ width: 120 }}
            data-testid="setup-dept-code"
          />
        </Form.Item>
        <Space>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="setup-dept-add">
            {t('setup.addRow')}
          </Button>
          <Button
            icon={<UploadOutlined />}
            onClick={() => setImportOpen(true)}
            data-testid="setup-dept-import"
          >
            {t('departments.import')}
          </Button>
        </Space>
      </Form>
      <Table<DepartmentAdminRow>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="setup-dept-table"
        columns={[
          { title: t('departments.name'), dataIndex: 'name' },
          { title: t('departments.shortName'), dataIndex: 'shortName', width: 140 },
          { title: t('departments.code'), dataIndex: 'code', width: 110 },
          {
            title: t('setup.leadColumn'),
            key: 'lead',
            width: 120,
            render: (_: unknown, r) =>
              r.isLead ? (
                <Tag color="red">{t('departments.lead')}</Tag>
              ) : (
                <Button
                  size="small"
                  onClick={() => void makeLead(r)}
                  data-testid={`setup-make-lead-${r.code}`}
                >
                  {t('setup.makeLead')}
                </Button>
              ),
          },
        ]}
      />
      {!loading && items.length === 0 ? (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('setup.needDepartment')} />
      ) : null}
      {!loading && items.length > 0 && leads !== 1 ? (
        <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('setup.needLead')} />
      ) : null}
      <Space style={{ marginTop: 16 }}>
        <Button onClick={onBack}>{t('setup.prev')}</Button>
        <Button
          type="primary"
          disabled={items.length === 0 || leads !== 1}
          loading={busy}
          onClick={() => void finish()}
          data-testid="setup-finish"
        >
          {t('setup.finish')}
        </Button>
      </Space>
      <DepartmentImport open={importOpen} onClose={() => setImportOpen(false)} onDone={reload} />
    </>
  );
}

export default function Setup() {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data: status, loading, reload } = useFetch<SetupStatus>(user ? '/api/setup' : null);
  const [step, setStep] = useState<number | null>(null);
  if (user === undefined) return <PageSpinner />;
  if (user === null) return <Navigate to="/login" replace />;
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;
  const current = step ?? (status?.organisation ? 1 : 0);
  const home = homeFor(user.role);

  return (
    <div style={{ minHeight: '100vh', background: '#e9eef6' }}>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          padding: '12px 24px',
          background: 'linear-gradient(90deg, #0b3b8c 0%, #1456b8 100%)',
          borderBottom: '3px solid #c8161d',
        }}
      >
        <Brand />
        <LangSwitch dark />
      </div>
      <div style={{ maxWidth: 920, margin: '0 auto', padding: '24px 12px' }}>
        <Card data-testid="setup-page">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('setup.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('setup.subtitle')}</Typography.Paragraph>
          {user.role !== 'joint_admin' ? (
            <Alert type="info" showIcon title={t('setup.notAdmin')} />
          ) : loading || !status ? (
            <PageSpinner />
          ) : (
            <>
              <Steps
                current={current}
                style={{ marginBottom: 24 }}
                items={[
                  { title: t('setup.step.organisation') },
                  { title: t('setup.step.departments') },
                  { title: t('setup.step.done') },
                ]}
              />
              {current === 0 ? (
                <OrganisationStep
                  initial={status.organisation}
                  onSaved={() => {
                    reload();
                    setStep(1);
                  }}
                />
              ) : current === 1 ? (
                <DepartmentsStep
                  leadBureauName={status.organisation?.leadBureauName ?? ''}
                  onBack={() => setStep(0)}
                  onDone={() => setStep(2)}
                />
              ) : (
                <Result
                  status="success"
                  title={t('setup.doneTitle')}
                  subTitle={t('setup.doneText')}
                  extra={
                    <Button
                      type="primary"
                      onClick={() => void navigate(home, { replace: true })}
                      data-testid="setup-home"
                    >
                      {t('setup.goHome')}
                    </Button>
                  }
                />
              )}
              {current < 2 ? (
                <div style={{ marginTop: 16, textAlign: 'right' }}>
                  <Button
                    type="link"
                    onClick={() => {
                      putOffSetup();
                      void navigate(home, { replace: true });
                    }}
                    data-testid="setup-later"
                  >
                    {t('setup.later')}
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </Card>
      </div>
    </div>
  );
}
