export { OutboundModule } from './outbound.module';
export { OutboundService, type EnqueueRequest } from './outbound.service';
export { OutboundMessagesRepository } from './outbound-messages.repository';
export { outboundMessages, type OutboundMessageRow } from './outbound-messages.schema';
export { backoffDelay, type JobOutcome } from './outbound.processor';
export * from './outbound.types';
