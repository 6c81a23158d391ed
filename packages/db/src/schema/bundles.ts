import { customType, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { draws } from './campaigns.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * A drawn draw's verification bundle, built once: from the reveal on, nothing in it can change
 * (seed, selection and teams are fixed; a later redraw supersedes the draw but not its bundle).
 * Stored gzipped, with the SHA-256 of the JSON text that is served (the ETag).
 */
export const drawBundles = pgTable('draw_bundles', {
  drawId: integer('draw_id')
    .primaryKey()
    .references(() => draws.id),
  /** hex SHA-256 of the JSON bytes */
  sha256: text('sha256').notNull(),
  /** bytes of the JSON */
  size: integer('size').notNull(),
  gzip: bytea('gzip').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
