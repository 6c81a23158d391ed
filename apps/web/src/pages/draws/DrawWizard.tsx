/**
 * The public draw in three steps:
 *  1. publish the commitment (roster root, parameters, seed source) BEFORE any seed exists;
 *  2. enter the public randomness (dice rolled in public, or a drand beacon round);
 *  3. compute: tickets, targets and inspection teams, with a downloadable bundle anyone can re-check.
 */
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Steps,
  Typography,
} from 'antd';
import { CloudDownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Department, DrawView } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { fmtDateTime, Mono, StatusTag } from '../../components/common.tsx';
import { TargetsTable } from './TargetsTable.tsx';
import { EscalateButton, EscalationHistory } from './EscalateButton.tsx';
import { DrawPreview } from './DrawPreview.tsx';

/** League of Entropy "quicknet" chain (3 s rounds, unchained). */
export const DRAND_QUICKNET = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
export const MIN_DICE_DIGITS = 20;

export function isRevealed(d: DrawView): boolean {
  return d.seed !== null || d.targets.length > 0 || d.status === 'matched' || d.status === 'drawn';
}

function pretty(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
}

interface SeedSourceView {
  dice: boolean;
  minDigits: number;
  drand?: { chainHash: string; round: number };
}

/** The committed seed source; the server stores `dice` as `true` or `{ minDigits }`. */
function seedSourceOf(d: DrawView): SeedSourceView {
  const s = d.seedSource as {
    dice?: unknown;
    drand?: { chainHash?: unknown; round?: unknown } | null;
  } | null;
  const dice = s?.dice;
  const minDigits =
    dice && typeof dice === 'object' && typeof (dice as { minDigits?: unknown }).minDigits === 'number'
      ? (dice as { minDigits: number }).minDigits
      : MIN_DICE_DIGITS;
  const out: SeedSourceView = { dice: dice !== false && dice !== null, minDigits };
  if (s?.drand && typeof s.drand.round === 'number') {
    out.drand = { chainHash: String(s.drand.chainHash ?? ''), round: s.drand.round };
  }
  return out;
}

