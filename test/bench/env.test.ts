import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpuInfo } from '../../src/bench/env.js';
import { readProcessMemory } from '../../src/bench/memory.js';

const processor = (id: number, core: number, flags: string) =>
  `processor\t: ${id}\nmodel name\t: Test CPU 9000\nphysical id\t: 0\ncore id\t\t: ${core}\nflags\t\t: fpu sse2 ${flags}\n`;

describe('environment', () => {
  it('reads the CPU model, logical and physical cores and the SIMD flags from /proc/cpuinfo', () => {
    const text = [processor(0, 0, 'avx2 avx512f avx512_vnni'), processor(1, 0, 'avx2 avx512f avx512_vnni'), processor(2, 1, 'avx2 avx512f avx512_vnni')].join('\n');
    assert.deepEqual(parseCpuInfo(text), {
      model: 'Test CPU 9000', logicalCores: 3, physicalCores: 2,
      flags: { avx2: true, avx512f: true, avx512Vnni: true, avxVnni: false, amx: false },
    });
    assert.deepEqual(parseCpuInfo(processor(0, 0, 'avx2 avx_vnni')).flags, { avx2: true, avx512f: false, avx512Vnni: false, avxVnni: true, amx: false });
  });

  it('reads peak and current resident memory of this process', () => {
    const m = readProcessMemory();
    assert.ok(m.rssBytes > 10e6 && m.rssBytes < 64e9, `${m.rssBytes}`);
    assert.ok(m.peakRssBytes >= m.rssBytes);
  });
});
