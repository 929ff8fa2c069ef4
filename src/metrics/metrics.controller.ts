import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { bearerMatches } from './metrics-token';
import { processRegistry } from './process-metrics';
import { ScrapeGauges } from './scrape-gauges';

export const METRICS_PATH = '/metrics';

/**
 * GET /metrics in Prometheus's text format, for a scraper holding METRICS_TOKEN (`Authorization:
 * Bearer <token>`, compared in constant time); mounted only when the token is set, so without it the
 * route does not exist (404). A missing or wrong token: 401 with `WWW-Authenticate: Bearer`, nothing
 * read. Served by every process, the worker too (main.ts), each with its own counters and the same
 * scrape-time gauges.
 */
@Controller()
export class MetricsController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ScrapeGauges) private readonly gauges: ScrapeGauges,
  ) {}

  @Get(METRICS_PATH)
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (!bearerMatches(this.config.metrics!.token, authorization)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="sira-metrics"');
      res.json({ message: 'Unauthorized', statusCode: 401 });
      return;
    }
    await this.gauges.refresh();
    const registry = Registry.merge([processRegistry, this.gauges.registry]);
    const text = await registry.metrics();
    // as prom-client names it (Express's send would rewrite the parameters)
    res.status(200).setHeader('Content-Type', registry.contentType);
    res.end(text);
  }
}
