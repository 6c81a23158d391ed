import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Member units of the joint meeting (联席会议成员单位), arranged in organisation levels. */
export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  /** 'province' | 'city' | 'district' */
  level: text('level').notNull().default('district'),
  parentId: integer('parent_id'),
  /** The market-supervision bureau that leads the joint meeting. */
  isLead: boolean('is_lead').notNull().default(false),
  regionCode: text('region_code'),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  /** Other names files use for this department (省市场监管局, 市场监管部门 …), learned from mappings. */
  aliases: text('aliases')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** A department with history is deactivated, never deleted. */
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * leader: reads everything, changes nothing; supervisor (监督员: the discipline-inspection office or a
 * notary): reads tasks, draws and the audit log of every department and downloads the full draw
 * bundle (draw-protocol-v2 §1), changes nothing.
 */
export const ROLES = ['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<Role>().notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    inspectorId: integer('inspector_id'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_uq').on(sql`lower(${t.username})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Login throttle (services/auth.ts): one row per key — account+client, client, account, trusted
 * device. An attempt is reserved here (row lock) before the password is checked, so the limit holds
 * across concurrent requests and server processes.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  /** Attempts counted in the current run (reserved, and not undone by a success). */
  failures: integer('failures').notNull().default(0),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
});

/** Trusted-device cookies (OWASP "device cookies"): a browser that logged in as this user before. */
export const trustedDevices = pgTable(
  'trusted_devices',
  {
    /** SHA-256 of the cookie token. */
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('trusted_devices_user_idx').on(t.userId)],
);

/**
 * Platform settings (the organisation, the district's draw rules, indicator targets, limits), one
 * JSON value per key. Every change also writes a settings_history row and an audit event.
 */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});

/** Every value a setting has had, newest last. */
export const settingsHistory = pgTable(
  'settings_history',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    changedBy: integer('changed_by'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    note: text('note'),
  },
  (t) => [index('settings_history_key_idx').on(t.key, t.id)],
);
