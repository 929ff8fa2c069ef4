ALTER TABLE "outbound_messages" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "line" text;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "address_enc" text;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "address_key_id" text;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "pending_message" jsonb;--> statement-breakpoint
-- Rows sent before the column existed: who sent them, from their id's shape (once, here only).
UPDATE "outbound_messages" SET "provider" = 'telegram' WHERE "channel" = 'telegram' AND "provider_id" IS NOT NULL;--> statement-breakpoint
UPDATE "outbound_messages" SET "provider" = 'twilio', "line" = 'twilio' WHERE "channel" = 'sms' AND "provider_id" ~* '^(SM|MM)[0-9a-f]{32}$';--> statement-breakpoint
UPDATE "outbound_messages" SET "provider" = 'sms_gateway' WHERE "channel" = 'sms' AND "provider_id" IS NOT NULL AND "provider" IS NULL;
