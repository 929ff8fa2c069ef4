import { ConfigError, loadConfig } from './config';

describe('SMS_GATEWAY_PHONES', () => {
  const line = { id: 'orange', phone: 'bamako', apiUrl: 'http://192.168.1.20:8080', username: 'sms', password: 'secret-pass-1', signingKey: 'signing-key-1', simNumber: 1 };
  const load = (phones: unknown) => loadConfig({ NODE_ENV: 'test', SMS_GATEWAY_PHONES: typeof phones === 'string' ? phones : JSON.stringify(phones) });
  const problems = (phones: unknown) => {
    try {
      load(phones);
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };

  it('turns the relay on with one line per SIM, paced by default, names and keys kept', () => {
    const config = load([line, { ...line, id: 'moov', simNumber: 2, segmentsPerMinute: 3 }]);
    expect(config.smsGateway).toMatchObject({ segmentsPerMinute: 6, timeoutMs: 10_000, signatureToleranceMs: 300_000, silentAfterMs: 900_000 });
    expect(config.smsGateway!.lines.map((l) => [l.id, l.phone, l.simNumber, l.segmentsPerMinute])).toEqual([
      ['orange', 'bamako', 1, undefined],
      ['moov', 'bamako', 2, 3],
    ]);
    expect(loadConfig({ NODE_ENV: 'test' }).smsGateway).toBeUndefined();
  });

  it('refuses invalid JSON, a missing field, a twice-used id, two keys on one phone — without quoting a value', () => {
    expect(problems('[{"id":"orange", secret-pass-1')).toEqual(['SMS_GATEWAY_PHONES: is not valid JSON']);
    expect(problems([{ ...line, apiUrl: undefined }])).toEqual(['SMS_GATEWAY_PHONES.0.apiUrl: is missing or has the wrong type']);
    expect(problems([line, line]).join()).toContain('SMS_GATEWAY_PHONES.1.id: is used twice');
    expect(problems([line, { ...line, id: 'moov', signingKey: 'another-key-2' }]).join()).toContain('SMS_GATEWAY_PHONES.1.signingKey: differs from another line of the same phone');
    expect(JSON.stringify([problems('[{"id":"orange", secret-pass-1'), problems([line, { ...line, id: 'moov', signingKey: 'another-key-2' }])])).not.toMatch(/secret-pass|another-key/);
  });
});
