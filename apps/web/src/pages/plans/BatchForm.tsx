/** A plan batch (批次): name, items, planned quantity, window, sampling, scope, lead and cooperating departments. */
import { useEffect, useMemo } from 'react';
import { Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Radio, Row, Select } from 'antd';
import type { ButtonProps } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { Department, Item, PlanBatchBody, PlanBatchView, PlanDetail } from '@choucha/api';
import { useFetch } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { PercentInput, percentToRatio, ratioToPercent } from '../../components/PercentInput.tsx';

const CLASSES = ['A', 'B', 'C', 'D'] as const;

interface Values {
  name: string;
  leadDepartmentId?: number;
  cooperatingDepartmentIds?: number[];
  itemIds: number[];
  plannedQuantity: number;
  window: [Dayjs, Dayjs];
  mode: 'single' | 'classes';
  ratio?: number;
  classA?: number;
  classB?: number;
  classC?: number;
  classD?: number;
  min?: number | null;
  max?: number | null;
  maxMode?: 'total' | 'split' | 'perClass';
  entityTypes?: string[];
  industryPrefixes?: string[];
}

const pct = (x: number | undefined) => ratioToPercent(x ?? 0);

function initialValues(plan: PlanDetail, batch: PlanBatchView | null): Record<string, unknown> {
  if (!batch)
    return {
      mode: 'single',
      ratio: 5,
      classA: 2,
      classB: 5,
      classC: 30,
      classD: 100,
      plannedQuantity: 20,
      itemIds: [],
      ...(plan.kind === 'department' && plan.departmentId !== null
        ? { leadDepartmentId: plan.departmentId }
        : {}),
      window: [dayjs(`${plan.year}-04-01`), dayjs(`${plan.year}-06-30`)],
    };
  const s = batch.sampling as {
    ratio?: number;
    classes?: Record<string, number>;
    min?: number;
    max?: number;
  };
  const scope = (batch.scope ?? {}) as { entityTypes?: string[]; industryPrefixes?: string[] };
  return {
    name: batch.name,
    leadDepartmentId: batch.leadDepartmentId,
    cooperatingDepartmentIds: batch.cooperatingDepartmentIds,
    itemIds: batch.itemIds,
    plannedQuantity: batch.plannedQuantity,
    window: [dayjs(batch.windowStart), dayjs(batch.windowEnd)],
    mode: s.classes ? 'classes' : 'single',
    ratio: pct(s.ratio ?? 0.05),
    classA: pct(s.classes?.A ?? 0.02),
    classB: pct(s.classes?.B ?? 0.05),
    classC: pct(s.classes?.C ?? 0.3),
    classD: pct(s.classes?.D ?? 1),
    min: s.min ?? null,
    max: s.max ?? null,
    ...((batch.sampling as { maxMode?: Values['maxMode'] }).maxMode
      ? { maxMode: (batch.sampling as { maxMode?: Values['maxMode'] }).maxMode }
      : {}),
    entityTypes: scope.entityTypes ?? [],
    industryPrefixes: scope.industryPrefixes ?? [],
  };
}

export function toBody(v: Values, plan: PlanDetail): PlanBatchBody {
  const r = percentToRatio;
  const sampling: PlanBatchBody['sampling'] =
    v.mode === 'single'
      ? { ratio: r(v.ratio) }
      : { classes: { A: r(v.classA), B: r(v.classB), C: r(v.classC), D: r(v.classD) } };
  if (typeof v.min === 'number') sampling.min = v.min;
  if (typeof v.max === 'number') {
    sampling.max = v.max;
    if (v.maxMode) sampling.maxMode = v.maxMode;
  }
  const scope: NonNullable<PlanBatchBody['scope']> = {};
  if (v.entityTypes?.length) scope.entityTypes = v.entityTypes;
  if (v.industryPrefixes?.length) scope.industryPrefixes = v.industryPrefixes;
  return {
    name: v.name.trim(),
    itemIds: v.itemIds,
    plannedQuantity: v.plannedQuantity,
    windowStart: v.window[0].format('YYYY-MM-DD'),
    windowEnd: v.window[1].format('YYYY-MM-DD'),
    sampling,
    ...(Object.keys(scope).length ? { scope } : {}),
    ...(plan.kind === 'joint' && v.leadDepartmentId ? { leadDepartmentId: v.leadDepartmentId } : {}),
    cooperatingDepartmentIds: v.cooperatingDepartmentIds ?? [],
  };
}

