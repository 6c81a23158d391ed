CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor_id" integer,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text,
	"department_id" integer,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "draw_exclusions" (
	"draw_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "draw_exclusions_draw_id_entity_id_pk" PRIMARY KEY("draw_id","entity_id")
);
--> statement-breakpoint
CREATE TABLE "draws" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"status" text NOT NULL,
	"algorithm_version" text NOT NULL,
	"commitment" text NOT NULL,
	"commitment_hash" text NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"roster_root" text NOT NULL,
	"roster_size" integer NOT NULL,
	"roster_text" text NOT NULL,
	"roster_entity_ids" integer[] NOT NULL,
	"stratum_classes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"escalation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"match_problems" jsonb,
	"seed_source" jsonb NOT NULL,
	"seed_inputs" jsonb,
	"seed" text,
	"seeded_at" timestamp with time zone,
	"drawn_at" timestamp with time zone,
	"matched_at" timestamp with time zone,
	"redraw_reason" text,
	"superseded_by" integer,
	"created_by" integer
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"year" integer NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"filed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"id" serial PRIMARY KEY NOT NULL,
	"target_id" integer NOT NULL,
	"task_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"codes" text[] NOT NULL,
	"follow_ups" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"inspected_on" date NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"entered_by" integer,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "target_inspectors" (
	"target_id" integer NOT NULL,
	"inspector_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"position" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "target_inspectors_target_id_inspector_id_pk" PRIMARY KEY("target_id","inspector_id")
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"draw_id" integer NOT NULL,
	"task_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"key" text NOT NULL,
	"stratum" text NOT NULL,
	"ticket" text NOT NULL,
	"rank" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_items" (
	"task_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	CONSTRAINT "task_items_task_id_item_id_pk" PRIMARY KEY("task_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer,
	"department_id" integer NOT NULL,
	"is_joint" boolean DEFAULT false NOT NULL,
	"joint_department_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"directed" boolean DEFAULT false NOT NULL,
	"scope" jsonb,
	"sampling" jsonb NOT NULL,
	"uses_risk_class" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "code_issues" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" text,
	"entity_ids" integer[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"resolved_by" integer,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"id" serial PRIMARY KEY NOT NULL,
	"uscc" text,
	"reg_no" text,
	"raw_code" text,
	"code_status" text NOT NULL,
	"name" text NOT NULL,
	"name_bigrams" text[] DEFAULT '{}'::text[] NOT NULL,
	"entity_type" text,
	"industry_code" text,
	"industry_name" text,
	"region_code" text,
	"street" text,
	"address" text,
	"legal_rep" text,
	"registered_capital" numeric,
	"established_on" date,
	"status" text DEFAULT '存续' NOT NULL,
	"phone" text,
	"licences" text[] DEFAULT '{}'::text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"supervising_dept_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"risk_class" text,
	"risk_classified_at" timestamp with time zone,
	"import_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entity_exclusions" (
	"id" serial PRIMARY KEY NOT NULL,
	"entity_id" integer NOT NULL,
	"department_id" integer,
	"reason" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"status" text NOT NULL,
	"mapping" jsonb,
	"counts" jsonb NOT NULL,
	"report" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inspector_status_periods" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspector_id" integer NOT NULL,
	"status" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "inspectors" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"name" text NOT NULL,
	"cert_no" text,
	"cert_valid_from" date,
	"cert_valid_to" date,
	"fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"region_code" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_editions" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer,
	"name" text NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" serial PRIMARY KEY NOT NULL,
	"edition_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"seq" integer,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"target_desc" text,
	"item_kind" text,
	"methods" text[] DEFAULT '{}'::text[] NOT NULL,
	"subjects" text[] DEFAULT '{}'::text[] NOT NULL,
	"basis" text[] DEFAULT '{}'::text[] NOT NULL,
	"field" text,
	"scope" jsonb
);
--> statement-breakpoint
CREATE TABLE "joint_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"edition_id" integer NOT NULL,
	"domain" text NOT NULL,
	"name" text NOT NULL,
	"target_desc" text,
	"lead_department_id" integer NOT NULL,
	"cooperating_department_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"item_ids" integer[] DEFAULT '{}'::int[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recusals" (
	"id" serial PRIMARY KEY NOT NULL,
	"inspector_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"relation" text NOT NULL,
	"note" text,
	"declared_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"level" text DEFAULT 'district' NOT NULL,
	"parent_id" integer,
	"is_lead" boolean DEFAULT false NOT NULL,
	"region_code" text,
	"contact_name" text,
	"contact_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"department_id" integer,
	"inspector_id" integer,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "draw_exclusions" ADD CONSTRAINT "draw_exclusions_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draw_exclusions" ADD CONSTRAINT "draw_exclusions_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draws" ADD CONSTRAINT "draws_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_inspectors" ADD CONSTRAINT "target_inspectors_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_inspectors" ADD CONSTRAINT "target_inspectors_inspector_id_inspectors_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."inspectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_inspectors" ADD CONSTRAINT "target_inspectors_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_draw_id_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_items" ADD CONSTRAINT "task_items_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_items" ADD CONSTRAINT "task_items_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_exclusions" ADD CONSTRAINT "entity_exclusions_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_exclusions" ADD CONSTRAINT "entity_exclusions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspector_status_periods" ADD CONSTRAINT "inspector_status_periods_inspector_id_inspectors_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."inspectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspectors" ADD CONSTRAINT "inspectors_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_editions" ADD CONSTRAINT "item_editions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_edition_id_item_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."item_editions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_items" ADD CONSTRAINT "joint_items_edition_id_item_editions_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."item_editions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_items" ADD CONSTRAINT "joint_items_lead_department_id_departments_id_fk" FOREIGN KEY ("lead_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recusals" ADD CONSTRAINT "recusals_inspector_id_inspectors_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."inspectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recusals" ADD CONSTRAINT "recusals_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_events" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_dept_idx" ON "audit_events" USING btree ("department_id");--> statement-breakpoint
CREATE UNIQUE INDEX "draws_task_attempt_uq" ON "draws" USING btree ("task_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "results_target_dept_uq" ON "results" USING btree ("target_id","department_id");--> statement-breakpoint
CREATE INDEX "results_task_idx" ON "results" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "results_status_idx" ON "results" USING btree ("status");--> statement-breakpoint
CREATE INDEX "ti_inspector_idx" ON "target_inspectors" USING btree ("inspector_id");--> statement-breakpoint
CREATE UNIQUE INDEX "targets_draw_key_uq" ON "targets" USING btree ("draw_id","key");--> statement-breakpoint
CREATE INDEX "targets_task_idx" ON "targets" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "tasks_dept_idx" ON "tasks" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "tasks_year_idx" ON "tasks" USING btree ("year");--> statement-breakpoint
CREATE INDEX "entities_uscc_idx" ON "entities" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "entities_reg_no_idx" ON "entities" USING btree ("reg_no");--> statement-breakpoint
CREATE INDEX "entities_name_bigrams_idx" ON "entities" USING gin ("name_bigrams");--> statement-breakpoint
CREATE INDEX "entities_status_idx" ON "entities" USING btree ("status");--> statement-breakpoint
CREATE INDEX "entities_street_idx" ON "entities" USING btree ("street");--> statement-breakpoint
CREATE INDEX "entities_risk_idx" ON "entities" USING btree ("risk_class");--> statement-breakpoint
CREATE INDEX "inspectors_dept_idx" ON "inspectors" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "items_edition_idx" ON "items" USING btree ("edition_id");--> statement-breakpoint
CREATE INDEX "items_dept_idx" ON "items" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "recusals_inspector_idx" ON "recusals" USING btree ("inspector_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));