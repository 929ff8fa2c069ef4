import { CAP_WINDOWS, capNotice } from '../../src/channels/sms/sms-cap-notice';
import { renderSmsMessages } from '../../src/channels/sms/sms.renderer';
import { contentTexts } from './twilio-test.harness';

describe('the cap notices as she reads them', () => {
  const { content, translator } = contentTexts();
  const languages = content.languages.map((l) => l.code);

  it.each(CAP_WINDOWS.flatMap((w) => languages.map((l) => [w, l] as const)))('the %s notice in %s is one GSM-7 SMS, says when to write again and names no topic', (window, language) => {
    const sms = renderSmsMessages(capNotice(window), translator.t(language), { language, spelling: ['bm', 'fr'], sourceOf: translator.sourceOf });
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(sms[0]!.text).toMatch(window === 'day' ? /demain|tomorrow/ : /minute/);
    expect(sms[0]!.text).not.toMatch(/r[ée]paration|t[ée]moign|testimon|violence|danger|AGRV|CVJR/i);
  });

  it('is written in French and English only (other languages fall back to French until native speakers write it)', () => {
    for (const key of ['cap_reached', 'cap_reached_minute']) {
      expect(Object.keys(content.resources).filter((l) => (content.resources[l] as { common?: Record<string, unknown> }).common?.[key])).toEqual(expect.arrayContaining(['fr', 'en']));
      for (const l of ['bm', 'ff', 'ses', 'taq']) expect((content.resources[l] as { common?: Record<string, unknown> } | undefined)?.common?.[key]).toBeUndefined();
    }
  });
});
