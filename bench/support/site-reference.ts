// One site's outputs as mpctl's pipeline stored them and as bench/reference/site.py computes them,
// in the same columns, so the single-site bench can assert they agree before comparing times.
import type { Em } from '../../src/db/orm.js';
import { query, sql } from '../../src/db/sql.js';
import { PULSE_RESPONSE_PARAMS } from '../../src/modules/pulse_response/process.js';
import { assertAgree, ReferenceInputs, type Flat, type Tolerances } from './reference-process.js';

/** What site.py needs besides the file: the experiment id (it seeds the snippet matching) and AD channel → pipette id. */
export async function writeSiteInputs(em: Em, nwb: string, dir: string): Promise<void> {
  const electrodes = await query<{ experiment: string; ext_id: string; device_id: number }>(
    em,
    sql`SELECT experiment_id AS experiment, ext_id, device_id FROM electrode`,
  );
  new ReferenceInputs().write(dir, {
    nwb,
    experiment: electrodes[0]!.experiment,
    keys: Object.fromEntries(electrodes.map((e) => [String(e.device_id), e.ext_id])),
    measure: PULSE_RESPONSE_PARAMS.measure,
  });
}

const num = (x: number | string | null | undefined) => (x === null || x === undefined ? Number.NaN : Number(x));
// Pipette ids in code-point order, as Python sorts them.
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** mpctl's stored outputs of the site in site.py's columns: counts, intrinsic per cell, connection strength per ordered pair. */
export async function siteOutputs(em: Em): Promise<Flat> {
  const [counts] = await query<{ responses: string; snippets: string }>(
    em,
    sql`SELECT count(*) AS responses, count(*) FILTER (WHERE bg_baseline IS NOT NULL) AS snippets FROM pulse_response_strength`,
  );
  const cells = await query<Record<string, number | null> & { cell: string }>(
    em,
    sql`SELECT c.ext_id AS cell, i.resting_potential, i.input_resistance, i.membrane_tau, i.noise_sd, i.n_sweeps
    FROM intrinsic i JOIN cell c ON c.id = i.cell_id`,
  );
  const pairs = await query<Record<string, unknown> & { pre: string; post: string }>(
    em,
    sql`SELECT pre.ext_id AS pre, post.ext_id AS post, s.*
    FROM connection_strength s JOIN pair p ON p.id = s.pair_id
    JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id`,
  );
  const out: Flat = { responses: [num(counts!.responses)], snippets: [num(counts!.snippets)] };
  const push = (k: string, x: unknown) => (out[k] ??= []).push(num(x as number | null));
  for (const c of cells.sort((a, b) => byKey(a.cell, b.cell))) {
    push('cell.restingPotential', c.resting_potential);
    push('cell.inputResistance', c.input_resistance);
    push('cell.membraneTau', c.membrane_tau);
    push('cell.noiseSd', c.noise_sd);
    push('cell.nSweeps', c.n_sweeps);
  }
  for (const p of pairs.sort((a, b) => byKey(a.pre, b.pre) || byKey(a.post, b.post))) {
    push('pair.nSamples', p.n_samples);
    push('pair.nBackground', p.n_background);
    push('pair.synapseEx', p.synapse_type === null ? null : p.synapse_type === 'ex' ? 1 : 0);
    for (const [k, column] of [
      ['signEvidence', 'sign_evidence'],
      ['detectionScore', 'detection_score'],
      ['ampMean', 'amp_mean'],
      ['latencyMean', 'latency_mean'],
      ['fitAmplitude', 'fit_amplitude'],
      ['fitLatency', 'fit_latency'],
      ['fitRiseTime', 'fit_rise_time'],
      ['fitDecayTau', 'fit_decay_tau'],
      ['fitNrmse', 'fit_nrmse'],
    ] as const)
      push(`pair.${k}`, p[column]);
    const amplitudes = (p.fit_pulse_amplitudes as (number | null)[] | null) ?? [];
    push('pair.fitGroups', p.fit_pulse_amplitudes === null ? null : amplitudes.length);
    for (const a of amplitudes) push('pair.fitPulseAmplitudes', a);
  }
  return out;
}

const EXACT = { abs: 0, rel: 0 };
// Measures agree to float64 rounding (module-references); statistics of equal samples do too.
const VOLTS = { abs: 1e-12, rel: 1e-9 };
// The train fit's bounds from module-references (same grid, simplex and budget).
const kinetics = { abs: 0, rel: 3e-2 };
const amplitude = { abs: 2e-6, rel: 1e-2 };

