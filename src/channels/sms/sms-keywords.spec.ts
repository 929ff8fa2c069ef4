import { normaliseSmsKeyword } from './sms-keywords';

describe('normaliseSmsKeyword', () => {
  it.each(['UNSUBSCRIBE', 'cancel', ' End ', 'QUIT!', 'stopall', 'OPTOUT', 'revoke.'])('reads the carrier opt-out word %j as STOP', (text) => {
    expect(normaliseSmsKeyword(text)).toBe('STOP');
  });

  it('reads UNSTOP as START', () => {
    expect(normaliseSmsKeyword('unstop')).toBe('START');
  });

  it.each(['1', 'Bonjour', 'STOP', 'ARRET', 'jɔ', 'cancel my request please', 'the end'])('leaves %j as she wrote it', (text) => {
    expect(normaliseSmsKeyword(text)).toBe(text);
  });
});
