CREATE TABLE "follow_ups" (
	"id" serial PRIMARY KEY NOT NULL,
	"result_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"action" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"due_on" date,
	"receiving_department" text,
	"recheck_on" date,
	"recheck_result" text,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" integer
);
--> statement-breakpoint
CREATE TABLE "result_attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"result_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" integer,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"result_id" integer NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"corrected_by" integer,
	"corrected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_items" (
	"result_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"outcome" text NOT NULL,
	"codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	CONSTRAINT "result_items_result_id_item_id_pk" PRIMARY KEY("result_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "approved_by" integer;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "response" text;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_attachments" ADD CONSTRAINT "result_attachments_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_attachments" ADD CONSTRAINT "result_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_corrections" ADD CONSTRAINT "result_corrections_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_corrections" ADD CONSTRAINT "result_corrections_corrected_by_users_id_fk" FOREIGN KEY ("corrected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_items" ADD CONSTRAINT "result_items_result_id_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_items" ADD CONSTRAINT "result_items_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_ups_result_idx" ON "follow_ups" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "follow_ups_open_idx" ON "follow_ups" USING btree ("state","due_on");--> statement-breakpoint
CREATE INDEX "result_attachments_result_idx" ON "result_attachments" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "result_corrections_result_idx" ON "result_corrections" USING btree ("result_id");--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;