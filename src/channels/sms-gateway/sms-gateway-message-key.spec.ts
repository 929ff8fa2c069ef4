import { BlindIndex } from '../../crypto/blind-index';
import type { KeyRing } from '../../crypto/key-ring';
import { smsGatewayMessageKey } from './sms-gateway-message-key';

describe('de-duplication key of a received relay SMS', () => {
  const index = new BlindIndex({ blindIndexKey: Buffer.alloc(32, 7) } as unknown as KeyRing);
  const sms = (over: Partial<{ messageId: string; receivedAt: string; sender: string }> = {}) => ({
    messageId: 'a1b2c3', // the app derives it from the content: "1" twice has the same id
    message: '1',
    sender: '+22370000001',
    receivedAt: '2026-03-01T10:00:00.000+00:00',
    ...over,
  });

  it('is the same for the same webhook sent again (the app retries, a replay)', () => {
    expect(smsGatewayMessageKey(index, 'sms-gateway:orange', sms())).toBe(smsGatewayMessageKey(index, 'sms-gateway:orange', sms()));
  });

  it('differs for the same text received at another time, from another sender, or on another line', () => {
    const key = smsGatewayMessageKey(index, 'sms-gateway:orange', sms());
    expect(smsGatewayMessageKey(index, 'sms-gateway:orange', sms({ receivedAt: '2026-03-01T10:00:04.000+00:00' }))).not.toBe(key);
    expect(smsGatewayMessageKey(index, 'sms-gateway:orange', sms({ sender: '+22370000002' }))).not.toBe(key);
    expect(smsGatewayMessageKey(index, 'sms-gateway:moov', sms())).not.toBe(key);
  });

  it('holds no trace of her number', () => {
    const key = smsGatewayMessageKey(index, 'sms-gateway:orange', sms());
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(key).not.toContain('70000001');
  });
});
