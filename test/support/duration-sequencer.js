// Jest's test order: longest file first, from the durations recorded in test-durations.json.
//
// With two workers the suite ends when its last file ends, so a long file that starts late (a fuzz
// spec of a few kilobytes, sorted by Jest as "small" on a fresh clone, where its own timing cache is
// empty) keeps one worker busy alone at the end. Starting the long files first lets the short ones
// fill in around them. A file missing from the record (new, or renamed) is run first, as Jest does
// for a file it has no time for. Refresh the record after a full run:
//   NODE_OPTIONS=--experimental-vm-modules npx jest --maxWorkers=2 --json --outputFile=/tmp/jest.json
//   node test/support/duration-sequencer.js /tmp/jest.json
const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = join(__dirname, '..', '..');
const RECORD = join(__dirname, 'test-durations.json');

function recorded() {
  try {
    return JSON.parse(readFileSync(RECORD, 'utf8')).seconds;
  } catch {
    return {};
  }
}

const key = (path) => relative(ROOT, path).split(sep).join('/');

class DurationSequencer extends Sequencer {
  sort(tests) {
    const seconds = recorded();
    const known = (test) => seconds[key(test.path)];
    const unknown = tests.filter((test) => known(test) === undefined);
    const timed = tests.filter((test) => known(test) !== undefined).sort((a, b) => known(b) - known(a) || (a.path < b.path ? -1 : 1));
    return [...super.sort(unknown), ...timed];
  }
}

module.exports = DurationSequencer;

// node test/support/duration-sequencer.js <jest --json output>: rewrites the record from that run.
if (require.main === module) {
  const run = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const seconds = {};
  for (const file of [...run.testResults].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    seconds[key(file.name)] = Math.round((file.endTime - file.startTime) / 100) / 10;
  }
  const note = 'Seconds each test file took in one full run (jest --maxWorkers=2); only the order matters. Written by duration-sequencer.js.';
  writeFileSync(RECORD, `${JSON.stringify({ note, seconds }, null, 2)}\n`);
  console.log(`${Object.keys(seconds).length} files recorded in ${relative(ROOT, RECORD)}`);
}
