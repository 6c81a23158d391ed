CREATE TABLE "entity_code_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"entity_id" integer NOT NULL,
	"action" text NOT NULL,
	"old_uscc" text,
	"old_reg_no" text,
	"old_raw_code" text,
	"old_code_status" text,
	"new_uscc" text,
	"new_reg_no" text,
	"new_code_status" text,
	"merged_into_id" integer,
	"issue_id" integer,
	"note" text,
	"changed_by" integer,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_files" (
	"import_id" integer PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "code_issues" ADD COLUMN "fingerprint" text;--> statement-breakpoint
ALTER TABLE "code_issues" ADD COLUMN "detail" jsonb;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "merged_into_id" integer;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "report_scope" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "sheet" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "department_id" integer;--> statement-breakpoint
ALTER TABLE "inspectors" ADD COLUMN "region_name" text;--> statement-breakpoint
ALTER TABLE "inspectors" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "item_editions" ADD COLUMN "list_kind" text DEFAULT 'items' NOT NULL;--> statement-breakpoint
ALTER TABLE "item_editions" ADD COLUMN "previous_id" integer;--> statement-breakpoint
ALTER TABLE "item_editions" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "entity_code_history" ADD CONSTRAINT "entity_code_history_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entity_code_history_entity_idx" ON "entity_code_history" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "code_issues_fingerprint_idx" ON "code_issues" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "code_issues_status_idx" ON "code_issues" USING btree ("status");