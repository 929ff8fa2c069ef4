import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { MetricsController } from './metrics.controller';
import { ScrapeGauges } from './scrape-gauges';

/**
 * Operations metrics for Prometheus (docs/operations.md). The counters live in process-metrics.ts and
 * count wherever things happen (webhook timer, outbound rows, provider classifiers); this module adds
 * the scrape-time gauges and GET /metrics, and only when METRICS_TOKEN is set. Needs the global
 * Config, Database and Redis modules.
 */
@Module({})
export class MetricsModule {
  static forRoot(config: Config): DynamicModule {
    if (!config.metrics) return { module: MetricsModule };
    return { module: MetricsModule, controllers: [MetricsController], providers: [ScrapeGauges] };
  }
}