function CommitStep({
  taskId,
  redraw,
  onDone,
  canEdit,
}: {
  taskId: number;
  redraw: boolean;
  onDone: (d: DrawView) => void;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [useDice, setUseDice] = useState(true);
  const [useDrand, setUseDrand] = useState(false);
  const [chainHash, setChainHash] = useState(DRAND_QUICKNET);
  const [round, setRound] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [maxLoad, setMaxLoad] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  const valid =
    (useDice || (useDrand && round !== null && chainHash.length > 0)) &&
    (!redraw || reason.trim().length >= 5);

  const commit = async () => {
    setBusy(true);
    try {
      const body: {
        seedSource: { dice: boolean; drand?: { chainHash: string; round: number } };
        redrawReason?: string;
        maxLoad?: number;
      } = { seedSource: { dice: useDice } };
      if (maxLoad !== null) body.maxLoad = maxLoad;
      if (useDrand && round !== null) body.seedSource.drand = { chainHash, round };
      if (redraw) body.redrawReason = reason.trim();
      const d = await api.post<DrawView>(`/api/tasks/${taskId}/draws`, body);
      message.success(t('draws.committedOk'));
      onDone(d);
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('draws.commitTitle')} description={t('draws.commitExplain')} />
      {redraw ? (
        <Alert
          type="warning"
          showIcon
          title={t('draws.redrawTitle')}
          description={t('draws.redrawExplain')}
        />
      ) : null}
      {canEdit ? <DrawPreview taskId={taskId} /> : null}
      <Card size="small" title={t('draws.seedSource')}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Checkbox
            checked={useDice}
            onChange={(e) => setUseDice(e.target.checked)}
            data-testid="draw-source-dice"
          >
            {t('draws.sourceDice')}
          </Checkbox>
          <Checkbox
            checked={useDrand}
            onChange={(e) => setUseDrand(e.target.checked)}
            data-testid="draw-source-drand"
          >
            {t('draws.sourceDrand')}
          </Checkbox>
          {useDrand ? (
            <Row gutter={12} style={{ paddingInlineStart: 24 }}>
              <Col flex="auto">
                <Form.Item label={t('draws.chainHash')} style={{ marginBottom: 8 }}>
                  <Input
                    value={chainHash}
                    onChange={(e) => setChainHash(e.target.value.trim())}
                    data-testid="draw-drand-chain"
                  />
                </Form.Item>
              </Col>
              <Col>
                <Form.Item
                  label={t('draws.futureRound')}
                  style={{ marginBottom: 8 }}
                  extra={t('draws.futureRoundHint')}
                >
                  <InputNumber<number>
                    min={1}
                    precision={0}
                    value={round}
                    onChange={(v) => setRound(v)}
                    style={{ width: 200 }}
                    data-testid="draw-drand-round"
                  />
                </Form.Item>
              </Col>
            </Row>
          ) : null}
        </Space>
      </Card>
      <Form.Item label={t('draws.maxLoad')} extra={t('draws.maxLoadHint')} style={{ marginBottom: 0 }}>
        <InputNumber<number>
          min={1}
          max={10000}
          precision={0}
          value={maxLoad}
          onChange={(v) => setMaxLoad(v)}
          style={{ width: 160 }}
          data-testid="draw-max-load"
        />
      </Form.Item>
      {redraw ? (
        <Form.Item label={t('draws.redrawReason')} required style={{ marginBottom: 0 }}>
          <Input.TextArea
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
            showCount
            data-testid="draw-redraw-reason"
          />
        </Form.Item>
      ) : null}
      <Button
        type="primary"
        size="large"
        disabled={!valid || !canEdit}
        loading={busy}
        onClick={() => void commit()}
        data-testid="draw-commit"
      >
        {t('draws.publishCommitment')}
      </Button>
    </Space>
  );
}

function CommitmentCard({ draw }: { draw: DrawView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const src = seedSourceOf(draw);
  return (
    <Card size="small" title={t('draws.commitment')} data-testid="draw-commitment">
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 180 } }}>
        <Descriptions.Item label={t('draws.commitmentHash')}>
          <Mono testId="draw-commitment-hash">{draw.commitmentHash}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('draws.committedAt')}>
          <span data-testid="draw-committed-at">{fmtDateTime(draw.committedAt)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('draws.rosterRoot')}>
          <Mono>{draw.rosterRoot}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('draws.rosterSize')}>{draw.rosterSize}</Descriptions.Item>
        <Descriptions.Item label={t('draws.algorithm')}>{draw.algorithmVersion}</Descriptions.Item>
        <Descriptions.Item label={t('draws.seedSource')}>
          {[src.dice ? t('draws.sourceDice') : null, src.drand ? `drand #${src.drand.round}` : null]
            .filter(Boolean)
            .join(' + ')}
        </Descriptions.Item>
        {draw.redrawReason ? (
          <Descriptions.Item label={t('draws.redrawReason')}>{draw.redrawReason}</Descriptions.Item>
        ) : null}
      </Descriptions>
      <Button
        type="link"
        onClick={() => setOpen(true)}
        style={{ paddingInline: 0 }}
        data-testid="draw-commitment-show"
      >
        {t('draws.showCommitment')}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        footer={null}
        width={760}
        title={t('draws.commitment')}
      >
        <pre style={{ maxHeight: 480, overflow: 'auto', background: '#f6f8fa', padding: 12, fontSize: 12 }}>
          {pretty(draw.commitment)}
        </pre>
      </Modal>
    </Card>
  );
}

