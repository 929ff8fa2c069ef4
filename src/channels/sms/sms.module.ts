import { Module } from '@nestjs/common';
import { ContactsModule } from '../../contacts/contacts.module';
import { translatorProvider } from '../../content/translator.provider';
import { ConversationsModule } from '../../conversations/conversations.module';
import { OutboundModule } from '../../outbound/outbound.module';
import { SmsChannel } from './sms-channel';
import { SmsDeliveryService } from './sms-delivery.service';
import { SmsGuards } from './sms-guards';
import { SmsInboundService } from './sms-inbound.service';
import { SmsSpool } from './sms-spool';

/**
 * The provider-neutral SMS channel. A provider module (Twilio, later a relay phone) imports it,
 * verifies and normalises its webhooks into `SmsInboundService.accept` / `SmsDeliveryService.apply`,
 * and hands its sender to `SmsChannel.useProvider` at init.
 */
@Module({
  imports: [ContactsModule, ConversationsModule, OutboundModule],
  providers: [translatorProvider, SmsGuards, SmsSpool, SmsInboundService, SmsDeliveryService, SmsChannel],
  exports: [SmsInboundService, SmsDeliveryService, SmsChannel, SmsGuards, SmsSpool],
})
export class SmsModule {}
