import { SMS_GATEWAY_WEBHOOK_PATH } from '../../src/channels/sms-gateway/sms-gateway-webhook.controller';
import type { Clock } from '../../src/common/clock';
import { sleep } from '../sms/sms-test.helpers';
import type { RunningSmsApp } from '../sms/twilio-test.harness';
import { startApp, type LogCapture } from '../support/app-harness';

/** Real time plus an offset a test can move forward (a phone falls silent without waiting 15 minutes). */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export { newFakePhone, relayEnv, type RelayLineSpec } from '../support/app-harness';

/** The whole application with the production HTTP stack and a clock the test can move. */
export async function startRelayApp(
  prefix: string,
  databaseUrl: string,
  env: Record<string, string>,
  options: { clock?: ShiftedClock; logs?: LogCapture } = {},
): Promise<RunningSmsApp & { clock: ShiftedClock }> {
  const clock = options.clock ?? new ShiftedClock();
  return { ...(await startApp({ prefix, databaseUrl, env, clock, logs: options.logs, spoolIntervalMs: 200 })), clock };
}

export function webhookUrl(app: RunningSmsApp, phone: string): string {
  return `${app.url}${SMS_GATEWAY_WEBHOOK_PATH}/${phone}`;
}

/** An `sms:received` payload as the app sends it (its messageId is derived from the content). */
export function receivedPayload(from: string, text: string, receivedAt = new Date(), simNumber: number | null = 1) {
  return {
    messageId: Buffer.from(text).toString('hex').slice(0, 16) || 'empty',
    message: text,
    sender: from,
    recipient: null,
    phoneNumber: from,
    simNumber,
    receivedAt: receivedAt.toISOString().replace('Z', '+00:00'),
  };
}

/** Waits until the number of texts stops changing (replies arrive one by one, paced). */
export async function settle(count: () => number): Promise<void> {
  let last = -1;
  while (last !== count()) {
    last = count();
    await sleep(300);
  }
}
