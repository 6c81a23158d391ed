/**
 * 导入部门清单: upload a spreadsheet, see what each row would do and every problem (dry run),
 * then import — all or nothing (the server refuses while any row has a problem).
 */
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { DepartmentImportReport } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useI18n, type DictKey } from '../../i18n/index.tsx';

type Row = DepartmentImportReport['rows'][number];
const ACTION_COLOR: Record<Row['action'], string> = {
  create: 'green',
  update: 'blue',
  unchanged: 'default',
  rejected: 'red',
};

export function DepartmentImport({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<DepartmentImportReport | null>(null);
  const [replaceLead, setReplaceLead] = useState(false);
  const [busy, setBusy] = useState(false);

  const send = async (commit: boolean) => {
    if (!file) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const r = await api.upload<DepartmentImportReport>('/api/admin/departments/import', form, {
        query: { commit: commit ? 'true' : 'false', replaceLead: replaceLead ? 'true' : 'false' },
      });
      setReport(r);
      if (r.committed) {
        message.success(t('departments.import.done', { create: r.counts.create, update: r.counts.update }));
        onDone();
        close();
      }
    } catch {
      // reported
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setFile(null);
    setReport(null);
    setReplaceLead(false);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('departments.import')}
      width={960}
      onCancel={close}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            onClick={() => void send(false)}
            disabled={!file}
            loading={busy}
            data-testid="dept-import-check"
          >
            {t('departments.import.check')}
          </Button>
          <Button
            type="primary"
            onClick={() => void send(true)}
            disabled={!file || !report || report.counts.rejected > 0}
            loading={busy}
            data-testid="dept-import-commit"
          >
            {t('departments.import.commit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('departments.import.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Upload
          accept=".xlsx,.xls,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setReport(null);
          }}
          data-testid="dept-import-file"
        >
          <Button icon={<UploadOutlined />}>{t('departments.import.choose')}</Button>
        </Upload>
        <Checkbox checked={replaceLead} onChange={(e) => setReplaceLead(e.target.checked)}>
          {t('departments.import.replaceLead')}
        </Checkbox>
      </Space>
      {report ? (
        <>
          <Alert
            type={report.counts.rejected > 0 ? 'error' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="dept-import-counts"
            title={t('departments.import.counts', report.counts)}
            description={
              <>
                {report.counts.rejected > 0 ? <div>{t('departments.import.blocked')}</div> : null}
                {report.unusedHeaders.length > 0 ? (
                  <div>{t('departments.import.unused', { cols: report.unusedHeaders.join('、') })}</div>
                ) : null}
              </>
            }
          />
          <Table<Row>
            rowKey="rowNumber"
            size="small"
            dataSource={report.rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 800 }}
            columns={[
              { title: t('departments.import.row'), dataIndex: 'rowNumber', width: 70 },
              {
                title: t('departments.import.action'),
                dataIndex: 'action',
                width: 90,
                render: (a: Row['action']) => (
                  <Tag color={ACTION_COLOR[a]}>{t(`departments.action.${a}` as DictKey)}</Tag>
                ),
              },
              { title: t('departments.name'), dataIndex: 'name', width: 220 },
              { title: t('departments.shortName'), dataIndex: 'shortName', width: 140 },
              { title: t('departments.code'), dataIndex: 'code', width: 100 },
              {
                title: t('departments.level'),
                dataIndex: 'level',
                width: 90,
                render: (l: string) => t(`level.${l}` as DictKey),
              },
              {
                title: t('departments.import.problems'),
                dataIndex: 'problems',
                render: (ps: Row['problems']) =>
                  ps.map((p) => (
                    <div key={`${p.code}:${p.field}`} data-code={p.code}>
                      {lang === 'zh' ? p.zh : p.en}
                    </div>
                  )),
              },
            ]}
          />
        </>
      ) : null}
    </Modal>
  );
}
