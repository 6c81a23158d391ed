/**
 * The shared bounds of request values (issue 7, §4): every id, date, year and page number that a
 * request carries is checked here, once, before it reaches a service — an id beyond PostgreSQL's
 * `integer`, or the date 0000-01-01, used to answer 500 from deep inside a query.
 */
import { z } from 'zod';

/** Ids are PostgreSQL `integer` (serial) columns: 1 … 2^31 − 1. */
export const MAX_ID = 2_147_483_647;
/** An id in a JSON body (a number; a string is not coerced). */
export const Id = z.number().int().min(1).max(MAX_ID);
/** An id in a URL (path parameter or query string): decimal text. */
export const IdText = z.coerce.number().int().min(1).max(MAX_ID);
export const IdParam = z.object({ id: IdText });

/** The calendar range any date of the platform may fall in (PostgreSQL `date` holds far more). */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2999-12-31';
/** A calendar date YYYY-MM-DD (2024-02-30 is refused) between MIN_DATE and MAX_DATE. */
export const DateText = z.iso
  .date()
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, { message: `date out of range ${MIN_DATE}…${MAX_DATE}` });
/** A year in a query string. */
export const YearText = z.coerce.number().int().min(1900).max(2999);

/** Paging: page 1 … 1,000,000, 1 … 200 rows a page. */
export const MAX_PAGE = 1_000_000;
export const Page = z.object({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** A count or size in a body (ratios' min / max sizes, draw rounds …): 0 … 2^31 − 1. */
export const Count = z.number().int().min(0).max(MAX_ID);
/** A list of short labels (streets, entity types, tags) in a body. */
export const LabelList = z.array(z.string().max(100)).max(500);
