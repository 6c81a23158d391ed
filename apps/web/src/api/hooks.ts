/** Shared look-ups used by several pages. */
import type { Department, TaskRow } from '@choucha/api';
import { useFetch } from './client.ts';

export function useDepartments() {
  const r = useFetch<{ items: Department[] }>('/api/departments');
  return { departments: r.data?.items ?? [], loading: r.loading };
}

export function useTasks() {
  const r = useFetch<{ items: TaskRow[] }>('/api/tasks');
  return { tasks: r.data?.items ?? [], loading: r.loading, reload: r.reload };
}
