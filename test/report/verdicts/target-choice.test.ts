import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differenceInterval, nonInferior } from '../../../src/report/verdicts/non-inferiority.js';
import { chooseOnDevice } from '../../../src/report/verdicts/target-choice.js';
import { targetDevice, untimedText } from '../../../src/report/verdicts/targets.js';
import { targetCardsHtml } from '../../../src/report/render/target-cards.js';
import type { Report } from '../../../src/report/model/types.js';
import { editable, sampleReport } from '../../helpers/sample-report.js';

/** The sample report as if it had been timed on CUDA: no GPU is needed to choose on its figures. */
function cudaReport(): Report {
  const r = editable(sampleReport());
  r.env.device = 'cuda';
  r.env.executionProvider = 'CUDAExecutionProvider';
  return r as Report;
}

describe('choosing a variant for a deployment target', () => {
  it('the McNemar interval is the Wald interval for paired proportions, from the discordant counts', () => {
    const iv = differenceInterval({
      test: 'mcnemar', difference: -0.02, examples: 100, predictionsDiffering: 6, significant: false, onlyThisCorrect: 2, onlyOtherCorrect: 4, pValue: 0.69,
    });
    // d = (2 - 4) / 100, se = sqrt(6 - 4/100) / 100
    const se = Math.sqrt(6 - 0.04) / 100;
    assert.equal(iv.method, 'wald-paired-proportions');
    assert.ok(Math.abs(iv.low - (-0.02 - 1.959964 * se)) < 1e-12 && Math.abs(iv.high - (-0.02 + 1.959964 * se)) < 1e-12);
    assert.equal(nonInferior(iv, 7), true);
    assert.equal(nonInferior(iv, 6), false, 'the lower end is -6.78 points');
  });

  it('cuda on a report without cuda timings names --device cuda; on a cuda report it chooses by the report\'s rule', () => {
    const cpu = sampleReport();
    assert.equal(targetDevice(cpu, 'cuda'), undefined);
    assert.match(untimedText(cpu, 'cuda'), /--device cuda/);
    assert.match(untimedText(cpu, 'browser'), /--device cpu,browser-wasm/);
    const cuda = cudaReport();
    assert.equal(targetDevice(cuda, 'cuda'), 'cuda');
    const choice = chooseOnDevice(cuda, 'cuda', {});
    assert.equal(choice.kind, 'chosen');
    const onCpu = chooseOnDevice(cpu, 'cpu', {});
    assert.ok(choice.kind === 'chosen' && onCpu.kind === 'chosen');
    assert.equal(choice.chosen.headline.variant.id, onCpu.chosen.headline.variant.id, 'the same figures, the same choice');
  });

  it('a size limit no variant meets is a no-fit naming the closest variant and its miss', () => {
    const report = sampleReport();
    const choice = chooseOnDevice(report, 'cpu', { maxSizeMb: 1 });
    assert.equal(choice.kind, 'no-fit');
    assert.match(choice.reason, /the closest is albert\/int8-dynamic: 0.38 MB over the size limit/);
  });

  it('report.html shows one card per target: the choice with its evidence, or the compare flags that would time it', () => {
    const html = targetCardsHtml(sampleReport());
    assert.equal(html.match(/class="target-card"/g)?.length, 3);
    const choice = chooseOnDevice(sampleReport(), 'cpu', {});
    assert.ok(choice.kind === 'chosen');
    assert.ok(html.includes(`node (cpu): ${choice.chosen.headline.variant.id}`), html);
    assert.match(html, /vs fp32 .* wald-paired-proportions; McNemar p=/);
    assert.match(html, /Not timed: this report has no browser timings .*--device cpu,browser-wasm/);
    assert.match(html, /Not timed: this report has no cuda timings .*--device cuda/);
  });
});
