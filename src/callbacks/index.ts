/**
 * The callback module's public surface: other modules (staff/ above all) import from here only, never
 * from a file inside src/callbacks/. Status moves go through CallbackWorkflow; the repository is for
 * reading (and creating, from the conversation hooks).
 */
export { CallbacksModule } from './callbacks.module';
export { CallbackRequestsRepository, type CreateResult } from './callback-requests.repository';
export { CallbackWorkflow, type ReassignResult } from './callback.workflow';
export { CallbackObservers, type CallbackObserver } from './callback-observers';
export { CallbackOutcomesRepository, MAX_NOTE_LENGTH, type OutcomeRecord } from './callback-outcomes.repository';
export { StatusSms } from './status-sms';
export { CallbackScheduler, type RebuildReport } from './callback.scheduler';
export { CALLBACK_SETTINGS, callbackSettings, type CallbackSettings } from './callback.settings';
export { retryAt } from './callback-jobs.plan';
export {
  isCallableAt,
  nextCallableAt,
  nextWindowAfter,
  parseStaffHours,
  queueRank,
  windowFor,
  CALLBACK_TIME_ZONE,
  DAY_SETS,
  PARTS_OF_DAY,
  type DaySet,
  type PartOfDay,
  type StaffHours,
} from './call-windows';
export { canTransition, CALLBACK_TRANSITIONS } from './callback-status.machine';
export { CALL_OUTCOMES, OPEN_STATUSES } from './callback.types';
export type { CallbackRequest, CallbackStatus, CallbackTopic, CallWindow, CallbackActor, CallOutcome } from './callback.types';
export { callbackRequests, callbackTransitions, callbackOutcomes } from './callbacks.schema';
