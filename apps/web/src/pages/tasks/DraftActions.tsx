/** A draft task (no commitment yet) is edited or deleted here; deleting asks for confirmation. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, Modal } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import type { TaskDetail } from '@choucha/api';
import { request } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';

export function isEditableDraft(task: TaskDetail): boolean {
  return task.status === 'draft' && task.draws.length === 0;
}

export function DraftActions({ task }: { task: TaskDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!isEditableDraft(task)) return null;
  const remove = async () => {
    setBusy(true);
    try {
      await request('DELETE', `/api/tasks/${task.id}`);
      message.success(t('tasks.deleted'));
      setOpen(false);
      void navigate('/tasks');
    } catch {
      // reported by the client
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Link to={`/tasks/${task.id}/edit`}>
        <Button icon={<EditOutlined />} data-testid="task-edit">
          {t('tasks.edit')}
        </Button>
      </Link>
      <Button danger icon={<DeleteOutlined />} onClick={() => setOpen(true)} data-testid="task-delete">
        {t('tasks.delete')}
      </Button>
      <Modal
        open={open}
        title={t('tasks.deleteConfirmTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => void remove()}
        okText={t('tasks.delete')}
        cancelText={t('common.cancel')}
        okButtonProps={{
          danger: true,
          loading: busy,
          ...({ 'data-testid': 'task-delete-confirm' } as object),
        }}
        data-testid="task-delete-dialog"
      >
        {t('tasks.deleteConfirm', { name: task.name })}
      </Modal>
    </>
  );
}
