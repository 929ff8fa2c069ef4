/**
 * `npm run audio:import -- <folder> [--by "Name (role)"]` reads `<lng>/<namespace>/<key>.<wav|mp3|ogg|m4a|webm|amr>`
 * (e.g. `bm/menu/prompt.wav`), refuses with its name each file that is not audio, is silent, too long
 * (AUDIO_MAX_SECONDS) or names an unknown language or key, and stores the rest as `draft` recordings
 * (loudness-normalised MP3 and OGG/Opus). The same file again changes nothing. Exit 1 if anything was refused.
 * With the embedded database (no DATABASE_URL) stop the service first: it owns DATA_DIR while it runs.
 */
import { existsSync, statSync } from 'node:fs';
import { loadConfig } from '../config/config';
import { importFolder } from '../recordings/audio-folder';
import { openLibrary } from '../recordings/recordings.open';

async function main(argv: string[]): Promise<number> {
  const folder = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--by');
  const byAt = argv.indexOf('--by');
  const by = byAt >= 0 ? (argv[byAt + 1] ?? '').trim() : 'audio:import';
  if (!folder || !existsSync(folder) || !statSync(folder).isDirectory() || !by) {
    console.error('usage: npm run audio:import -- <folder> [--by "Name (role)"]   (folder: <lng>/<namespace>/<key>.<ext>)');
    return 2;
  }
  const library = await openLibrary(loadConfig());
  try {
    const report = await importFolder(folder, library.service, by);
    for (const file of report.added) console.log(`added      ${file}`);
    for (const file of report.replaced) console.log(`replaced   ${file}  (now draft again)`);
    for (const { file, reason } of report.refused) console.error(`refused    ${file}: ${reason}`);
    console.log(`${report.added.length} added, ${report.replaced.length} replaced, ${report.unchanged.length} unchanged, ${report.refused.length} refused`);
    return report.refused.length > 0 ? 1 : 0;
  } finally {
    await library.handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`audio:import failed: ${error.message}`);
    process.exitCode = 1;
  },
);
