export { CallbacksModule } from './callbacks.module';
export { CallbackRequestsRepository, type CreateResult } from './callback-requests.repository';
export { CallbackWorkflow } from './callback.workflow';
export { CallbackScheduler, type RebuildReport } from './callback.scheduler';
export { CALLBACK_SETTINGS, callbackSettings, type CallbackSettings } from './callback.settings';
export { isCallableAt, nextCallableAt, nextWindowAfter, queueRank, CALLBACK_TIME_ZONE } from './call-windows';
export { canTransition, CALLBACK_TRANSITIONS } from './callback-status.machine';
export type { CallbackRequest, CallbackStatus, CallbackTopic, CallWindow, CallbackActor } from './callback.types';
export { callbackRequests, callbackTransitions } from './callbacks.schema';
