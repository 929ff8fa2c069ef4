CREATE TABLE "audio_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"language" text NOT NULL,
	"key" text NOT NULL,
	"source_sha256" text NOT NULL,
	"phone_sha256" text NOT NULL,
	"voice_sha256" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"text" text NOT NULL,
	"recorded_by" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"reviewed_by" text,
	"reviewed_on" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recordings_status_check" CHECK ("recordings"."status" in ('draft', 'reviewed', 'legal'))
);
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_phone_sha256_audio_files_sha256_fk" FOREIGN KEY ("phone_sha256") REFERENCES "public"."audio_files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_voice_sha256_audio_files_sha256_fk" FOREIGN KEY ("voice_sha256") REFERENCES "public"."audio_files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recordings_language_key" ON "recordings" USING btree ("language","key");--> statement-breakpoint
CREATE INDEX "recordings_phone_sha256" ON "recordings" USING btree ("phone_sha256");--> statement-breakpoint
CREATE INDEX "recordings_voice_sha256" ON "recordings" USING btree ("voice_sha256");