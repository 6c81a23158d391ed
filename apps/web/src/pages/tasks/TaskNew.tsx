/**
 * New inspection task (and a draft's edit, /tasks/:id/edit): items from the published list, window,
 * sampling with what the maximum means (maxMode) and the sizes per class before the commitment,
 * the per-inspector cap, scope, joint departments.
 */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { CreateTaskBody, Item, TaskDetail } from '@choucha/api';
import { api, request, useFetch } from '../../api/client.ts';
import { SamplingSizes } from './SamplingSizes.tsx';
import { useDepartments } from '../../api/hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../auth/AuthContext.tsx';
import { PageFrame } from '../../components/common.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { PercentInput, percentToRatio, ratioToPercent } from '../../components/PercentInput.tsx';
import { JointRowsSelect, useJointRows } from '../joint/JointRows.tsx';

const CLASSES = ['A', 'B', 'C', 'D'] as const;

interface Values {
  name: string;
  departmentId?: number;
  itemIds: number[];
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
  maxLoad?: number | null;
  streets?: string[];
  entityTypes?: string[];
  jointDepartmentIds?: number[];
  /** Rows of the joint item list: their linked items of the participating departments join itemIds. */
  jointRowIds?: number[];
}

export default function TaskNew() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { departments } = useDepartments();
  const [busy, setBusy] = useState(false);
  const { id: editParam } = useParams();
  const editId = editParam ? Number(editParam) : undefined;
  const { data: editing } = useFetch<TaskDetail>(editId ? `/api/tasks/${editId}` : null);
  useEffect(() => {
    if (!editing) return;
    const s = editing.sampling;
    const pct = ratioToPercent;
    const values: Record<string, unknown> = {
      name: editing.name,
      departmentId: editing.departmentId,
      itemIds: editing.items.map((i) => i.id),
      window: [dayjs(editing.windowStart), dayjs(editing.windowEnd)],
      mode: s.classes ? 'classes' : 'single',
      ratio: pct(s.ratio),
      classA: pct(s.classes?.A),
      classB: pct(s.classes?.B),
      classC: pct(s.classes?.C),
      classD: pct(s.classes?.D),
      min: s.min ?? null,
      max: s.max ?? null,
      maxMode: s.maxMode ?? 'perClass',
      maxLoad: s.maxLoad ?? null,
      streets: (editing.scope as { streets?: string[] } | null)?.streets ?? [],
      entityTypes: (editing.scope as { entityTypes?: string[] } | null)?.entityTypes ?? [],
      jointDepartmentIds: editing.partners.map((p) => p.departmentId),
    };
    form.setFieldsValue(values as Parameters<typeof form.setFieldsValue>[0]);
  }, [editing, form]);
  const chosenDept = Form.useWatch('departmentId', form);
  const mode = Form.useWatch('mode', form) ?? 'single';
  const deptId = me.role === 'joint_admin' ? chosenDept : (me.departmentId ?? undefined);
  const { data: itemData, loading: itemsLoading } = useFetch<{ items: Item[] }>(
    deptId === undefined ? null : '/api/items',
    { departmentId: deptId },
  );

  const jointRows = useJointRows();
  const itemOptions = useMemo(() => {
    const groups = new Map<string, Item[]>();
    for (const it of itemData?.items ?? []) {
      const g = groups.get(it.category) ?? [];
      g.push(it);
      groups.set(it.category, g);
    }
    return Array.from(groups.entries()).map(([category, items]) => ({
      label: <span data-testid="task-item-group">{category}</span>,
      title: category,
      options: items.map((it) => ({
        value: it.id,
        label: (
          <span data-testid={`task-item-option-${it.id}`}>
            {it.seq !== null ? `${it.seq}. ` : ''}
            {it.name}
            {it.itemKind ? (
              <span style={{ color: '#999', marginInlineStart: 6 }}>（{it.itemKind}）</span>
            ) : null}
          </span>
        ),
        searchText: `${it.category} ${it.name}`,
      })),
    }));
  }, [itemData]);

  const toBody = (v: Values): CreateTaskBody => {
    const pct = percentToRatio;
    const sampling: CreateTaskBody['sampling'] =
      v.mode === 'single'
        ? { ratio: pct(v.ratio) }
        : { classes: { A: pct(v.classA), B: pct(v.classB), C: pct(v.classC), D: pct(v.classD) } };
    if (typeof v.min === 'number') sampling.min = v.min;
    if (typeof v.max === 'number') {
      sampling.max = v.max;
      sampling.maxMode = v.maxMode ?? 'total';
    }
    if (typeof v.maxLoad === 'number') sampling.maxLoad = v.maxLoad;
    const scope: NonNullable<CreateTaskBody['scope']> = {};
    if (v.streets?.length) scope.streets = v.streets;
    if (v.entityTypes?.length) scope.entityTypes = v.entityTypes;
    const body: CreateTaskBody = {
      name: v.name.trim(),
      itemIds: [
        ...new Set([
          ...v.itemIds,
          ...jointRows.itemsFor(v.jointRowIds ?? [], [deptId, ...(v.jointDepartmentIds ?? [])]),
        ]),
      ],
      jointDepartmentIds: v.jointDepartmentIds ?? [],
      windowStart: v.window[0].format('YYYY-MM-DD'),
      windowEnd: v.window[1].format('YYYY-MM-DD'),
      sampling,
      ...(Object.keys(scope).length ? { scope } : {}),
      ...(me.role === 'joint_admin' && v.departmentId ? { departmentId: v.departmentId } : {}),
    };
    return body;
  };

  // the sizes per class as the form stands (once it names items and a window)
  const watched = Form.useWatch([], form) as Values | undefined;
  const previewBody = (() => {
    if (!watched?.itemIds?.length || !watched.window?.[0] || !watched.window[1] || deptId === undefined)
      return null;
    try {
      return toBody({ ...watched, name: watched.name?.trim() || '—' });
    } catch {
      return null;
    }
  })();

  const submit = async (v: Values) => {
    const body = toBody(v);
    setBusy(true);
    try {
      if (editId) {
        const { departmentId: _d, ...update } = body;
        await request<TaskDetail>('PUT', `/api/tasks/${editId}`, { body: update });
        message.success(t('tasks.saved'));
        void navigate(`/tasks/${editId}?tab=draw`);
        return;
      }
      const task = await api.post<TaskDetail>('/api/tasks', body);
      message.success(t('tasks.created'));
      void navigate(`/tasks/${task.id}?tab=draw`);
    } catch {
      // reported by the client
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageFrame
      title={editId ? t('tasks.editTitle') : t('tasks.newTitle')}
      subtitle={editId ? t('tasks.editSubtitle') : t('tasks.newSubtitle')}
    >
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 920 }}
          onFinish={(v) => void submit(v)}
          initialValues={{
            mode: 'single',
            ratio: 5,
            classA: 2,
            classB: 5,
            classC: 30,
            classD: 100,
            maxMode: 'total',
            window: [dayjs(), dayjs().add(90, 'day')],
            itemIds: [],
          }}
        >
          <Form.Item name="name" label={t('tasks.name')} rules={[{ required: true, max: 200 }]}>
            <Input placeholder={t('tasks.namePlaceholder')} data-testid="task-name" />
          </Form.Item>
          {me.role === 'joint_admin' ? (
            <Form.Item name="departmentId" label={t('tasks.leadDepartment')} rules={[{ required: true }]}>
              <DepartmentSelect departments={departments} testId="task-department" width="100%" />
            </Form.Item>
          ) : null}
          <Form.Item label={t('tasks.items')} required extra={t('tasks.itemsHint')}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item
                name="itemIds"
                noStyle
                rules={[{ required: true, type: 'array', min: 1, message: t('tasks.itemsRequired') }]}
              >
                <Select<number[]>
                  mode="multiple"
                  loading={itemsLoading}
                  placeholder={deptId === undefined ? t('tasks.chooseDeptFirst') : t('tasks.chooseItems')}
                  options={itemOptions}
                  showSearch={{ optionFilterProp: 'searchText' }}
                  data-testid="task-items"
                  style={{ width: '100%' }}
                  maxTagCount="responsive"
                />
              </Form.Item>
              <Button
                data-testid="task-items-all"
                onClick={() =>
                  form.setFieldValue(
                    'itemIds',
                    (itemData?.items ?? []).map((i) => i.id),
                  )
                }
              >
                {t('common.selectAll')}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="window" label={t('tasks.window')} rules={[{ required: true }]}>
            <DatePicker.RangePicker data-testid="task-window" />
          </Form.Item>

          <Divider titlePlacement="start">{t('tasks.sampling')}</Divider>
          <Form.Item name="mode" label={t('tasks.samplingMode')}>
            <Radio.Group
              data-testid="task-sampling-mode"
              options={[
                {
                  value: 'single',
                  label: <span data-testid="task-sampling-single">{t('tasks.singleRatio')}</span>,
                },
                {
                  value: 'classes',
                  label: <span data-testid="task-sampling-classes">{t('tasks.classRatios')}</span>,
                },
              ]}
            />
          </Form.Item>
          {mode === 'single' ? (
            <Form.Item name="ratio" label={t('tasks.ratio')} rules={[{ required: true }]}>
              <PercentInput testId="task-ratio" />
            </Form.Item>
          ) : (
            <>
              <Alert type="info" showIcon title={t('tasks.classHint')} style={{ marginBottom: 16 }} />
              <Row gutter={16}>
                {CLASSES.map((c) => (
                  <Col key={c}>
                    <Form.Item
                      name={`class${c}`}
                      label={t('tasks.classRatio', { c })}
                      rules={[{ required: true }]}
                    >
                      <PercentInput testId={`task-ratio-${c}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </>
          )}
          <Row gutter={16}>
            <Col>
              <Form.Item name="min" label={t('tasks.min')}>
                <InputNumber<number> min={0} precision={0} style={{ width: 140 }} data-testid="task-min" />
              </Form.Item>
            </Col>
            <Col>
              <Form.Item name="max" label={t('tasks.max')}>
                <InputNumber<number> min={1} precision={0} style={{ width: 140 }} data-testid="task-max" />
              </Form.Item>
            </Col>
            <Col>
              <Form.Item name="maxLoad" label={t('tasks.maxLoad')} tooltip={t('tasks.maxLoadHint')}>
                <InputNumber<number>
                  min={1}
                  max={10000}
                  precision={0}
                  style={{ width: 140 }}
                  data-testid="task-max-load"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="maxMode" label={t('tasks.maxMode')} extra={t('tasks.maxModeHint')}>
            <Radio.Group
              data-testid="task-max-mode"
              options={(
                [
                  ['total', 'tasks.maxModeTotal'],
                  ['split', 'tasks.maxModeSplit'],
                  ['perClass', 'tasks.maxModePerClass'],
                ] as const
              ).map(([value, key]) => ({
                value,
                label: <span data-testid={`task-max-mode-${value}`}>{t(key)}</span>,
              }))}
            />
          </Form.Item>
          <SamplingSizes body={previewBody} />

          <Divider titlePlacement="start">{t('tasks.scope')}</Divider>
          <Typography.Paragraph type="secondary">{t('tasks.scopeHint')}</Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="streets" label={t('tasks.streets')}>
                <Select
                  mode="tags"
                  tokenSeparators={[',', '，', ' ']}
                  data-testid="task-streets"
                  open={false}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="entityTypes" label={t('tasks.entityTypes')}>
                <Select
                  mode="tags"
                  tokenSeparators={[',', '，']}
                  data-testid="task-entity-types"
                  options={[
                    '有限责任公司',
                    '股份有限公司',
                    '个体工商户',
                    '农民专业合作社',
                    '个人独资企业',
                    '合伙企业',
                  ].map((v) => ({
                    value: v,
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>

          <Divider titlePlacement="start">{t('tasks.jointSection')}</Divider>
          <Form.Item
            name="jointDepartmentIds"
            label={t('tasks.jointDepartments')}
            extra={t('tasks.jointHint')}
          >
            <DepartmentSelect
              departments={departments}
              multiple
              exclude={deptId ?? null}
              width="100%"
              testId="task-joint-departments"
              placeholder={t('tasks.jointPlaceholder')}
            />
          </Form.Item>
          <Form.Item name="jointRowIds" label={t('joint.formJointRows')} extra={t('joint.formJointRowsHint')}>
            <JointRowsSelect rows={jointRows.rows} loading={jointRows.loading} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="task-submit">
              {editId ? t('tasks.save') : t('tasks.create')}
            </Button>
            <Button onClick={() => navigate('/tasks')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </PageFrame>
  );
}