function RevealStep({
  draw,
  onDone,
  canEdit,
}: {
  draw: DrawView;
  onDone: (d: DrawView) => void;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const src = seedSourceOf(draw);
  const [kind, setKind] = useState<'dice' | 'drand'>(src.dice ? 'dice' : 'drand');
  const [dice, setDice] = useState('');
  const [bRound, setBRound] = useState<number | null>(src.drand?.round ?? null);
  const [bRand, setBRand] = useState('');
  const [bSig, setBSig] = useState('');
  const [busy, setBusy] = useState(false);
  const digits = dice.replace(/\s+/g, '');
  const onlyDigits = /^[0-9]*$/.test(digits);
  const diceOk = onlyDigits && digits.length >= src.minDigits && digits.length <= 200;
  const beaconOk = bRound !== null && /^[0-9a-fA-F]+$/.test(bRand) && /^[0-9a-fA-F]+$/.test(bSig);
  const ok = kind === 'dice' ? diceOk : beaconOk;

  const reveal = async () => {
    setBusy(true);
    try {
      const body =
        kind === 'dice'
          ? { dice: digits }
          : {
              beacon: { round: bRound ?? 0, randomness: bRand.toLowerCase(), signature: bSig.toLowerCase() },
            };
      const d = await api.post<DrawView>(`/api/draws/${draw.id}/reveal`, body);
      message.success(t('draws.revealedOk', { n: d.targets.length }));
      onDone(d);
    } catch {
      // Reported by the client. The draw may have moved on anyway (e.g. a concurrent reveal): re-read it.
      try {
        const fresh = await api.get<DrawView>(`/api/draws/${draw.id}`, { silent: true });
        if (fresh.status !== draw.status) onDone(fresh);
      } catch {
        // ignore
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="success"
        showIcon
        title={t('draws.commitPublished')}
        description={t('draws.enterRandomnessExplain')}
      />
      <CommitmentCard draw={draw} />
      <Card size="small" title={t('draws.enterRandomness')}>
        {src.dice && src.drand ? (
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as 'dice' | 'drand')}
            options={[
              { value: 'dice', label: t('draws.sourceDice') },
              { value: 'drand', label: 'drand' },
            ]}
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {kind === 'dice' ? (
          <Form.Item
            label={t('draws.diceDigits')}
            validateStatus={digits.length === 0 || diceOk ? '' : 'warning'}
            help={
              <span data-testid="draw-dice-count" data-count={digits.length}>
                {onlyDigits
                  ? t('draws.diceCount', { n: digits.length, min: src.minDigits })
                  : t('draws.diceOnlyDigits')}
              </span>
            }
          >
            <Input
              size="large"
              value={dice}
              onChange={(e) => setDice(e.target.value)}
              placeholder={t('draws.dicePlaceholder')}
              inputMode="numeric"
              autoComplete="off"
              style={{ fontFamily: 'ui-monospace, Menlo, monospace', letterSpacing: 2 }}
              data-testid="draw-dice"
              suffix={
                <Typography.Text type={diceOk ? 'success' : 'secondary'}>{digits.length}</Typography.Text>
              }
            />
          </Form.Item>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('draws.beaconExplain', { round: src.drand?.round ?? '—' })}
            </Typography.Paragraph>
            <Form.Item label={t('draws.beaconRound')} style={{ marginBottom: 8 }}>
              <InputNumber<number>
                value={bRound}
                onChange={setBRound}
                precision={0}
                min={1}
                style={{ width: 200 }}
                data-testid="draw-beacon-round"
              />
            </Form.Item>
            <Form.Item label={t('draws.beaconRandomness')} style={{ marginBottom: 8 }}>
              <Input
                value={bRand}
                onChange={(e) => setBRand(e.target.value.trim())}
                data-testid="draw-beacon-randomness"
              />
            </Form.Item>
            <Form.Item label={t('draws.beaconSignature')} style={{ marginBottom: 8 }}>
              <Input.TextArea
                rows={2}
                value={bSig}
                onChange={(e) => setBSig(e.target.value.trim())}
                data-testid="draw-beacon-signature"
              />
            </Form.Item>
          </Space>
        )}
        <Button
          type="primary"
          size="large"
          disabled={!ok || !canEdit}
          loading={busy}
          onClick={() => void reveal()}
          data-testid="draw-reveal"
        >
          {t('draws.compute')}
        </Button>
        {busy ? (
          <Typography.Text type="secondary" style={{ marginInlineStart: 12 }} data-testid="draw-computing">
            {t('draws.computing')}
          </Typography.Text>
        ) : null}
      </Card>
    </Space>
  );
}

function RevealedView({
  draw,
  departments,
  onRedraw,
  canEdit,
  onChange,
}: {
  draw: DrawView;
  departments: Department[];
  onRedraw: () => void;
  canEdit: boolean;
  onChange: (d: DrawView) => void;
}) {
  const { t } = useI18n();
  const teamSizes = draw.targets.map((x) => x.team.length);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('draws.rosterSize')} value={draw.rosterSize} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" data-testid="draw-target-count" data-value={draw.targets.length}>
            <Statistic title={t('draws.targetCount')} value={draw.targets.length} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('draws.minTeam')} value={teamSizes.length ? Math.min(...teamSizes) : 0} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('common.status')}
              valueRender={() => <StatusTag status={draw.status} testId="draw-status" />}
            />
          </Card>
        </Col>
      </Row>
      <CommitmentCard draw={draw} />
      <Card size="small" title={t('draws.seed')}>
        <Descriptions column={1} size="small" bordered styles={{ label: { width: 180 } }}>
          <Descriptions.Item label={t('draws.seedInputs')}>
            <pre
              style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}
              data-testid="draw-seed-inputs"
            >
              {pretty(draw.seedInputs)}
            </pre>
          </Descriptions.Item>
          <Descriptions.Item label={t('draws.seed')}>
            <Mono testId="draw-seed">{draw.seed ?? '—'}</Mono>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={t('draws.targetsAndTeams')}
        extra={
          <Space>
            <Button
              icon={<CloudDownloadOutlined />}
              href={`/api/draws/${draw.id}/bundle`}
              download={`draw-${draw.id}-bundle.json`}
              data-testid="draw-bundle"
            >
              {t('draws.downloadBundle')}
            </Button>
            {canEdit ? <EscalateButton draw={draw} onDone={onChange} /> : null}
            {canEdit ? (
              <Button icon={<ReloadOutlined />} danger onClick={onRedraw} data-testid="draw-redraw">
                {t('draws.redraw')}
              </Button>
            ) : null}
          </Space>
        }
      >
        {draw.targets.length ? <TargetsTable targets={draw.targets} departments={departments} /> : <Empty />}
      </Card>
      <EscalationHistory draw={draw} />
    </Space>
  );
}

