import { join } from 'node:path';
import { loadContent } from '../../content/content.loader';
import { whatsappCheck } from './whatsapp-check';

const ROOT = join(__dirname, '..', '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });

describe('whatsappCheck (flows:check)', () => {
  it('finds nothing wrong in the shipped content and reports the labels a list row cuts, per language', () => {
    const { problems, report } = whatsappCheck(content);
    expect(problems).toEqual([]);
    expect(report).toMatch(/^fr\s+Choisir\s+\d+/m);
    expect(report).toMatch(/^en\s+Choose\s+\d+/m);
  });

  it('refuses a choice id too long for a reply id', () => {
    const flow = Object.values(content.flowSet.flows).find((f) => Object.values(f.nodes).some((n) => n.type === 'menu'))!;
    const menu = Object.values(flow.nodes).find((n) => n.type === 'menu')!;
    if (menu.type !== 'menu') throw new Error('expected a menu');
    const long = { ...menu, choices: [{ ...menu.choices[0]!, id: 'x'.repeat(250) }] };
    const flowSet = { ...content.flowSet, flows: { [flow.id]: { ...flow, nodes: { [menu.id]: long } } } };
    expect(whatsappCheck({ ...content, flowSet }).problems).toEqual([expect.stringMatching(/too long for a WhatsApp reply id/)]);
  });
});
