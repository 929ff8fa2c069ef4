import { join } from 'node:path';
import { loadContent } from '../../content/content.loader';
import { smsBudgetCheck, smsBudgetReport } from './sms-budget';

const ROOT = join(__dirname, '..', '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });

describe('SMS budget of the content', () => {
  const report = smsBudgetReport(content, { maxSegments: 3, spelling: ['bm', 'fr'] });

  it('measures every text of every flow in every declared language', () => {
    const languages = content.languages.map((l) => l.code);
    expect([...new Set(report.rows.map((r) => r.language))]).toEqual(languages);
    expect(report.rows.some((r) => r.where === 'menu/main')).toBe(true);
    expect(report.rows.length % languages.length).toBe(0);
  });

  it('keeps every SMS within 3 segments, and every Bambara and French SMS in GSM-7 with the default spelling', () => {
    expect(report.problems).toEqual([]);
    expect(report.rows.filter((r) => (r.language === 'bm' || r.language === 'fr') && r.encoding !== 'GSM-7').map((r) => `${r.language} ${r.where} ${r.nonGsm.join('')}`)).toEqual([]);
  });

  it('reports each SMS over a smaller budget as a problem naming language, node and the offending characters', () => {
    const strict = smsBudgetCheck(content, { maxSegments: 1, spelling: [] });
    expect(strict.problems.length).toBeGreaterThan(0);
    expect(strict.problems.find((p) => p.includes(' bm ') && p.includes('UCS-2'))).toMatch(/^SMS over budget: bm [a-z_]+\/[a-z_]+(#invalid)?: \d segments UCS-2 \(max 1\), not GSM-7: /);
    expect(strict.report).toContain('OVER BUDGET');
  });
});
