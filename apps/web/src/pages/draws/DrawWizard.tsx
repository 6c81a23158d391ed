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
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Steps,
  Tag,
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
import { Link } from 'react-router-dom';
import { StageLabel } from '../../verify/OutcomeView.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import {
  CEREMONY_TEXT_MAX,
  CEREMONY_WITNESSES_MAX,
  CeremonyView,
  ceremonyProblems,
  type CeremonyInput,
} from './Ceremony.tsx';

/** League of Entropy "quicknet" chain (3 s rounds, unchained). */
export const DRAND_QUICKNET = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
/** League of Entropy mainnet (30 s rounds, chained: the beacon carries the previous signature). */
export const DRAND_MAINNET = '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce';
const DRAND_TIMING: Record<string, { genesis: number; period: number }> = {
  [DRAND_QUICKNET]: { genesis: 1692803367, period: 3 },
  [DRAND_MAINNET]: { genesis: 1595431050, period: 30 },
};
export const MIN_DICE_DIGITS = 20;
export const MAX_DICE_DIGITS = 100;
export const DEFAULT_DICE_DIGITS = 20;
/** How far ahead the suggested drand round is (its randomness must not be known at the commitment). */
export const SUGGESTED_ROUND_AHEAD_MS = 10 * 60_000;

/** When a round of a known chain is published, or null for another chain. */
export function drandRoundTime(chainHash: string, round: number): Date | null {
  const c = DRAND_TIMING[chainHash];
  return c ? new Date((c.genesis + (round - 1) * c.period) * 1000) : null;
}

/** The first round published at least 10 minutes after `nowMs` (null for an unknown chain). */
export function suggestedRound(chainHash: string, nowMs: number): number | null {
  const c = DRAND_TIMING[chainHash];
  if (!c) return null;
  return Math.max(1, Math.ceil(((nowMs + SUGGESTED_ROUND_AHEAD_MS) / 1000 - c.genesis) / c.period) + 1);
}

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
  /** v2: the exact number of digits committed; v1: the minimum */
  digits: number;
  /** v2 (the commitment fixes the count, and every named source is entered) */
  exact: boolean;
  drand?: { chainHash: string; round: number };
}

/**
 * The committed seed source: v2 stores `{ dice: { digits } | null, drand: {…} | null }`, v1
 * `{ dice: true | false | { minDigits }, drand? }`.
 */