export const SITE_TOLERANCES: Tolerances = {
  '*': EXACT,
  'cell.restingPotential': VOLTS,
  'cell.noiseSd': VOLTS,
  'cell.inputResistance': { abs: 1, rel: 1e-8 },
  'pair.signEvidence': { abs: 1e-9, rel: 1e-6 },
  'pair.detectionScore': { abs: 1e-9, rel: 1e-6 },
  'pair.ampMean': VOLTS,
  'pair.latencyMean': { abs: 1e-12, rel: 0 },
  'pair.fitAmplitude': amplitude,
  'pair.fitPulseAmplitudes': amplitude,
  'pair.fitLatency': { abs: 20e-6, rel: 0 },
  'pair.fitRiseTime': kinetics,
  'pair.fitDecayTau': kinetics,
  'pair.fitNrmse': { abs: 0, rel: 1e-4 },
};

const FIT_COLUMNS = ['fitAmplitude', 'fitLatency', 'fitRiseTime', 'fitDecayTau', 'fitNrmse'] as const;
/** A pair whose fit paths parted must still reach the same residual: NRMSE within this (relative). */
const PARTED_NRMSE = 1e-3;
/** …and at most this share of the fitted pairs may part. */
const PARTED_SHARE = 0.1;

export const SITE_TOLERANCES_WHY = `response and snippet counts, samples per pair, synapse sign and cells exact; potentials 1e-12 V + 1e-9 rel; sign evidence and detection score 1e-6 rel; fits as module-references (amplitudes 2 µV + 1 %, latency 20 µs, rise and decay 3 %, NRMSE 1e-4 rel), except pairs whose simplex paths part (at most ${PARTED_SHARE * 100} %), which must reach the same NRMSE within ${PARTED_NRMSE}`;

export interface SiteAgreement {
  /** Largest difference per column relative to its tolerance, over the pairs that did not part. */
  worst: Record<string, number>;
  fittedPairs: number;
  /** Pairs whose fits stopped at different points of a flat valley: index and both NRMSEs. */
  parted: { pair: number; mpctlNrmse: number; referenceNrmse: number }[];
}

/**
 * assertAgree over every column, the train fit's per pair: where two nearly equal simplex values
 * swap order (1e-12 differences: SVD against normal equations) the paths part and stop at different
 * points of the same flat valley, mostly in pairs with no synapse, whose kinetics the noise does not
 * determine. Such a pair passes if both residuals agree within PARTED_NRMSE; the rest must be within tolerance.
 */
export function assertSiteAgree(mpctl: Flat, reference: Flat): SiteAgreement {
  const fitKeys = [...FIT_COLUMNS.map((c) => `pair.${c}`), 'pair.fitPulseAmplitudes'];
  const rest = (f: Flat) => Object.fromEntries(Object.entries(f).filter(([k]) => !fitKeys.includes(k)));
  const worst = assertAgree('single-site', rest(mpctl), rest(reference), SITE_TOLERANCES);
  // fitGroups agreed exactly above, so both sides' amplitudes line up pair by pair.
  const groups = mpctl['pair.fitGroups']!;
  const keep: Flat = Object.fromEntries(fitKeys.map((k) => [k, []]));
  const keepRef: Flat = Object.fromEntries(fitKeys.map((k) => [k, []]));
  const parted: SiteAgreement['parted'] = [];
  let at = 0;
  let fitted = 0;
  groups.forEach((g, i) => {
    const n = Number.isFinite(g) ? g : 0;
    const one = (f: Flat): Flat => ({
      ...Object.fromEntries(FIT_COLUMNS.map((c) => [`pair.${c}`, [f[`pair.${c}`]![i]!]])),
      'pair.fitPulseAmplitudes': (f['pair.fitPulseAmplitudes'] ?? []).slice(at, at + n),
    });
    at += n;
    if (!n) return;
    fitted++;
    const [a, b] = [one(mpctl), one(reference)];
    try {
      assertAgree(`pair ${i}`, a, b, SITE_TOLERANCES);
    } catch {
      const [x, y] = [a['pair.fitNrmse']![0]!, b['pair.fitNrmse']![0]!];
      if (!(Math.abs(x - y) <= PARTED_NRMSE * Math.abs(y)))
        throw new Error(`single-site: pair ${i}'s fit: NRMSE ${x} (mpctl) vs ${y} (reference), not the same minimum`);
      parted.push({ pair: i, mpctlNrmse: x, referenceNrmse: y });
      return;
    }
    for (const k of fitKeys) {
      keep[k]!.push(...a[k]!);
      keepRef[k]!.push(...b[k]!);
    }
  });
  if (parted.length > Math.max(1, PARTED_SHARE * fitted))
    throw new Error(`single-site: ${parted.length} of ${fitted} pairs' fits parted (${JSON.stringify(parted)})`);
  Object.assign(worst, assertAgree('single-site fits', keep, keepRef, SITE_TOLERANCES));
  return { worst, fittedPairs: fitted, parted };
}
