CREATE TABLE "joint_visit_targets" (
	"visit_id" integer NOT NULL,
	"target_id" integer NOT NULL,
	CONSTRAINT "joint_visit_targets_visit_id_target_id_pk" PRIMARY KEY("visit_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "joint_visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"entity_id" integer NOT NULL,
	"year" integer NOT NULL,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"proposal_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merge_proposals" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"year" integer NOT NULL,
	"member_refs" text[] NOT NULL,
	"department_ids" integer[] NOT NULL,
	"entity_id" integer,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"gap_days" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"lead_department_id" integer,
	"result_task_id" integer,
	"result_visit_id" integer
);
--> statement-breakpoint
ALTER TABLE "joint_visit_targets" ADD CONSTRAINT "joint_visit_targets_visit_id_joint_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."joint_visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visit_targets" ADD CONSTRAINT "joint_visit_targets_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visits" ADD CONSTRAINT "joint_visits_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_visits" ADD CONSTRAINT "joint_visits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_proposals" ADD CONSTRAINT "merge_proposals_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_proposals" ADD CONSTRAINT "merge_proposals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_proposals" ADD CONSTRAINT "merge_proposals_lead_department_id_departments_id_fk" FOREIGN KEY ("lead_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merge_proposals" ADD CONSTRAINT "merge_proposals_result_task_id_tasks_id_fk" FOREIGN KEY ("result_task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "joint_visit_targets_target_uq" ON "joint_visit_targets" USING btree ("target_id");--> statement-breakpoint
CREATE INDEX "joint_visits_entity_idx" ON "joint_visits" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "joint_visits_year_idx" ON "joint_visits" USING btree ("year");--> statement-breakpoint
CREATE UNIQUE INDEX "merge_proposals_key_uq" ON "merge_proposals" USING btree ("key");--> statement-breakpoint
CREATE INDEX "merge_proposals_status_idx" ON "merge_proposals" USING btree ("status","year");