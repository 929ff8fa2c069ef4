/**
 * `npm run flows:check`: loads every flow and locale exactly as the service does at boot, prints
 * each problem on its own line and a translation coverage table. Exit code 1 on any problem.
 */
import { smsBudgetCheck } from '../channels/sms/sms-budget';
import { loadConfig } from '../config/config';
import { loadContent } from '../content/content.loader';
import type { LanguageCoverage } from '../content/content.types';
import { reviewSummary } from '../content/review-status';
import { discretionProblems } from '../privacy/discretion';
import { audioCoverageCheck } from '../recordings/audio-coverage.check';
import { voiceMenuProblems } from '../channels/voice/voice-check';
import { whatsappCheck } from '../channels/whatsapp/whatsapp-check';

function coverageTable(rows: LanguageCoverage[], base: string): string {
  const lines = ['language            keys translated   coverage'];
  for (const r of rows) {
    const label = `${r.code} (${r.name})`.padEnd(20);
    const counts = `${r.translated}/${r.total}`.padStart(15);
    const pct = `${Math.round(r.ratio * 100)}%`.padStart(10);
    const note = r.code === base ? '  base' : r.ratio < 1 ? `  missing keys fall back to ${base}` : '';
    lines.push(`${label}${counts}${pct}${note}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const config = loadConfig();
  const content = loadContent(config.content);
  const flows = Object.keys(content.flowSet.flows).length;
  for (const p of content.problems) console.error(p.message);
  console.log(`${flows} flows, ${content.languages.length} languages (${config.content.flowsDir}, ${config.content.localesDir})`);
  console.log(coverageTable(content.coverage, content.base));
  console.log(`\n${reviewSummary(content.resources, content.languages.map((l) => l.code), content.base, content.reviews)}`);
  const sms = smsBudgetCheck(content, config.sms);
  console.log(`\n${sms.report}`);
  for (const p of sms.problems) console.error(p);
  // texts read over her shoulder (src/privacy/discretion.ts); the send path refuses them too
  const discretion = discretionProblems(content.resources);
  for (const p of discretion) console.error(p);
  // recorded prompts (src/recordings): coverage always; in production, the voice languages' essentials
  const audio = await audioCoverageCheck(config, content);
  console.log(`\n${audio.report}`);
  for (const p of audio.problems) console.error(p);
  // the phone keypad: 1–8 choose, 9 is a person, 0 the menu
  const voice = voiceMenuProblems(content.flowSet);
  for (const p of voice) console.error(p);
  // WhatsApp: reply ids and the list button fit; labels a list row cuts are listed
  const whatsapp = whatsappCheck(content);
  console.log(`\n${whatsapp.report}`);
  for (const p of whatsapp.problems) console.error(p);
  const problems = content.problems.length + sms.problems.length + discretion.length + audio.problems.length + voice.length + whatsapp.problems.length;
  if (problems > 0) {
    console.error(`\nflows:check failed: ${problems} problem${problems === 1 ? '' : 's'}`);
    return 1;
  }
  console.log('\nflows:check passed');
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`flows:check failed: ${error.message}`);
    process.exitCode = 1;
  },
);
