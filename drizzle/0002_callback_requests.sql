CREATE TABLE "callback_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"ref_code" text NOT NULL,
	"topic" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"call_language" text NOT NULL,
	"windows" jsonb NOT NULL,
	"voicemail_safe" boolean NOT NULL,
	"sms_safe" boolean NOT NULL,
	"number_enc" text NOT NULL,
	"number_key_id" text NOT NULL,
	"number_index" text NOT NULL,
	"consent_version" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"claims" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "callback_requests_topic_check" CHECK ("callback_requests"."topic" in ('reparations', 'testimony', 'legal', 'other', 'safety')),
	CONSTRAINT "callback_requests_status_check" CHECK ("callback_requests"."status" in ('pending', 'claimed', 'completed', 'no_answer', 'cancelled', 'unreachable', 'erased'))
);
--> statement-breakpoint
CREATE TABLE "callback_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "callback_requests" ADD CONSTRAINT "callback_requests_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "callback_transitions" ADD CONSTRAINT "callback_transitions_request_id_callback_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."callback_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "callback_requests_ref_code_key" ON "callback_requests" USING btree ("ref_code");--> statement-breakpoint
CREATE UNIQUE INDEX "callback_requests_one_open_per_contact" ON "callback_requests" USING btree ("contact_id") WHERE "callback_requests"."status" in ('pending', 'claimed', 'no_answer');--> statement-breakpoint
CREATE INDEX "callback_requests_status_idx" ON "callback_requests" USING btree ("status");--> statement-breakpoint
CREATE INDEX "callback_requests_number_index_idx" ON "callback_requests" USING btree ("number_index");--> statement-breakpoint
CREATE INDEX "callback_transitions_request_idx" ON "callback_transitions" USING btree ("request_id","at");