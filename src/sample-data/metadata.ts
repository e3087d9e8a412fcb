import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { RiseShapes } from './physiology/index.js';
import type { SampleClass } from './class-connectivity.js';
import { between, pick, seededRandom } from './random.js';

export interface SampleDataOptions {
  out: string;
  slices: number;
  sitesPerSlice: number;
  cells: number;
  seed: number;
  /** Sweeps per cell (each drives one cell's train); default 5. */
  sweepsPerCell?: number;
  /** Probability that an ordered pair is connected, the same for all; default: by class and distance (class-connectivity.ts). */
  connectionProbability?: number;
  /** Scales every cell's recording noise; default 1. */
  noise?: number;
  /** Onset shapes of the evoked PSPs (default smooth, the fit model's own). */
  riseShapes?: RiseShapes;
  /** Test pulse end to first train pulse (s); default none: the test pulse stays at 20 ms. */
  testPulseGap?: number | null;
  /** Membrane τ range (s) per cell instead of R·C; default none. */
  membraneTau?: [number, number] | null;
  /** Sweeps per cell in which the other cells are held in voltage clamp at −70 mV; default 0 (none). */
  voltageClampSweepsPerCell?: number;
  /** Write the NWB recordings (default true); metadata-only roots are for tests of the metadata modules. */
  nwb?: boolean;
}

export interface SampleSite {
  experimentId: string;
  dir: string;
  /** The NWB file name site.yml gives (nwb_file). */
  nwbFile: string;
  cells: {
    pipette: string;
    adChannel: number;
    position: [number, number, number];
    layer: string;
    creType: string;
    morphology: string;
    cellClass: SampleClass;
  }[];
}

// Dual-reporter lines (Cre → tdTomato, Flp → EGFP), one per slice in turn, so every pair of the
// three interneuron classes is recorded in some site; unlabeled spiny cells are the pyramidal cells.
const GENOTYPES: { genotype: string; reporters: [string, string] }[] = [
  { genotype: 'Sst-IRES-Cre/wt;Pvalb-T2A-FlpO/wt;Ai65F/Ai14', reporters: ['Sst', 'Pvalb'] },
  { genotype: 'Vip-IRES-Cre/wt;Sst-T2A-FlpO/wt;Ai65F/Ai14', reporters: ['Vip', 'Sst'] },
  { genotype: 'Pvalb-IRES-Cre/wt;Vip-T2A-FlpO/wt;Ai65F/Ai14', reporters: ['Pvalb', 'Vip'] },
];
const LAYERS = ['2/3', '5'];
const FLUOROPHORES = ['tdTomato', 'EGFP'];
const NWB_FILE = 'recording.nwb';
const REGIONS = ['VISp', 'VISl', 'SSp'];

/** Writes slice and site folders with realistic slice.yml, site.yml and pipettes.yml. */
export function writeSampleMetadata(options: SampleDataOptions): SampleSite[] {
  const random = seededRandom(options.seed);
  const sites: SampleSite[] = [];
  const day0 = Date.UTC(2026, 9, 1) + Math.floor(random() * 30) * 86_400_000;
  for (let s = 0; s < options.slices; s++) {
    const date = new Date(day0 + s * 86_400_000).toISOString().slice(0, 10);
    const sliceName = `${date}_slice${s + 1}`;
    const sliceDir = path.join(options.out, sliceName);
    fs.mkdirSync(sliceDir, { recursive: true });
    const { genotype, reporters } = GENOTYPES[s % GENOTYPES.length]!;
    writeYaml(path.join(sliceDir, 'slice.yml'), {
      specimen_id: `S${options.seed}-${s + 1}`,
      species: 'mouse',
      genotype,
      age_days: Math.round(between(random, 40, 70)),
      date,
      quality: Math.round(between(random, 2, 5)),
      hemisphere: pick(random, ['left', 'right']),
      thickness_um: 350,
      project: 'mpctl sample data',
    });
    for (let m = 0; m < options.sitesPerSlice; m++) {
      const siteDir = path.join(sliceDir, `site_${m + 1}`);
      fs.mkdirSync(siteDir, { recursive: true });
      const acq = Date.parse(`${date}T10:00:00Z`) / 1000 + m * 3600 + Math.round(random() * 600);
      writeYaml(path.join(siteDir, 'site.yml'), {
        acq_timestamp: Number(acq.toFixed(3)),
        date: new Date(acq * 1000).toISOString(),
        target_region: pick(random, REGIONS),
        temperature: 34,
        rig_name: pick(random, ['MP1', 'MP2', 'MP3']),
        operator: pick(random, ['ah', 'kc', 'ns']),
        internal: 'K-gluconate, 0.3% biocytin',
        acsf: '2 mM Ca',
        nwb_file: NWB_FILE,
      });
      const cells = Array.from({ length: options.cells }, (_, i) => {
        const position = [between(random, 0, 200), between(random, 0, 200), between(random, 30, 90)].map((v) =>
          Number(v.toFixed(1)),
        ) as [number, number, number];
        const layer = pick(random, LAYERS);
        // Half the cells pyramidal (unlabeled, spiny), a quarter each of the two reporters.
        const draw = random();
        const reporter = draw < 0.5 ? null : draw < 0.75 ? 0 : 1;
        const creType = reporter === null ? 'unlabeled' : reporters[reporter]!;
        const cellClass = (reporter === null ? `L${layer} Pyr` : creType) as SampleClass;
        return {
          pipette: String(i + 1),
          adChannel: i,
          position,
          layer,
          creType,
          morphology: reporter === null ? 'spiny' : 'aspiny',
          cellClass,
          reporter,
        };
      });
      writeYaml(
        path.join(siteDir, 'pipettes.yml'),
        Object.fromEntries(
          cells.map((cell) => [
            cell.pipette,
            {
              ad_channel: cell.adChannel,
              pipette_status: 'GOhm seal',
              got_data: true,
              patch_start: new Date(acq * 1000 - 600_000).toISOString(),
              patch_stop: new Date(acq * 1000 + 1_800_000).toISOString(),
              target_layer: cell.layer,
              morphology: cell.morphology,
              cell_labels:
                cell.reporter === null
                  ? { tdTomato: '-', EGFP: '-', biocytin: '?' }
                  : {
                      [cell.creType]: '+',
                      [FLUOROPHORES[cell.reporter]!]: '+',
                      [FLUOROPHORES[1 - cell.reporter]!]: '-',
                      biocytin: '?',
                    },
              position: cell.position,
              cell_qc: { holding: true, access: true, spiking: true },
            },
          ]),
        ),
      );
      sites.push({
        experimentId: `${sliceName}/site_${m + 1}`,
        dir: siteDir,
        nwbFile: NWB_FILE,
        cells: cells.map(({ reporter: _, ...cell }) => cell),
      });
    }
  }
  return sites;
}

function writeYaml(file: string, value: unknown): void {
  fs.writeFileSync(file, YAML.stringify(value));
}
