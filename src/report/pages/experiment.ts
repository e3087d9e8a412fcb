import type { ReportData } from '../data.js';
import { connectionPage, esc, experimentPage, fmt, page, table } from '../html.js';

export function experimentsIndex(d: ReportData): string {
  return page(
    'Experiments',
    '',
    table(
      ['experiment', 'cells', 'tested pairs', 'connected', 'recordings passing QC'],
      d.experiments.map((e) => {
        const qc = d.qc.find((q) => q.experiment === e);
        const pairs = d.pairs.filter((p) => p.experiment === e);
        return [
          `<a href="${esc(experimentPage(e))}">${esc(e)}</a>`,
          String(d.cells.filter((c) => c.experiment === e).length),
          String(pairs.length),
          String(pairs.filter((p) => p.connected).length),
          qc ? `${qc.passed}/${qc.recordings}` : '–',
        ];
      }),
    ),
  );
}

/** One experiment: its cells with intrinsic properties, recording QC, job statuses and pairs. */
export function renderExperimentPage(d: ReportData, e: string): string {
  const cells = d.cells.filter((c) => c.experiment === e);
  const qc = d.qc.find((q) => q.experiment === e);
  const jobs = d.grid.filter((c) => c.experiment === e);
  const pairs = d.pairs.filter((p) => p.experiment === e);
  const clamped = d.voltageClampPairs.filter((p) => p.experiment === e);
  const link = (p: (typeof pairs)[number], text: string) =>
    p.connected ? `<a href="../${connectionPage(p.pairId)}">${esc(text)}</a>` : esc(text);
  return page(
    e,
    '../',
    `<h2>Cells</h2>${table(
      ['cell', 'Cre', 'layer', ...(d.hasClasses ? ['class'] : []), 'Vrest (mV)', 'Rin (MΩ)', 'τm (ms)'],
      cells.map((c) => [
        esc(c.extId),
        esc(c.creType),
        esc(c.layer),
        ...(d.hasClasses ? [esc(c.cellClass)] : []),
        fmt(c.restingPotential, 1e3, 1),
        fmt(c.inputResistance, 1e-6, 0),
        fmt(c.membraneTau, 1e3, 1),
      ]),
    )}
<h2>Recording QC</h2><p>${
      qc
        ? `${qc.passed} of ${qc.recordings} recordings passed QC; mean baseline noise ${fmt(qc.meanNoiseSd, 1e3, 3)} mV.`
        : 'No recordings.'
    }</p>
<h2>Jobs</h2>${table(
      ['module', 'status', 'message'],
      jobs.map((j) => [
        esc(j.module),
        j.link ? `<a href="${esc(j.link)}" target="_blank" rel="noopener">${j.status}</a>` : j.status,
        esc(j.message ?? ''),
      ]),
    )}
<h2>Pairs</h2>${table(
      ['pre → post', 'distance (µm)', 'responses', 'type', 'score', 'connected', 'amplitude (mV)', 'latency (ms)'],
      pairs.map((p) => [
        link(p, `${p.pre} → ${p.post}`),
        fmt(p.distanceUm, 1, 0),
        String(p.nSamples),
        esc(p.synapseType),
        fmt(p.score, 1, 1),
        p.connected ? 'yes' : 'no',
        fmt(p.amplitude, 1e3, 3),
        fmt(p.latency, 1e3, 2),
      ]),
    )}${clamped.length ? voltageClampTable(clamped) : ''}`,
  );
}

/** Pairs recorded with the postsynaptic cell in voltage clamp: currents, in a table of their own. */
function voltageClampTable(pairs: ReportData['voltageClampPairs']): string {
  return `
<h2>Pairs, voltage clamp</h2><p>Postsynaptic cell held in voltage clamp; PSC amplitudes in pA (inward &lt; 0), never averaged with the current-clamp pairs above.</p>${table(
    ['pre → post', 'responses', 'type', 'score', 'connected', 'PSC amplitude (pA)', 'latency (ms)', 'holding (mV)'],
    pairs.map((p) => [
      esc(`${p.pre} → ${p.post}`),
      String(p.nSamples),
      esc(p.synapseType),
      fmt(p.score, 1, 1),
      p.connected ? 'yes' : 'no',
      fmt(p.amplitude, 1e12, 1),
      fmt(p.latency, 1e3, 2),
      fmt(p.holdingPotential, 1e3, 0),
    ]),
    'class="voltage-clamp"',
  )}`;
}
