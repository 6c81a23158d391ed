CREATE TABLE "task_partners" (
	"task_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"state" text DEFAULT 'invited' NOT NULL,
	"invited_by" integer,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_by" integer,
	"answered_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "task_partners_task_id_department_id_pk" PRIMARY KEY("task_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "task_partners" ADD CONSTRAINT "task_partners_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_partners" ADD CONSTRAINT "task_partners_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_partners" ADD CONSTRAINT "task_partners_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_partners" ADD CONSTRAINT "task_partners_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_partners_dept_idx" ON "task_partners" USING btree ("department_id");--> statement-breakpoint
-- Joint tasks created before partner acceptance existed: their cooperating departments were bound
-- at creation; they are recorded as accepted (answered_by null, with a note saying why).
INSERT INTO "task_partners" ("task_id", "department_id", "state", "invited_by", "invited_at", "answered_at", "note")
SELECT t."id", d, 'accepted', t."created_by", t."created_at", t."created_at", 'bound before partner acceptance existed (migration 0004)'
FROM "tasks" t, unnest(t."joint_department_ids") AS d
ON CONFLICT DO NOTHING;
