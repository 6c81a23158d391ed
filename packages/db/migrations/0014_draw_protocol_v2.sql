ALTER TABLE "draws" ADD COLUMN "openings_text" text;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "private_matching" jsonb;--> statement-breakpoint
ALTER TABLE "draws" ADD COLUMN "ceremony" jsonb;--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "phase" integer;