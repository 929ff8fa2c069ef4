import { formatCall } from './chat.format';

describe('npm run chat -- --channel voice: what she would hear', () => {
  it('prints each piece on its line: a recording with its URL, a text with the voice that reads it, then what the call waits for', () => {
    const out = formatCall({
      heard: [
        { text: 'Menu principal', audio: '/audio/abc.mp3' },
        { text: 'Réparations', voice: 'fr-FR' },
        { text: 'appuyez sur 1', voice: 'fr-FR' },
      ],
      listen: 'key',
      next: { id: 'SIMx', step: 1, listening: 'key', silences: 0 },
    });
    expect(out.split('\n')).toEqual(['< ▶ Menu principal', '    (recording /audio/abc.mp3)', '< [fr-FR] Réparations', '< [fr-FR] appuyez sur 1', '    (waits for one key)']);
  });

  it('says when a number is typed up to #, when the call ends, and when nothing is heard', () => {
    expect(formatCall({ heard: [{ text: 'Tapez le numéro', voice: 'fr-FR' }], listen: 'number', next: {} })).toMatch(/\(waits for a number ended by #\)$/);
    expect(formatCall({ heard: [{ text: 'Au revoir.', voice: 'fr-FR' }], listen: 'none', next: null })).toBe('< [fr-FR] Au revoir.\n    (the call ends)');
    expect(formatCall({ heard: [], listen: 'none', next: null })).toBe('< (silence)\n    (the call ends)');
  });

  it('keeps a multi-line text on prefixed lines', () => {
    expect(formatCall({ heard: [{ text: 'a\nb', voice: 'fr-FR' }], listen: 'key' })).toBe('< [fr-FR] a\n< b\n    (waits for one key)');
  });
});
