import fs from 'node:fs';
import { readProcessMemory } from '../src/bench/memory.js';

/**
 * Preloaded (node --import) into a process bench:convert measures: on exit it writes the process's
 * peak RSS (VmHWM) and CPU seconds (user + system), both covering its worker threads, to
 * $ALBENCH_PEAK_RSS_FILE, whatever the command that runs in it.
 */
const file = process.env['ALBENCH_PEAK_RSS_FILE'];
if (file !== undefined) {
  process.on('exit', () => {
    const m = readProcessMemory();
    // Linux syncs per-thread RSS counters lazily: a peak is at least the RSS seen now.
    const cpu = process.cpuUsage();
    fs.writeFileSync(file, JSON.stringify({ peakRssBytes: Math.max(m.peakRssBytes, m.rssBytes), cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  });
}
