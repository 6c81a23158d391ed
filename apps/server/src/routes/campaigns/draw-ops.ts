/**
 * The task form and draw operations (issue 9 §1, §6): draft edits and deletion, the form's preview
 * of a task not yet saved, escalation of a matched draw.
 */
import { z } from 'zod';
import {
  CreateTaskBody,
  DrawView,
  EscalateDrawBody,
  IdParam,
  SamplingPreview,
  TaskDetail,
} from '@choucha/api';
import { deleteTask, escalateDraw, getTask, previewTaskSampling, updateTask } from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import type { Api } from '../index.ts';

const UpdateTaskBody = CreateTaskBody.omit({ departmentId: true });

export async function drawOpsRoutes(api: Api, { services }: AppOptions) {
  const tags = ['tasks and draws'];
  api.post(
    '/tasks/sampling-preview',
    { schema: { tags, body: CreateTaskBody, response: { 200: SamplingPreview } } },
    async (req) => previewTaskSampling(services, req.actor, req.body),
  );
  api.put(
    '/tasks/:id',
    { schema: { tags, params: IdParam, body: UpdateTaskBody, response: { 200: TaskDetail } } },
    async (req) => {
      await updateTask(services, req.actor, req.params.id, req.body);
      return getTask(services, req.actor, req.params.id);
    },
  );
  api.delete(
    '/tasks/:id',
    {
      schema: {
        tags,
        params: IdParam,
        response: { 200: z.object({ id: z.number(), deleted: z.literal(true) }) },
      },
    },
    async (req) => deleteTask(services, req.actor, req.params.id),
  );
  api.post(
    '/draws/:id/escalate',
    { schema: { tags, params: IdParam, body: EscalateDrawBody, response: { 200: DrawView } } },
    async (req) => escalateDraw(services, req.actor, req.params.id, req.body),
  );
}
