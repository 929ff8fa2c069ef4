CREATE TABLE "insight_counts" (
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"flow" text DEFAULT '' NOT NULL,
	"node" text DEFAULT '' NOT NULL,
	"language" text DEFAULT '' NOT NULL,
	"channel" text DEFAULT '' NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_counts_day_metric_flow_node_language_channel_topic_detail_pk" PRIMARY KEY("day","metric","flow","node","language","channel","topic","detail")
);
