/**
 * `npm run audio:export -- <folder>` writes every recording as `<lng>/<namespace>/<key>.mp3` (the phone
 * version) and `recordings.csv` (language, key, text, status — `stale (was …)` when its text changed —,
 * duration, who recorded and reviewed it). The folder can be edited and given back to `audio:import`.
 */
import { loadConfig } from '../config/config';
import { exportFolder } from '../recordings/audio-folder';
import { openLibrary } from '../recordings/recordings.open';

async function main(argv: string[]): Promise<number> {
  const folder = argv.find((a) => !a.startsWith('--'));
  if (!folder) {
    console.error('usage: npm run audio:export -- <folder>');
    return 2;
  }
  const library = await openLibrary(loadConfig());
  try {
    const report = await exportFolder(folder, library.service, library.repository);
    console.log(`${report.written} recordings written to ${folder}, list in ${report.csv}`);
    return 0;
  } finally {
    await library.handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`audio:export failed: ${error.message}`);
    process.exitCode = 1;
  },
);
