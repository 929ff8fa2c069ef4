CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"address_index" text NOT NULL,
	"address_enc" text,
	"address_key_id" text,
	"language" text,
	"opted_out" boolean DEFAULT false NOT NULL,
	"opted_out_source" text,
	"opted_out_at" timestamp with time zone,
	"consent_state" text DEFAULT 'none' NOT NULL,
	"consent_version" text,
	"consent_at" timestamp with time zone,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_channel_check" CHECK ("contacts"."channel" in ('sms', 'telegram', 'simulator')),
	CONSTRAINT "contacts_consent_state_check" CHECK ("contacts"."consent_state" in ('none', 'given', 'withdrawn')),
	CONSTRAINT "contacts_address_needs_consent_check" CHECK ("contacts"."address_enc" is null or "contacts"."consent_state" = 'given')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_channel_address_index_key" ON "contacts" USING btree ("channel","address_index");