export function seedSourceOf(d: Pick<DrawView, 'seedSource' | 'algorithmVersion'>): SeedSourceView {
  const s = d.seedSource as {
    dice?: unknown;
    drand?: { chainHash?: unknown; round?: unknown } | null;
  } | null;
  const dice = s?.dice;
  const exact = d.algorithmVersion !== 'choucha-draw-v1';
  const n = (k: string) =>
    dice && typeof dice === 'object' && typeof (dice as Record<string, unknown>)[k] === 'number'
      ? ((dice as Record<string, unknown>)[k] as number)
      : undefined;
  const digits = (exact ? n('digits') : n('minDigits')) ?? MIN_DICE_DIGITS;
  const out: SeedSourceView = { dice: dice !== false && dice !== null && dice !== undefined, digits, exact };
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
  // the default (draw-protocol-v2 §6): dice rolled in public AND a future drand round, together
  const [useDice, setUseDice] = useState(true);
  const [digits, setDigits] = useState<number | null>(DEFAULT_DICE_DIGITS);
  const [useDrand, setUseDrand] = useState(true);
  const [chainHash, setChainHash] = useState(DRAND_QUICKNET);
  const [round, setRound] = useState<number | null>(() => suggestedRound(DRAND_QUICKNET, Date.now()));
  const [reason, setReason] = useState('');
  const [maxLoad, setMaxLoad] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  const diceOk = useDice && digits !== null && digits >= MIN_DICE_DIGITS && digits <= MAX_DICE_DIGITS;
  const drandOk = useDrand && round !== null && chainHash.length > 0;
  const sourceOk = (diceOk || drandOk) && (!useDice || diceOk) && (!useDrand || drandOk);
  const valid = sourceOk && (!redraw || reason.trim().length >= 5);
  const roundTime = useDrand && round !== null ? drandRoundTime(chainHash, round) : null;

  const commit = async () => {
    setBusy(true);
    try {
      const body: {
        seedSource: { dice: false | { digits: number }; drand?: { chainHash: string; round: number } };
        redrawReason?: string;
        maxLoad?: number;
      } = { seedSource: { dice: useDice && digits !== null ? { digits } : false } };
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
          <Typography.Text type="secondary">{t('draws.seedSourceBoth')}</Typography.Text>
          <Checkbox
            checked={useDice}
            onChange={(e) => setUseDice(e.target.checked)}
            data-testid="draw-source-dice"
          >
            {t('draws.sourceDice')}
          </Checkbox>
          {useDice ? (
            <Form.Item
              label={t('draws.diceDigitsCount')}
              extra={t('draws.diceDigitsHint')}
              style={{ marginBottom: 8, paddingInlineStart: 24 }}
            >
              <InputNumber<number>
                min={MIN_DICE_DIGITS}
                max={MAX_DICE_DIGITS}
                precision={0}
                value={digits}
                onChange={(v) => setDigits(v)}
                style={{ width: 120 }}
                data-testid="draw-dice-digits"
              />
            </Form.Item>
          ) : null}
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
                  extra={
                    roundTime
                      ? t('draws.futureRoundAt', { time: fmtDateTime(roundTime.toISOString()) })
                      : t('draws.futureRoundHint')
                  }
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
          {!useDice && !useDrand ? (
            <Typography.Text type="danger" data-testid="draw-source-required">
              {t('draws.sourceRequired')}
            </Typography.Text>
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
          {[
            src.dice
              ? src.exact
                ? t('draws.sourceDiceN', { digits: src.digits })
                : t('draws.sourceDice')
              : null,
            src.drand ? `drand #${src.drand.round}` : null,
          ]
            .filter(Boolean)
            .join(' + ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('verifyOut.stage')}>
          <span data-testid="draw-stage" data-value={draw.stage}>
            <StageLabel stage={draw.stage} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('draws.attempt')}>
          <Space wrap data-testid="draw-attempt" data-value={draw.attempt}>
            <span>{t('verifyOut.attemptN', { n: draw.attempt })}</span>
            {draw.predecessor?.drawId ? (
              <Link to={`/draws/${draw.predecessor.drawId}`} data-testid="draw-predecessor">
                {t('public.predecessorLink', { n: draw.attempt - 1 })}
              </Link>
            ) : null}
            {draw.supersededBy ? (
              <Link to={`/draws/${draw.supersededBy.drawId}`} data-testid="draw-superseded">
                <Tag color="orange">{t('public.supersededByN', { n: draw.attempt + 1 })}</Tag>
              </Link>
            ) : null}
          </Space>
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
  // v1: dice OR the beacon, whichever is entered; v2: every source the commitment names
  const both = src.exact && src.dice && !!src.drand;
  const [kind, setKind] = useState<'dice' | 'drand'>(src.dice ? 'dice' : 'drand');
  const useDice = src.dice && (both || kind === 'dice');
  const useBeacon = !!src.drand && (both || kind === 'drand' || !src.dice);
  const [dice, setDice] = useState('');
  const [bRound, setBRound] = useState<number | null>(src.drand?.round ?? null);
  const [bRand, setBRand] = useState('');
  const [bSig, setBSig] = useState('');
  const [bPrev, setBPrev] = useState('');
  const [place, setPlace] = useState('');
  const [at, setAt] = useState<Dayjs | null>(() => dayjs());
  const [rolledBy, setRolledBy] = useState('');
  const [witnesses, setWitnesses] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const digits = dice.replace(/\s+/g, '');
  const onlyDigits = /^[0-9]*$/.test(digits);
  const diceOk =
    onlyDigits &&
    (src.exact ? digits.length === src.digits : digits.length >= src.digits && digits.length <= 200);
  const chained = src.drand?.chainHash === DRAND_MAINNET;
  const beaconOk =
    bRound !== null &&
    /^[0-9a-fA-F]+$/.test(bRand) &&
    /^[0-9a-fA-F]+$/.test(bSig) &&
    (!chained || /^[0-9a-fA-F]+$/.test(bPrev));
  const ceremony: CeremonyInput = {
    place: place.trim(),
    at: at ? at.toISOString() : '',
    rolledBy: rolledBy.trim(),
    witnesses: witnesses.map((w) => w.trim()).filter(Boolean),
  };
  const ceremonyBad = useDice ? ceremonyProblems(ceremony) : [];
  const ok = (!useDice || diceOk) && (!useBeacon || beaconOk) && ceremonyBad.length === 0;

  const reveal = async () => {
    setBusy(true);
    try {
      const body: {
        dice?: string;
        beacon?: { round: number; randomness: string; signature: string; previousSignature?: string | null };
        ceremony?: CeremonyInput;
      } = {};
      if (useDice) {
        body.dice = digits;
        body.ceremony = ceremony;
      }
      if (useBeacon)
        body.beacon = {
          round: bRound ?? 0,
          randomness: bRand.toLowerCase(),
          signature: bSig.toLowerCase(),
          previousSignature: chained ? bPrev.toLowerCase() : null,
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

  const fieldStatus = (f: 'place' | 'at' | 'rolledBy' | 'witnesses', filled: boolean) =>
    filled && ceremonyBad.includes(f) ? ('error' as const) : ('' as const);

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
        {src.dice && src.drand && !both ? (
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as 'dice' | 'drand')}
            options={[
              { value: 'dice', label: t('draws.sourceDice') },
              { value: 'drand', label: t('draws.sourceDrandShort') },
            ]}
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {useDice ? (
          <>
            <Form.Item
              label={t('draws.diceDigits')}
              validateStatus={digits.length === 0 || diceOk ? '' : 'warning'}
              help={
                <span data-testid="draw-dice-count" data-count={digits.length} data-digits={src.digits}>
                  {!onlyDigits
                    ? t('draws.diceOnlyDigits')
                    : src.exact
                      ? t('draws.diceCountExact', { n: digits.length, digits: src.digits })
                      : t('draws.diceCount', { n: digits.length, min: src.digits })}
                </span>
              }
            >
              <Input
                size="large"
                value={dice}
                onChange={(e) => setDice(e.target.value)}
                placeholder={
                  src.exact
                    ? t('draws.dicePlaceholderExact', { digits: src.digits })
                    : t('draws.dicePlaceholder')
                }
                inputMode="numeric"
                autoComplete="off"
                style={{ fontFamily: 'ui-monospace, Menlo, monospace', letterSpacing: 2 }}
                data-testid="draw-dice"
                suffix={
                  <Typography.Text type={diceOk ? 'success' : 'secondary'}>
                    {src.exact ? `${digits.length}/${src.digits}` : digits.length}
                  </Typography.Text>
                }
              />
            </Form.Item>
            <Card size="small" type="inner" title={t('ceremony.title')} style={{ marginBottom: 12 }}>
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
                {t('ceremony.explain')}
              </Typography.Paragraph>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    label={t('ceremony.place')}
                    required
                    validateStatus={fieldStatus('place', place.length > 0)}
                    style={{ marginBottom: 8 }}
                  >
                    <Input
                      value={place}
                      onChange={(e) => setPlace(e.target.value)}
                      maxLength={CEREMONY_TEXT_MAX}
                      placeholder={t('ceremony.placePlaceholder')}
                      data-testid="draw-ceremony-place-input"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label={t('ceremony.at')}
                    required
                    validateStatus={fieldStatus('at', true)}
                    help={ceremonyBad.includes('at') ? t('ceremony.atInvalid') : undefined}
                    style={{ marginBottom: 8 }}
                  >
                    <DatePicker
                      showTime
                      value={at}
                      onChange={(v) => setAt(v)}
                      style={{ width: '100%' }}
                      data-testid="draw-ceremony-at-input"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label={t('ceremony.rolledBy')}
                    required
                    validateStatus={fieldStatus('rolledBy', rolledBy.length > 0)}
                    style={{ marginBottom: 8 }}
                  >
                    <Input
                      value={rolledBy}
                      onChange={(e) => setRolledBy(e.target.value)}
                      maxLength={CEREMONY_TEXT_MAX}
                      placeholder={t('ceremony.rolledByPlaceholder')}
                      data-testid="draw-ceremony-rolled-by-input"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    label={t('ceremony.witnesses')}
                    required
                    validateStatus={fieldStatus('witnesses', witnesses.length > 0)}
                    extra={t('ceremony.witnessesHint', { max: CEREMONY_WITNESSES_MAX })}
                    style={{ marginBottom: 8 }}
                  >
                    <Select
                      mode="tags"
                      value={witnesses}
                      onChange={(v: string[]) => setWitnesses(v.slice(0, CEREMONY_WITNESSES_MAX))}
                      tokenSeparators={[',', '，', '、', ';', '；']}
                      notFoundContent={null}
                      suffixIcon={null}
                      placeholder={t('ceremony.witnessesPlaceholder')}
                      data-testid="draw-ceremony-witnesses-input"
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          </>
        ) : null}
        {useBeacon ? (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="draw-beacon">
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('draws.beaconExplain', { round: src.drand?.round ?? '—' })}
            </Typography.Paragraph>
            <Form.Item label={t('draws.beaconRound')} style={{ marginBottom: 8 }}>
              <InputNumber<number>
                value={bRound}
                onChange={setBRound}
                precision={0}
                min={1}
                disabled={src.exact}
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
            {chained ? (
              <Form.Item label={t('draws.beaconPreviousSignature')} style={{ marginBottom: 8 }}>
                <Input.TextArea
                  rows={2}
                  value={bPrev}
                  onChange={(e) => setBPrev(e.target.value.trim())}
                  data-testid="draw-beacon-previous-signature"
                />
              </Form.Item>
            ) : null}
          </Space>
        ) : null}
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
      {draw.ceremony ? (
        <Card size="small" title={t('ceremony.title')}>
          <CeremonyView ceremony={draw.ceremony} />
        </Card>
      ) : null}
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
