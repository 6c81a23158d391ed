/**
 * A deadline on the official working-day calendar (issue 9 §5): green while more than 5 working
 * days remain, yellow from 5 to the due day, red once overdue. The calendar is the package's
 * (chinese-days) plus the years the joint office loaded (GET /api/calendar), fetched once per page
 * load; `today` defaults to the server's date in China.
 *
 *   <DeadlineTag due="2023-10-27" />                 today from the server
 *   <DeadlineTag due={d} today="2023-10-20" />       a fixed today (tests, history)
 *   const cal = useWorkingDayCalendar().cal;  cal.addWorkingDays(windowEnd, PUBLICITY_WORKING_DAYS)
 */
import { useEffect, useState, type CSSProperties } from 'react';
import { Alert, Tag, Tooltip } from 'antd';
import type { CalendarStatus } from '@choucha/api';
import {
  BUILTIN_CALENDAR,
  DEADLINE_WARN_WORKING_DAYS,
  PUBLICITY_WORKING_DAYS,
  deadlineState,
  isIsoDate,
  isoDateInChina,
  type DeadlineState,
  type WorkingDayCalendar,
} from '@choucha/core/calendar';
import { request } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';

export interface WorkingDayCalendarState {
  cal: WorkingDayCalendar;
  /** today in China: the server's once known, else the browser's clock */
  today: string;
  /** undefined until GET /api/calendar answered (or when it failed: the package data is used) */
  status: CalendarStatus | undefined;
}

let loaded: Promise<CalendarStatus | undefined> | null = null;
const listeners = new Set<() => void>();

function load(): Promise<CalendarStatus | undefined> {
  loaded ??= request<CalendarStatus>('GET', '/api/calendar', { silent: true }).catch(() => undefined);
  return loaded;
}

/** After a year was loaded or removed: fetch the calendar again everywhere. */
export function invalidateWorkingDayCalendar(): void {
  loaded = null;
  for (const l of listeners) l();
}

function stateOf(status: CalendarStatus | undefined): WorkingDayCalendarState {
  return {
    cal: status?.loaded.length ? BUILTIN_CALENDAR.withYears(status.loaded) : BUILTIN_CALENDAR,
    today: status?.today ?? isoDateInChina(new Date()),
    status,
  };
}

/** The calendar in force (package + loaded years). */
export function useWorkingDayCalendar(): WorkingDayCalendarState {
  const [state, setState] = useState<WorkingDayCalendarState>(() => stateOf(undefined));
  useEffect(() => {
    let live = true;
    const refresh = () => {
      void load().then((s) => {
        if (live) setState(stateOf(s));
      });
    };
    refresh();
    listeners.add(refresh);
    return () => {
      live = false;
      listeners.delete(refresh);
    };
  }, []);
  return state;
}

/** The publicity deadline of a task: its window end + 20 working days. */
export function taskPublicityDue(cal: WorkingDayCalendar, windowEnd: string): string | null {
  return isIsoDate(windowEnd) ? cal.addWorkingDays(windowEnd, PUBLICITY_WORKING_DAYS) : null;
}

const COLOR: Record<DeadlineState['state'], string> = { ok: 'green', due_soon: 'gold', overdue: 'red' };

export function DeadlineTag({
  due,
  today,
  warnDays = DEADLINE_WARN_WORKING_DAYS,
  testId = 'deadline-tag',
  showDate = true,
}: {
  due: string | null | undefined;
  today?: string | undefined;
  warnDays?: number;
  testId?: string;
  /** show the due date in the tag (else only in the tooltip) */
  showDate?: boolean;
}) {
  const { t } = useI18n();
  const c = useWorkingDayCalendar();
  if (!due || !isIsoDate(due)) return <span data-testid={testId}>—</span>;
  const s = deadlineState(due, today && isIsoDate(today) ? today : c.today, c.cal, warnDays);
  const text =
    s.state === 'overdue'
      ? t('deadline.overdue', { n: -s.remaining })
      : s.remaining === 0
        ? t('deadline.today')
        : t('deadline.remaining', { n: s.remaining });
  return (
    <Tooltip title={t('deadline.tooltip', { due })}>
      <Tag
        color={COLOR[s.state]}
        data-testid={testId}
        data-state={s.state}
        data-remaining={s.remaining}
        data-due={due}
      >
        {showDate ? `${due} · ${text}` : text}
      </Tag>
    </Tooltip>
  );
}

/** The warning for this year or the next without calendar data (dashboard, calendar page). */
export function CalendarMissingAlert({ style }: { style?: CSSProperties }) {
  const { t } = useI18n();
  const { status } = useWorkingDayCalendar();
  if (!status?.missing.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      {...(style ? { style } : {})}
      data-testid="calendar-missing"
      message={t('calendar.missing.title', { years: status.missing.join('、') })}
      description={t('calendar.missing.body')}
    />
  );
}

/**
 * A task's publicity deadline (window end + 20 working days): a DeadlineTag while results remain
 * to be published, the plain date once everything drawn is published.
 */
export function TaskDeadline({
  windowEnd,
  targetCount,
  publishedCount,
  testId = 'task-deadline',
}: {
  windowEnd: string;
  targetCount: number;
  publishedCount: number;
  testId?: string;
}) {
  const { t } = useI18n();
  const { cal } = useWorkingDayCalendar();
  const due = taskPublicityDue(cal, windowEnd);
  if (due && targetCount > 0 && publishedCount >= targetCount)
    return (
      <Tooltip title={t('deadline.tooltip', { due })}>
        <span data-testid={testId} data-state="done" data-due={due}>
          {due}
        </span>
      </Tooltip>
    );
  return <DeadlineTag due={due} testId={testId} />;
}