export function BatchForm({
  open,
  plan,
  batch,
  departments,
  busy,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  plan: PlanDetail;
  batch: PlanBatchView | null;
  departments: Department[];
  busy: boolean;
  onCancel: () => void;
  onSubmit: (body: PlanBatchBody) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form) ?? 'single';
  const lead = Form.useWatch('leadDepartmentId', form);
  const coop = Form.useWatch('cooperatingDepartmentIds', form);
  const { data: itemData, loading } = useFetch<{ items: Item[] }>(open ? '/api/items' : null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initialValues(plan, batch));
    }
  }, [open, plan, batch, form]);
  const depts = useMemo(
    () => new Set([...(lead !== undefined ? [lead] : []), ...(coop ?? [])]),
    [lead, coop],
  );
  const itemOptions = useMemo(() => {
    const deptName = new Map(departments.map((d) => [d.id, d.shortName || d.name]));
    const groups = new Map<number, Item[]>();
    for (const it of itemData?.items ?? []) {
      if (!depts.has(it.departmentId)) continue;
      groups.set(it.departmentId, [...(groups.get(it.departmentId) ?? []), it]);
    }
    return [...groups.entries()].map(([d, its]) => ({
      label: deptName.get(d) ?? String(d),
      title: deptName.get(d) ?? String(d),
      options: its.map((it) => ({
        value: it.id,
        label: (
          <span data-testid={`batch-item-option-${it.id}`}>
            {it.seq !== null ? `${it.seq}. ` : ''}
            {it.category} · {it.name}
          </span>
        ),
        searchText: `${it.category} ${it.name}`,
      })),
    }));
  }, [itemData, depts, departments]);
  return (
    <Modal
      open={open}
      width={860}
      title={batch ? t('plans.batchEdit') : t('plans.batchAdd')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'batch-submit' } as ButtonProps}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => onSubmit(toBody(v, plan))}>
        <Form.Item name="name" label={t('plans.batchName')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="batch-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="leadDepartmentId" label={t('plans.lead')} rules={[{ required: true }]}>
              {plan.kind === 'joint' ? (
                <DepartmentSelect departments={departments} width="100%" testId="batch-lead" />
              ) : (
                <Select
                  disabled
                  data-testid="batch-lead"
                  options={[{ value: plan.departmentId ?? 0, label: plan.departmentName ?? '' }]}
                />
              )}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="cooperatingDepartmentIds" label={t('plans.cooperating')}>
              <DepartmentSelect
                departments={departments}
                multiple
                exclude={lead ?? null}
                width="100%"
                testId="batch-cooperating"
                placeholder={t('plans.cooperatingPlaceholder')}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="itemIds"
          label={t('plans.items')}
          extra={t('plans.itemsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('tasks.itemsRequired') }]}
        >
          <Select<number[]>
            mode="multiple"
            loading={loading}
            options={itemOptions}
            showSearch={{ optionFilterProp: 'searchText' }}
            data-testid="batch-items"
            maxTagCount="responsive"
          />
        </Form.Item>
        <Row gutter={16}>
          <Col>
            <Form.Item
              name="plannedQuantity"
              label={t('plans.plannedQuantity')}
              rules={[{ required: true }]}
              extra={t('plans.plannedQuantityHint')}
            >
              <InputNumber<number> min={1} precision={0} style={{ width: 160 }} data-testid="batch-planned" />
            </Form.Item>
          </Col>
          <Col>
            <Form.Item name="window" label={t('plans.window')} rules={[{ required: true }]}>
              <DatePicker.RangePicker data-testid="batch-window" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('tasks.sampling')}</Divider>
        <Form.Item name="mode">
          <Radio.Group
            options={[
              { value: 'single', label: t('tasks.singleRatio') },
              { value: 'classes', label: t('tasks.classRatios') },
            ]}
          />
        </Form.Item>
        {mode === 'single' ? (
          <Form.Item name="ratio" label={t('tasks.ratio')} rules={[{ required: true }]}>
            <PercentInput testId="batch-ratio" width={130} />
          </Form.Item>
        ) : (
          <Row gutter={16}>
            {CLASSES.map((c) => (
              <Col key={c}>
                <Form.Item
                  name={`class${c}`}
                  label={t('tasks.classRatio', { c })}
                  rules={[{ required: true }]}
                >
                  <PercentInput testId={`batch-ratio-${c}`} width={130} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        )}
        <Row gutter={16}>
          <Col>
            <Form.Item name="min" label={t('tasks.min')}>
              <InputNumber<number> min={0} precision={0} style={{ width: 130 }} />
            </Form.Item>
          </Col>
          <Col>
            <Form.Item name="max" label={t('tasks.max')}>
              <InputNumber<number> min={1} precision={0} style={{ width: 130 }} />
            </Form.Item>
          </Col>
          <Col>
            <Form.Item name="maxMode" label={t('plans.maxMode')}>
              <Select
                allowClear
                style={{ width: 200 }}
                options={(['total', 'split', 'perClass'] as const).map((m) => ({
                  value: m,
                  label: t(`plans.maxMode.${m}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('plans.scope')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="entityTypes" label={t('tasks.entityTypes')}>
              <Select mode="tags" tokenSeparators={[',', '，']} data-testid="batch-entity-types" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industryPrefixes" label={t('plans.industryPrefixes')}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