/** The wizard for one task: the latest draw decides the step. */
export function DrawWizard({
  taskId,
  draw,
  departments,
  onChange,
  canEdit,
}: {
  taskId: number;
  draw: DrawView | undefined;
  departments: Department[];
  onChange: (d: DrawView) => void;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const [redrawing, setRedrawing] = useState(false);
  const revealed = draw ? isRevealed(draw) : false;
  const step = !draw || redrawing ? 0 : revealed ? 2 : 1;
  return (
    <Space
      orientation="vertical"
      size="large"
      style={{ width: '100%' }}
      data-testid="draw-wizard"
      data-step={step}
    >
      <Steps
        current={step}
        status={step === 2 ? 'finish' : 'process'}
        items={[
          { title: t('draws.step1'), content: t('draws.step1Desc') },
          { title: t('draws.step2'), content: t('draws.step2Desc') },
          { title: t('draws.step3'), content: t('draws.step3Desc') },
        ]}
      />
      {step === 0 ? (
        <CommitStep
          taskId={taskId}
          redraw={!!draw}
          canEdit={canEdit}
          onDone={(d) => {
            setRedrawing(false);
            onChange(d);
          }}
        />
      ) : step === 1 && draw ? (
        <RevealStep draw={draw} onDone={onChange} canEdit={canEdit} />
      ) : draw ? (
        <RevealedView
          draw={draw}
          departments={departments}
          onRedraw={() => setRedrawing(true)}
          canEdit={canEdit}
          onChange={onChange}
        />
      ) : null}
      {redrawing ? (
        <Button onClick={() => setRedrawing(false)} data-testid="draw-redraw-cancel">
          {t('common.cancel')}
        </Button>
      ) : null}
    </Space>
  );
}
