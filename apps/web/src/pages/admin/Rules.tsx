/**
 * 抽查规则设置: the district's rules (team size, cool-down, yearly cap, risk classes, load cap,
 * indicator targets, upload limit). Staff read them; the joint office changes them after a
 * confirmation that lists every change. Validation is the core's (same codes as the server's);
 * the history shows who changed what, when, before → after.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ButtonProps } from 'antd';
import type { RulesHistory, RulesView, SettingHistoryEntry } from '@choucha/api';
import {
  RULE_FIELDS,
  diffDistrictRules,
  validateDistrictRules,
  type DistrictRules,
  type RULE_BOUNDS,
  type RuleField,
  type RuleIssue,
} from '@choucha/core/district-rules';
import { ApiError, request, useFetch } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useI18n, type DictKey } from '../../i18n/index.tsx';
import { fmtDateTime, PageFrame } from '../../components/common.tsx';

type NumericField = keyof typeof RULE_BOUNDS;

const SECTIONS: { title: DictKey; fields: RuleField[] }[] = [
  { title: 'rules.section.draw', fields: ['teamSize', 'coolDownMonths', 'yearlyCap', 'maxLoadPerInspector'] },
  { title: 'rules.section.classes', fields: ['riskClasses', 'unclassifiedClass'] },
  { title: 'rules.section.goals', fields: ['jointSharePercent', 'jointObjectsTarget'] },
  { title: 'rules.section.upload', fields: ['uploadLimitMb'] },
];

const UNIT: Partial<Record<RuleField, DictKey>> = {
  teamSize: 'rules.unit.people',
  coolDownMonths: 'rules.unit.months',
  yearlyCap: 'rules.unit.times',
  maxLoadPerInspector: 'rules.unit.targets',
  jointSharePercent: 'rules.unit.percent',
  jointObjectsTarget: 'rules.unit.objects',
  uploadLimitMb: 'rules.unit.mb',
};

export default function Rules() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useAuth();
  const mayEdit = user?.role === 'joint_admin';
  const view = useFetch<RulesView>('/api/settings/rules');
  const history = useFetch<RulesHistory>('/api/settings/rules/history');
  const [draft, setDraft] = useState<DistrictRules | null>(null);
  const [note, setNote] = useState('');
  const [serverIssues, setServerIssues] = useState<RuleIssue[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const current = view.data?.rules;
  useEffect(() => {
    if (current) setDraft(current);
  }, [current]);

  const checked = useMemo(() => (draft ? validateDistrictRules(draft) : null), [draft]);
  const issues: RuleIssue[] = checked && !checked.ok ? checked.error : serverIssues;
  const issueOf = (f: RuleField) => issues.find((i) => i.field === f);
  const changes = current && draft && checked?.ok ? diffDistrictRules(current, checked.value) : [];

  const label = (f: string) => (RULE_FIELDS.includes(f as RuleField) ? t(`rules.field.${f}` as DictKey) : f);
  const issueText = (i: RuleIssue) => t(`rules.issue.${i.code}` as DictKey, i.params);
  const show = (f: string, v: unknown): string => {
    if (v === null || v === undefined) return f === 'maxLoadPerInspector' ? t('rules.noCap') : '—';
    if (Array.isArray(v)) return v.join('、');
    const unit = UNIT[f as RuleField];
    return unit ? `${String(v)} ${t(unit)}` : String(v);
  };

  const set = <K extends RuleField>(f: K, v: DistrictRules[K]) => {
    setServerIssues([]);
    setDraft((d) => (d ? { ...d, [f]: v } : d));
  };

  const save = async () => {
    if (!checked?.ok || !view.data) return;
    setBusy(true);
    try {
      const patch = Object.fromEntries(changes.map((c) => [c.field, c.after]));
      const r = await request<RulesView>('PUT', '/api/settings/rules', {
        body: { rules: patch, note: note.trim() || undefined, version: view.data.version },
        silent: true,
      });
      view.setData(r);
      setNote('');
      setConfirming(false);
      history.reload();
      message.success(t('rules.saved'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SETTINGS_INVALID' && Array.isArray(e.details?.issues)) {
        setServerIssues(e.details.issues as RuleIssue[]);
        message.error(e.message);
      } else if (e instanceof ApiError && e.code === 'SETTINGS_STALE') {
        message.warning(t('rules.stale'));
        view.reload();
        history.reload();
      } else if (e instanceof ApiError) {
        message.error(e.message);
      }
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const numberInput = (f: NumericField) => {
    const v = draft?.[f];
    return (
      <InputNumber
        value={typeof v === 'number' ? v : null}
        // no min/max/precision: antd would clamp or round silently; the core's validation says why
        step={1}
        disabled={!mayEdit}
        style={{ width: 160 }}
        suffix={UNIT[f] ? t(UNIT[f]) : undefined}
        onChange={(x) => set(f, (x ?? Number.NaN) as never)}
        data-testid={`rule-${f}`}
      />
    );
  };

  const control = (f: RuleField) => {
    if (!draft) return null;
    switch (f) {
      case 'riskClasses':
        return (
          <Select
            mode="tags"
            value={draft.riskClasses}
            disabled={!mayEdit}
            style={{ width: '100%', maxWidth: 360 }}
            tokenSeparators={[',', '，', '、', ' ']}
            onChange={(v: string[]) =>
              set('riskClasses', v.map((x) => x.trim().toUpperCase()).filter(Boolean))
            }
            data-testid="rule-riskClasses"
          />
        );
      case 'unclassifiedClass':
        return (
          <Select
            value={draft.unclassifiedClass}
            disabled={!mayEdit}
            style={{ width: 160 }}
            options={draft.riskClasses.map((c) => ({ value: c, label: c }))}
            onChange={(v: string) => set('unclassifiedClass', v)}
            data-testid="rule-unclassifiedClass"
          />
        );
      case 'maxLoadPerInspector':
        return (
          <Space wrap>
            <Checkbox
              checked={draft.maxLoadPerInspector === null}
              disabled={!mayEdit}
              onChange={(e) => set('maxLoadPerInspector', e.target.checked ? null : 20)}
              data-testid="rule-maxLoadPerInspector-none"
            >
              {t('rules.noCap')}
            </Checkbox>
            {draft.maxLoadPerInspector === null ? null : numberInput('maxLoadPerInspector')}
          </Space>
        );
      default:
        return numberInput(f);
    }
  };

  return (
    <PageFrame title={t('rules.title')} subtitle={t('rules.subtitle')}>
      {!mayEdit ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('rules.readOnly')} />
      ) : null}
      <Card
        loading={view.loading && !draft}
        title={t('rules.current')}
        extra={
          view.data?.updatedAt ? (
            <Typography.Text type="secondary">
              {t('rules.lastChanged', {
                at: fmtDateTime(view.data.updatedAt),
                by: view.data.updatedBy ?? '—',
              })}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t('rules.neverChanged')}</Typography.Text>
          )
        }
      >
        <Form layout="vertical" data-testid="rules-form">
          {SECTIONS.map((s) => (
            <div key={s.title}>
              <Typography.Title level={5}>{t(s.title)}</Typography.Title>
              <Row gutter={24}>
                {s.fields.map((f) => {
                  const i = issueOf(f);
                  return (
                    <Col xs={24} md={12} key={f}>
                      <Form.Item
                        label={label(f)}
                        validateStatus={i ? 'error' : ''}
                        {...(i ? { help: <span data-testid={`rule-error-${f}`}>{issueText(i)}</span> } : {})}
                        extra={
                          <>
                            {t(`rules.help.${f}` as DictKey)}
                            {view.data ? (
                              <> {t('rules.default', { value: show(f, view.data.defaults[f]) })}</>
                            ) : null}
                          </>
                        }
                      >
                        {control(f)}
                      </Form.Item>
                    </Col>
                  );
                })}
              </Row>
            </div>
          ))}
          {mayEdit ? (
            <>
              <Form.Item label={t('rules.note')} extra={t('rules.noteHelp')}>
                <Input.TextArea
                  value={note}
                  maxLength={500}
                  rows={2}
                  onChange={(e) => setNote(e.target.value)}
                  data-testid="rules-note"
                />
              </Form.Item>
              <Space>
                <Button
                  type="primary"
                  disabled={!checked?.ok || changes.length === 0}
                  onClick={() => setConfirming(true)}
                  data-testid="rules-save"
                >
                  {t('rules.save')}
                </Button>
                <Button
                  disabled={changes.length === 0}
                  onClick={() => {
                    if (current) setDraft(current);
                    setServerIssues([]);
                  }}
                >
                  {t('rules.discard')}
                </Button>
                {changes.length ? (
                  <Typography.Text type="secondary">
                    {t('rules.pending', { n: changes.length })}
                  </Typography.Text>
                ) : null}
              </Space>
            </>
          ) : null}
        </Form>
      </Card>

      <Card title={t('rules.history')} style={{ marginTop: 16 }}>
        <Table<SettingHistoryEntry>
          rowKey="id"
          size="middle"
          loading={history.loading}
          dataSource={history.data?.items ?? []}
          pagination={{ pageSize: 10, showTotal: (n) => t('common.total', { n }) }}
          data-testid="rules-history"
          scroll={{ x: 720 }}
          columns={[
            {
              title: t('rules.history.at'),
              dataIndex: 'changedAt',
              width: 180,
              render: (v: string) => fmtDateTime(v),
            },
            {
              title: t('rules.history.by'),
              dataIndex: 'changedBy',
              width: 140,
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('rules.history.changes'),
              key: 'changes',
              render: (_v, r) => (
                <Space orientation="vertical" size={2}>
                  {r.changes.map((c) => (
                    <span key={c.field}>
                      <Tag>{label(c.field)}</Tag>
                      {show(c.field, c.before)} → <b>{show(c.field, c.after)}</b>
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              title: t('rules.history.note'),
              dataIndex: 'note',
              width: 240,
              render: (v: string | null) => v ?? '—',
            },
          ]}
        />
      </Card>

      <Modal
        open={confirming}
        title={t('rules.confirmTitle')}
        okText={t('rules.confirmOk')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setConfirming(false)}
        okButtonProps={{ 'data-testid': 'rules-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('rules.confirmText')}</Typography.Paragraph>
        <Descriptions column={1} size="small" bordered data-testid="rules-confirm-changes">
          {changes.map((c) => (
            <Descriptions.Item key={c.field} label={label(c.field)}>
              {show(c.field, c.before)} → <b>{show(c.field, c.after)}</b>
            </Descriptions.Item>
          ))}
        </Descriptions>
        {note.trim() ? (
          <Typography.Paragraph style={{ marginTop: 12 }}>
            {t('rules.note')}：{note.trim()}
          </Typography.Paragraph>
        ) : null}
      </Modal>
    </PageFrame>
  );
}
