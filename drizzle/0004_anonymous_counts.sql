CREATE TABLE "anonymous_counts" (
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"value" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "anonymous_counts_metric_day_channel_pk" PRIMARY KEY("metric","day","channel")
);
