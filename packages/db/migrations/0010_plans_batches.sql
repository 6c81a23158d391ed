CREATE TABLE "plan_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"origin_id" integer,
	"seq" integer DEFAULT 1 NOT NULL,
	"name" text NOT NULL,
	"item_ids" integer[] NOT NULL,
	"scope" jsonb,
	"sampling" jsonb NOT NULL,
	"planned_quantity" integer NOT NULL,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"directed" boolean DEFAULT false NOT NULL,
	"lead_department_id" integer NOT NULL,
	"cooperating_department_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"task_id" integer,
	"opened_at" timestamp with time zone,
	"opened_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ALTER COLUMN "department_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "kind" text DEFAULT 'department' NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "previous_id" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "amend_reason" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "return_reason" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "filed_by" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "decided_by" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "created_by" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "batch_id" integer;--> statement-breakpoint
ALTER TABLE "plan_batches" ADD CONSTRAINT "plan_batches_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_batches" ADD CONSTRAINT "plan_batches_lead_department_id_departments_id_fk" FOREIGN KEY ("lead_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_batches" ADD CONSTRAINT "plan_batches_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_batches" ADD CONSTRAINT "plan_batches_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_batches_plan_idx" ON "plan_batches" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "plan_batches_task_idx" ON "plan_batches" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "plan_batches_window_idx" ON "plan_batches" USING btree ("window_start");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_batch_id_plan_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."plan_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plans_series_version_uq" ON "plans" USING btree ("kind",coalesce("department_id", 0),"year","version");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_previous_uq" ON "plans" USING btree ("previous_id");--> statement-breakpoint
CREATE INDEX "plans_year_idx" ON "plans" USING btree ("year");--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_batch_uq" ON "tasks" USING btree ("batch_id");