import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/config';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '../channels/twilio/twilio-webhook.paths';
import { TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_PATH, TWILIO_VOICE_STATUS_PATH } from '../channels/twilio-voice/twilio-voice.paths';
import { TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH } from '../channels/twilio-voice/twilio-voice-bridge.paths';
import { observeWebhook, type WebhookChannel } from './process-metrics';

/**
 * `sira_webhook_duration_seconds{channel}`: installed by configureHttp before anything else, so a
 * webhook is timed from its arrival to the end of its answer — body parsing, a refusal by the header
 * check (401/403) and the controller included. The channel comes from the route a path matches, never
 * from the path itself: the relay phone's route carries its phone's name (`/webhooks/sms-gateway/<phone>`),
 * and Twilio's voice routes carry a query; neither ever reaches a label. Only the routes of configured
 * channels are timed (the same conditions as ChannelsModule), so a stranger probing an unmounted route
 * adds nothing.
 */
export function webhookTimer(config: Config): RequestHandler {
  const routes = webhookRoutes(config);
  return (req: Request, res: Response, next: NextFunction) => {
    const channel = routes.length ? channelOf(routes, req.path) : undefined;
    if (!channel) return next();
    const started = process.hrtime.bigint();
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      observeWebhook(channel, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once('finish', observe);
    res.once('close', observe); // the provider hung up before the answer ended
    next();
  };
}

interface Route {
  pattern: RegExp;
  channel: WebhookChannel;
}

/** The webhook routes of the channels this configuration turns on. */
export function webhookRoutes(config: Config): Route[] {
  const routes: Route[] = [];
  if (config.twilio) routes.push({ pattern: exact([TWILIO_SMS_PATH, TWILIO_STATUS_PATH]), channel: 'twilio_sms' });
  if (config.voice) {
    const paths = [TWILIO_VOICE_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_STATUS_PATH, TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH];
    routes.push({ pattern: exact(paths), channel: 'twilio_voice' });
  }
  // `/webhooks/sms-gateway/:phone` and `/webhooks/sms-gateway/:phone/httpsms` (SMS_GATEWAY_WEBHOOK_PATH)
  if (config.smsGateway) routes.push({ pattern: /^\/webhooks\/sms-gateway\/[^/]+(?:\/httpsms)?\/?$/i, channel: 'sms_gateway' });
  if (config.telegram?.mode === 'webhook') routes.push({ pattern: /^\/webhooks\/telegram\/?$/i, channel: 'telegram' });
  if (config.whatsapp) routes.push({ pattern: /^\/webhooks\/whatsapp\/?$/i, channel: 'whatsapp' });
  return routes;
}

function channelOf(routes: Route[], path: string): WebhookChannel | undefined {
  if (!path.toLowerCase().startsWith('/webhooks/')) return undefined;
  return routes.find((r) => r.pattern.test(path))?.channel;
}

/** Any of these paths, in any case, with one optional trailing slash (as Express routes them). */
function exact(paths: string[]): RegExp {
  return new RegExp(`^(?:${paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})/?$`, 'i');
}
