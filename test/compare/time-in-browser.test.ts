import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withBrowserTimings } from '../../src/compare/time-in-browser.js';
import type { TimedVariant } from '../../src/compare/variant-record.js';
import type { DeviceLatency, FailedVariant, LatencyPoint } from '../../src/report/model/types.js';

const point = { batchSize: 1, sequenceLength: 8, p50Ms: 1 } as LatencyPoint;
const memory = { peakRssAfterLoadBytes: 1, peakRssAfterRunsBytes: 2 };
const onCpu: DeviceLatency = { device: 'cpu', state: 'timed', latency: [point], memory };
const timed = (id: string, latencyByDevice: DeviceLatency[] = [onCpu]) => ({
  id, state: 'timed', timing: { latency: [point], memory }, latencyByDevice,
}) as unknown as TimedVariant;
const failed: FailedVariant = { id: 'x/fp32', model: 'x', variant: 'fp32', state: 'failed', error: { code: 'E', message: 'no' } };
const inBrowser: DeviceLatency = { device: 'browser-wasm', state: 'timed', latency: [point], memory: null };

describe('withBrowserTimings: a variant\'s browser devices after its Node devices', () => {
  it('appends the browser\'s entries after the one Node device\'s', () => {
    const [v] = withBrowserTimings([timed('a')], { setups: [{ device: 'browser-wasm', runtime: 'r', threads: 1 }], byVariant: new Map([['a', [inBrowser]]]) });
    assert.deepEqual(v?.state === 'timed' ? v.latencyByDevice : null, [{ device: 'cpu', state: 'timed', latency: [point], memory }, inBrowser]);
  });

  it('keeps several Node devices as they are, failed variants untouched, and changes nothing without browser devices', () => {
    const own: DeviceLatency[] = [{ device: 'cpu', state: 'timed', latency: [point], memory }, { device: 'wasm', state: 'unsupported', op: 'Op', message: 'm' }];
    const timings = { setups: [{ device: 'browser-wasm' as const, runtime: 'r', threads: 1 }], byVariant: new Map([['a', [inBrowser]]]) };
    const [v, f] = withBrowserTimings([timed('a', own), failed], timings);
    assert.deepEqual(v?.state === 'timed' ? v.latencyByDevice : null, [...own, inBrowser]);
    assert.equal(f, failed);
    const [same] = withBrowserTimings([timed('a')], { setups: [], byVariant: new Map() });
    assert.deepEqual(same, timed('a'));
  });
});
