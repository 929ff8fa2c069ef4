import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CallbackObservers, type CallbackObserver, type CallbackRequest, type CallbackStatus, type CallOutcome } from '../callbacks';
import { bamakoDay, firstCallBucket, InsightMetric, type InsightKey } from './insight-metrics';
import { InsightsTally } from './insights.tally';

/**
 * Callback counters, told by the callback module after each move committed: requested, each call's
 * outcome, the first call's delay in wide buckets, closed by status — by topic, urgency, language and
 * channel. Outside the turn, so one small Redis transaction each, never awaited by the staff action.
 */
@Injectable()
export class InsightsCallbacksObserver implements CallbackObserver, OnModuleInit {
  private readonly log = new Logger(InsightsCallbacksObserver.name);

  constructor(
    @Inject(CallbackObservers) private readonly observers: CallbackObservers,
    @Inject(InsightsTally) private readonly tally: InsightsTally,
  ) {}

  onModuleInit(): void {
    this.observers.add(this);
  }

  requested(req: CallbackRequest, at: Date): void {
    this.add([{ ...dims(req, at), metric: InsightMetric.CallbackRequested, detail: urgency(req) }]);
  }

  called(req: CallbackRequest, outcome: CallOutcome, at: Date): void {
    const keys: InsightKey[] = [{ ...dims(req, at), metric: InsightMetric.CallbackCalled, detail: outcome }];
    if (req.attempt === 1 && req.status === 'claimed') {
      keys.push({ ...dims(req, at), metric: InsightMetric.CallbackFirstCall, detail: `${urgency(req)}.${firstCallBucket(at.getTime() - req.createdAt.getTime())}` });
    }
    this.add(keys);
  }

  closed(req: CallbackRequest, status: CallbackStatus, at: Date): void {
    this.add([{ ...dims(req, at), metric: InsightMetric.CallbackClosed, detail: status }]);
  }

  private add(keys: InsightKey[]): void {
    this.tally.add(keys).catch((err: unknown) => this.log.warn(`callback counters not added: ${err instanceof Error ? err.name : 'error'}`));
  }
}

function dims(req: CallbackRequest, at: Date) {
  return { day: bamakoDay(at), flow: 'callback', topic: req.topic, language: req.callLanguage, channel: req.channel };
}

function urgency(req: CallbackRequest): string {
  return req.urgent ? 'urgent' : 'not_urgent';
}
