/**
 * 验证数据包 (public, /verify): choose a bundle file on this computer; it is verified in the browser
 * (`verifyBundleBytes`, v1 and v2, in a Web Worker) and never uploaded. One file at a time: a new
 * file replaces the result of the previous one. The conformance e2e test uploads every vector here.
 */
import { useRef, useState } from 'react';
import { Card, Space, Spin, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { PublicLayout } from './PublicLayout.tsx';
import { OutcomeView } from '../../verify/OutcomeView.tsx';
import { verifyBytes, type VerifyRun } from '../../verify/run.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'running'; file: string; run: number }
  | { kind: 'done'; file: string; run: number; result: VerifyRun }
  | { kind: 'error'; file: string; run: number };

export default function PublicVerify() {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const runs = useRef(0);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const run = ++runs.current;
    setState({ kind: 'running', file: file.name, run });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const result = await verifyBytes(bytes);
      // a newer file was chosen meanwhile: its result wins
      if (run === runs.current) setState({ kind: 'done', file: file.name, run, result });
    } catch {
      if (run === runs.current) setState({ kind: 'error', file: file.name, run });
    }
  };

  return (
    <PublicLayout>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('verifyFile.title')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('verifyFile.explain')}
            </Typography.Paragraph>
            <label style={{ display: 'inline-block' }}>
              <span style={{ marginInlineEnd: 8 }}>{t('verifyFile.choose')}</span>
              <input
                type="file"
                accept=".json,application/json"
                data-testid="verify-file"
                style={{ maxWidth: '100%' }}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  // the same file chosen again must run again
                  e.target.value = '';
                  void onFile(f);
                }}
              />
            </label>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('verifyFile.local')}
            </Typography.Text>
          </Space>
        </Card>
        {state.kind === 'idle' ? null : (
          <Card
            title={t('verifyFile.resultFor', { file: state.file })}
            data-testid="verify-file-result"
            data-file={state.file}
            data-run={state.run}
            data-state={state.kind}
          >
            {state.kind === 'running' ? (
              <Space>
                <Spin />
                <span data-testid="verify-running">{t('verify.running')}</span>
              </Space>
            ) : state.kind === 'error' ? (
              <Typography.Text type="danger" data-testid="verify-error">
                {t('verify.failed')}
              </Typography.Text>
            ) : (
              <OutcomeView outcome={state.result.outcome} ms={state.result.ms} />
            )}
          </Card>
        )}
      </Space>
    </PublicLayout>
  );
}
