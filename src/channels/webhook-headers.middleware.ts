import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/config';
import { secretTokenMatches } from './telegram/telegram-secret';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from './twilio/twilio-webhook.paths';
import { WHATSAPP_SIGNATURE_SHAPE } from './whatsapp/whatsapp-signature';
import { TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_PATH, TWILIO_VOICE_STATUS_PATH } from './twilio-voice/twilio-voice.paths';
import { TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH } from './twilio-voice/twilio-voice-bridge.paths';

/**
 * Webhook authentication headers, checked before any body parser runs (installed by configureHttp
 * ahead of the json/urlencoded parsers). Without it a stranger could make us read and parse up to
 * 64 kB of JSON or form per request (and tell from a 400 or 413 that the route exists) before the
 * controller finds out the request was never signed. Here the body is never read:
 *
 * - Telegram: the secret token does not depend on the body, so it is checked in full (constant
 *   time, as the controller does): wrong or missing → 401, as the controller answers.
 * - Twilio and the relay phone sign the body, so only a signature header that is missing or cannot
 *   be a signature (wrong alphabet or length) is refused here, with the controller's 403; the
 *   controller still checks the signature itself. httpSMS's bearer JWT (HS256: a 43-character
 *   signature) is checked the same way: its shape here, its signature and claims in the controller.
 *
 * Only routes whose controller is mounted are guarded (same config conditions as ChannelsModule and
 * TelegramModule), and paths match the way Express routes them: any case, one optional trailing slash.
 */
export function webhookHeadersMiddleware(config: Config): RequestHandler {
  const telegramSecret = config.telegram?.webhookSecret;
  const telegramOn = config.telegram?.mode === 'webhook';
  const twilioOn = Boolean(config.twilio);
  const voiceOn = Boolean(config.voice);
  const smsGatewayOn = Boolean(config.smsGateway);
  const whatsappOn = Boolean(config.whatsapp);

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const path = req.path;
    if (telegramOn && TELEGRAM_ROUTE.test(path)) {
      if (!secretTokenMatches(telegramSecret, req.headers['x-telegram-bot-api-secret-token'])) return unauthorized(res);
    } else if ((twilioOn && TWILIO_ROUTE.test(path)) || (voiceOn && TWILIO_VOICE_ROUTE.test(path))) {
      if (!TWILIO_SIGNATURE.test(single(req.headers['x-twilio-signature']))) return invalidSignature(res);
    } else if (whatsappOn && WHATSAPP_ROUTE.test(path)) {
      if (!WHATSAPP_SIGNATURE_SHAPE.test(single(req.headers['x-hub-signature-256']))) return invalidSignature(res);
    } else if (smsGatewayOn && HTTPSMS_ROUTE.test(path)) {
      if (!HTTPSMS_TOKEN.test(single(req.headers.authorization))) return invalidSignature(res);
    } else if (smsGatewayOn && SMS_GATEWAY_ROUTE.test(path)) {
      if (!SMS_GATEWAY_SIGNATURE.test(single(req.headers['x-signature'])) || !SMS_GATEWAY_TIMESTAMP.test(single(req.headers['x-timestamp']))) {
        return invalidSignature(res);
      }
    }
    return next();
  };
}

const TELEGRAM_ROUTE = /^\/webhooks\/telegram\/?$/i;
/** Meta signs the body (X-Hub-Signature-256): only its shape is checked here, the HMAC in the controller. */
const WHATSAPP_ROUTE = /^\/webhooks\/whatsapp\/?$/i;
const TWILIO_ROUTE = new RegExp(`^(?:${escape(TWILIO_SMS_PATH)}|${escape(TWILIO_STATUS_PATH)})/?$`, 'i');
const TWILIO_VOICE_ROUTE = new RegExp(`^(?:${[TWILIO_VOICE_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_STATUS_PATH, TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH].map(escape).join('|')})/?$`, 'i');
/** `/webhooks/sms-gateway/:phone` (SMS_GATEWAY_WEBHOOK_PATH; not imported to keep the controller's imports out of main's HTTP setup). */
const SMS_GATEWAY_ROUTE = /^\/webhooks\/sms-gateway\/[^/]+\/?$/i;
/** `/webhooks/sms-gateway/:phone/httpsms`: a relay phone's httpSMS events (a bearer JWT, checked by the controller). */
const HTTPSMS_ROUTE = /^\/webhooks\/sms-gateway\/[^/]+\/httpsms\/?$/i;
const HTTPSMS_TOKEN = /^Bearer [A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{43}$/;

/** base64 of an HMAC-SHA1: 20 bytes → 27 characters and one `=`. */
const TWILIO_SIGNATURE = /^[A-Za-z0-9+/]{27}=$/;
/** what isValidSmsGatewaySignature accepts: hex HMAC-SHA256 and Unix seconds. */
const SMS_GATEWAY_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const SMS_GATEWAY_TIMESTAMP = /^\d{1,12}$/;

/** A repeated header arrives as an array (or joined with commas): never a valid signature. */
function single(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bodies Nest gives UnauthorizedException() and ForbiddenException('invalid signature'). */
function unauthorized(res: Response): void {
  res.status(401).json({ message: 'Unauthorized', statusCode: 401 });
}

function invalidSignature(res: Response): void {
  res.status(403).json({ message: 'invalid signature', error: 'Forbidden', statusCode: 403 });
}
