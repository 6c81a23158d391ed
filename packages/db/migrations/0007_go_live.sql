CREATE TABLE "settings_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"changed_by" integer,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "draw_exclusions" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "draw_exclusions" ADD COLUMN "reason_params" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "rules" jsonb;--> statement-breakpoint
ALTER TABLE "entities" ADD COLUMN "reg_no_kind" text;--> statement-breakpoint
ALTER TABLE "recusals" ADD COLUMN "status" text DEFAULT 'confirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE "recusals" ADD COLUMN "declared_by" integer;--> statement-breakpoint
ALTER TABLE "recusals" ADD COLUMN "confirmed_by" integer;--> statement-breakpoint
ALTER TABLE "recusals" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "recusals" ADD COLUMN "import_id" integer;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "aliases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "updated_by" integer;--> statement-breakpoint
CREATE INDEX "settings_history_key_idx" ON "settings_history" USING btree ("key","id");