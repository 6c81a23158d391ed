/**
 * The deadlines of results on the official working-day calendar (CAL's `workingDayCalendar`):
 * publicity within 20 working days of the inspection (企业信息公示暂行条例 art. 6), listing in the
 * 经营异常名录 within 10 working days of the verification (the inspection date).
 */
import {
  ABNORMAL_LISTING_WORKING_DAYS,
  chinaDate,
  deadlineState,
  PUBLICITY_WORKING_DAYS,
  type DeadlineState,
  type WorkingDayCalendar,
} from '@choucha/core';
import type { Executor } from '@choucha/db';
import type { Services } from '../../context.ts';
import { workingDayCalendar } from '../calendar.ts';

export interface Deadlines {
  cal: WorkingDayCalendar;
  /** today in China (svc.clock) */
  today: string;
  publicityDue(inspectedOn: string): string;
  abnormalListingDue(inspectedOn: string): string;
  state(due: string): DeadlineState;
}

export async function resultDeadlines(svc: Services, db: Executor = svc.database.db): Promise<Deadlines> {
  const cal = await workingDayCalendar(db);
  const today = chinaDate(svc.clock());
  return {
    cal,
    today,
    publicityDue: (d) => cal.addWorkingDays(d, PUBLICITY_WORKING_DAYS),
    abnormalListingDue: (d) => cal.addWorkingDays(d, ABNORMAL_LISTING_WORKING_DAYS),
    state: (due) => deadlineState(due, today, cal),
  };
}
