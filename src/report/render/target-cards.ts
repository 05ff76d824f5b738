import type { Report } from '../model/types.js';
import { chooseOnDevice, type Candidate, type DeployConstraints } from '../verdicts/target-choice.js';
import { DEPLOY_TARGETS, targetDevice, untimedText, type DeployTarget } from '../verdicts/targets.js';
import { mb, ms, points } from '../../util/format.js';
import { escapeXml as esc } from './xml.js';

/**
 * One card per deployment target (node, browser, cuda): the variant `albench deploy` would choose
 * there with the report's own constraints (its size limit, and its --max-drop as the non-inferiority
 * margin), and the evidence it rests on; a target the report did not time names the compare flags.
 */
function reportConstraints(report: Report): DeployConstraints {
  const { maxSizeBytes, maxDropPoints } = report.settings.constraints;
  return { ...(maxSizeBytes === undefined ? {} : { maxSizeMb: maxSizeBytes / 1e6 }), ...(maxDropPoints === undefined ? {} : { maxDropPoints }) };
}

function evidence(report: Report, c: Candidate, device: string): string[] {
  const v = c.headline.variant;
  const lines: string[] = [`${mb(v.sizeBytes)} MB`];
  const m = c.headline.metric;
  if (m !== undefined) lines.push(`${m.key} ${points(m.value)} (95% ${points(m.ci95Low)} to ${points(m.ci95High)}, n=${m.examples})`);
  const d = m?.differenceVsFp32;
  if (d !== undefined && c.interval !== undefined) {
    const test = d.test === 'mcnemar' ? `McNemar p=${d.pValue.toPrecision(2)}` : `paired bootstrap, ${d.resamples} resamples`;
    lines.push(`vs fp32 ${points(d.difference)} points (95% ${points(c.interval.low)} to ${points(c.interval.high)}, ${c.interval.method}; ${test})`);
  }
  const p = c.headline.point;
  if (p !== undefined) lines.push(`p50 ${ms(p.p50Ms)} ms, p99 ${ms(p.p99Ms)} ms at b${p.batchSize} s${p.sequenceLength} on ${device}`);
  const real = v.deployment?.realInputs?.find((r) => r.device === device);
  if (real?.state === 'measured') lines.push(`real inputs: p50 ${ms(real.p50Ms)} ms, p99 ${ms(real.p99Ms)} ms`);
  const cold = v.deployment?.coldStart?.find((r) => r.device === device);
  if (cold?.state === 'measured') lines.push(`cold start ${ms(cold.totalMs)} ms`);
  return lines;
}

function card(report: Report, target: DeployTarget, constraints: DeployConstraints): string {
  const device = targetDevice(report, target);
  if (device === undefined) return `<div class="target-card"><h3>${esc(target)}</h3><p>Not timed: this report ${esc(untimedText(report, target))}.</p></div>`;
  const choice = chooseOnDevice(report, device, constraints);
  if (choice.kind === 'no-fit') return `<div class="target-card"><h3>${esc(target)} (${esc(device)})</h3><p>No fit: ${esc(choice.reason)}.</p></div>`;
  const id = choice.chosen.headline.variant.id;
  const items = evidence(report, choice.chosen, device).map((l) => `<li>${esc(l)}</li>`).join('');
  return `<div class="target-card"><h3>${esc(target)} (${esc(device)}): ${esc(id)}</h3><p>${esc(choice.reason)}</p><ul>${items}</ul>`
    + `<p><code>${esc(`albench deploy report.json --target ${target} -o ${target}-model`)}</code></p></div>`;
}

export function targetCardsHtml(report: Report): string {
  const constraints = reportConstraints(report);
  const cards = DEPLOY_TARGETS.map((t) => card(report, t, constraints)).join('');
  return `<section class="targets"><h2>Per deployment target</h2><div class="target-cards">${cards}</div></section>`;
}

/** What the cards add to report.html's style: side by side where the page is wide enough. */
export const TARGET_CARDS_STYLE = `
.target-cards { display: flex; flex-wrap: wrap; gap: 12px; }
.target-card { flex: 1 1 320px; border: 1px solid #ccd; border-radius: 6px; padding: 8px 12px; }
.target-card h3 { margin-top: 4px; }
`;
