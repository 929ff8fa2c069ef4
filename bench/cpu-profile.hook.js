// Loaded with NODE_OPTIONS=--require (which refuses --cpu-prof): records a V8 CPU profile of the
// whole process and writes it to $SIRA_CPU_PROFILE_DIR when the process exits (open it in Chrome
// DevTools or summarise it with bench/profile-summary.ts).
const inspector = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    const dir = process.env.SIRA_CPU_PROFILE_DIR;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `service-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
