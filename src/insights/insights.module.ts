import { Module } from '@nestjs/common';
import { InsightsCallbacksObserver } from './insights-callbacks.observer';
import { InsightsTurnRecorder } from './insights-turn.recorder';
import { DEFAULT_INSIGHTS_FLUSH, INSIGHTS_FLUSH_SETTINGS, InsightsFlush } from './insights.flush';
import { InsightsQuery } from './insights.query';
import { InsightsTally } from './insights.tally';

/**
 * Aggregate insight (issue 27): counters at turn time (InsightsTurnRecorder, in the turn's own Redis
 * transaction), callbacks' moves (InsightsCallbacksObserver), the flush to insight_counts in the worker
 * role (InsightsFlush), and the suppressed read side (InsightsQuery). Its staff routes
 * (InsightsController) are declared by the staff module, whose guard they need.
 */
@Module({
  providers: [InsightsTally, InsightsTurnRecorder, InsightsCallbacksObserver, InsightsFlush, InsightsQuery, { provide: INSIGHTS_FLUSH_SETTINGS, useValue: DEFAULT_INSIGHTS_FLUSH }],
  exports: [InsightsQuery, InsightsTally, InsightsFlush],
})
export class InsightsModule {}
