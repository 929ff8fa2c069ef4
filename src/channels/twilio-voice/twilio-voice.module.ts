import { Module } from '@nestjs/common';
import { translatorProvider } from '../../content/translator.provider';
import { ConversationsModule } from '../../conversations/conversations.module';
import { RecordingsModule } from '../../recordings/recordings.module';
import { ContactsModule } from '../../contacts/contacts.module';
import { ReturnCallTurns } from '../voice/return-call.turns';
import { ReturnCalls } from '../voice/return-calls.service';
import { VoiceModule } from '../voice/voice.module';
import { VOICE_DIALER } from '../voice/voice-dialer';
import { TwilioVoiceDialer } from './twilio-voice.dialer';
import { ContactForgettersModule } from '../contact-forgetter';
import { TwilioVoiceController } from './twilio-voice.controller';
import { TwilioVoiceForgetter } from './twilio-voice.forgetter';

/**
 * Phone calls through Twilio Programmable Voice: the same flows, heard and answered with the keypad.
 * On when Twilio is configured and TWILIO_VOICE_NUMBERS is set. The voice channel itself
 * (src/channels/voice) knows no provider: a local SIP/GSM gateway plugs in beside this module.
 */
@Module({
  imports: [ConversationsModule, RecordingsModule, ContactForgettersModule, ContactsModule, VoiceModule],
  controllers: [TwilioVoiceController],
  // erasure: Twilio deletes her calls and their logs; ReturnCallTurns: APPEL / CALL by SMS
  providers: [translatorProvider, TwilioVoiceForgetter, ReturnCalls, ReturnCallTurns, { provide: VOICE_DIALER, useClass: TwilioVoiceDialer }],
})
export class TwilioVoiceModule {}
