import { Module } from '@nestjs/common';
import { translatorProvider } from '../../content/translator.provider';
import { ConversationsModule } from '../../conversations/conversations.module';
import { RecordingsModule } from '../../recordings/recordings.module';
import { VoiceCalls } from './voice-calls.service';

/**
 * The provider-neutral voice channel: one VoiceCalls (one outbound port for `voice`) for every caller
 * of it — Twilio's webhooks, and the development simulator's keypad phone.
 */
@Module({
  imports: [ConversationsModule, RecordingsModule],
  providers: [translatorProvider, VoiceCalls],
  exports: [VoiceCalls],
})
export class VoiceModule {}
