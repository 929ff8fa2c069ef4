import { smsCost } from './sms-segments';
import { applySmsSpelling } from './sms-spelling';

const ON = ['bm', 'fr'];

describe('applySmsSpelling', () => {
  it('writes Bambara letters the GSM-7 way (ɛ→è, ɔ→ò, ɲ→ny, ŋ→ng, capitals too)', () => {
    const text = 'Ɛ ɛ Ɔ ɔ Ɲ ɲ Ŋ ŋ: I ni ce. N bɛ se ka i dɛmɛ. Ɲininkali. Kɔrɔ';
    const spelled = applySmsSpelling(text, 'bm', ON);
    expect(spelled).toBe('E è O ò Ny ny Ng ng: I ni ce. N bè se ka i dèmè. Nyininkali. Kòrò');
    expect(smsCost(spelled).encoding).toBe('GSM-7');
  });

  it('folds French typography and the accents GSM-7 lacks, keeping é è à ù', () => {
    const text = 'L’État «\u00A0prévoit\u00A0» des réparations… Êtes-vous sûre ? Où ? Cœur, naïve, Français, à bientôt';
    const spelled = applySmsSpelling(text, 'fr', ON);
    expect(spelled).toBe('L\'État " prévoit " des réparations... Etes-vous sure ? Où ? Coeur, naive, Francais, à bientot');
    expect(smsCost(spelled).encoding).toBe('GSM-7');
  });

  it('changes nothing for a language whose map is switched off or that has none', () => {
    expect(applySmsSpelling('dɛmɛ', 'bm', ['fr'])).toBe('dɛmɛ');
    expect(applySmsSpelling('sûre', 'fr', [])).toBe('sûre');
    expect(applySmsSpelling('sûre ɛ', 'en', ON)).toBe('sûre ɛ');
  });

  it('halves the cost of a Bambara text that would otherwise be UCS-2', () => {
    const text = 'Sira bɛ kunnafoniw di i ma ka ɲɛsin jurumu sara ma. '.repeat(3);
    expect(smsCost(text)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    expect(smsCost(applySmsSpelling(text, 'bm', ON))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});
