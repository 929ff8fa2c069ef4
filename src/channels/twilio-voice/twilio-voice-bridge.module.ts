import { Module } from '@nestjs/common';
import { StaffCallLineModule } from '../voice/staff-call.port';
import { TwilioVoiceBridgeController } from './twilio-voice-bridge.controller';
import { TwilioVoiceBridgeDialer } from './twilio-voice-bridge.dialer';

/**
 * Calls through Sira by Twilio Voice: staff call a woman without seeing her number. On with the voice
 * channel (TWILIO_VOICE_NUMBERS); the staff side knows only the provider-neutral StaffCallLine.
 */
@Module({
  imports: [StaffCallLineModule],
  controllers: [TwilioVoiceBridgeController],
  providers: [TwilioVoiceBridgeDialer],
})
export class TwilioVoiceBridgeModule {}
