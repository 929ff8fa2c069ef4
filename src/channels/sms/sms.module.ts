import { Module } from '@nestjs/common';
import { ContactsModule } from '../../contacts/contacts.module';
import { translatorProvider } from '../../content/translator.provider';
import { ConversationsModule } from '../../conversations/conversations.module';
import { OutboundModule } from '../../outbound/outbound.module';
import { SmsChannel } from './sms-channel';
import { SmsDeliveryService } from './sms-delivery.service';
import { SmsGuards } from './sms-guards';
import { SmsInboundService } from './sms-inbound.service';
import { SmsRouter } from './sms-router';
import { SmsSpool } from './sms-spool';

/**
 * The provider-neutral SMS channel. A provider module (Twilio, a relay phone) imports it, verifies
 * and normalises its webhooks into `SmsInboundService.accept` / `SmsDeliveryService.apply`, and
 * hands a sender per line to `SmsChannel.useProvider(line, sender)` at init. Providers run side by
 * side: one instance of this module serves them all.
 */
@Module({
  imports: [ContactsModule, ConversationsModule, OutboundModule],
  providers: [translatorProvider, SmsGuards, SmsSpool, SmsRouter, SmsInboundService, SmsDeliveryService, SmsChannel],
  exports: [SmsInboundService, SmsDeliveryService, SmsChannel, SmsGuards, SmsSpool, SmsRouter],
})
export class SmsModule {}
