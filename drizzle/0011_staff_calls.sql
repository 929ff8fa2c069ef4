CREATE TABLE "staff_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"claims" integer NOT NULL,
	"state" text NOT NULL,
	"dial_status" text,
	"duration_seconds" integer,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "staff_calls_state_check" CHECK ("staff_calls"."state" in ('placed', 'bridged', 'finished', 'agent_unreached', 'not_placed', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "phone_key_id" text;--> statement-breakpoint
ALTER TABLE "staff_calls" ADD CONSTRAINT "staff_calls_request_id_callback_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."callback_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_calls" ADD CONSTRAINT "staff_calls_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_calls_request_idx" ON "staff_calls" USING btree ("request_id");