CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"consent_version" text NOT NULL,
	"subscribed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"renewal_asked_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "subscriptions_topic_check" CHECK ("subscriptions"."topic" in ('reparations', 'testimony'))
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_contact_topic_key" ON "subscriptions" USING btree ("contact_id","topic");--> statement-breakpoint
CREATE INDEX "subscriptions_active_topic_idx" ON "subscriptions" USING btree ("topic","contact_id") WHERE "subscriptions"."ended_at" is null;