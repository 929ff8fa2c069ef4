import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CLOCK, type Clock } from '../common/clock';
import { assertOneHandlerPerJob, CallbackJobName, type CallbackJobData } from './callback-jobs';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CallbackScheduler } from './callback.scheduler';
import { CallbackWorkflow } from './callback.workflow';
import { StaffNotifier } from './staff.notifier';

/** What a handler did, for counters and tests. */
export type CallbackJobOutcome = 'done' | 'skipped';

type Handler = (data: CallbackJobData) => Promise<CallbackJobOutcome>;

/**
 * One handler per job name (the mapped type makes a missing one a compile error; the constructor
 * checks it again at start-up). Every handler re-reads the row and does nothing when the request has
 * moved on: a job may run late, twice, or after a rebuild.
 */
@Injectable()
export class CallbackProcessor {
  private readonly log = new Logger(CallbackProcessor.name);
  readonly handlers: { [K in CallbackJobName]: Handler };

  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackWorkflow) private readonly workflow: CallbackWorkflow,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(StaffNotifier) private readonly notifier: StaffNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.handlers = {
      [CallbackJobName.NotifyStaff]: (d) => this.notifyStaff(d),
      [CallbackJobName.Escalate]: (d) => this.escalate(d),
      [CallbackJobName.Retry]: async (d) => ((await this.workflow.retryDue(d.requestId!, d.attempt!)) ? 'done' : 'skipped'),
      [CallbackJobName.ExpireClaim]: async (d) => ((await this.workflow.expireClaim(d.requestId!, d.attempt!)) ? 'done' : 'skipped'),
      [CallbackJobName.Sweep]: async () => ((await this.scheduler.rebuild()).added > 0 ? 'done' : 'skipped'),
    };
    assertOneHandlerPerJob(this.handlers);
  }

  async process(job: Pick<Job<CallbackJobData>, 'name' | 'data'>): Promise<CallbackJobOutcome> {
    const handler = this.handlers[job.name as CallbackJobName];
    if (!handler) throw new Error(`no handler for callback job "${job.name}"`);
    return handler(job.data);
  }

  private async notifyStaff({ requestId, attempt }: CallbackJobData): Promise<CallbackJobOutcome> {
    const req = requestId ? await this.requests.findById(requestId) : undefined;
    if (!req || req.status !== 'pending' || req.attempt !== attempt || req.notifiedAt) return 'skipped';
    await this.notifier.notify('new_request', req.urgent);
    await this.requests.markNotified(req.id, new Date(this.clock.now()));
    return 'done';
  }

  private async escalate({ requestId, attempt }: CallbackJobData): Promise<CallbackJobOutcome> {
    const req = requestId ? await this.requests.findById(requestId) : undefined;
    if (!req || req.status !== 'pending' || req.attempt !== attempt || req.escalatedAt) return 'skipped';
    await this.notifier.notify('escalated', req.urgent);
    await this.requests.markEscalated(req.id, new Date(this.clock.now()));
    this.log.log(`callback request escalated (urgent: ${req.urgent})`);
    return 'done';
  }
}
