import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BadInputError } from '../../src/errors/index.js';
import { parsePipettesYml, hasCell } from '../../src/modules/experiment/pipettes-yml.js';
import { readYamlMapping } from '../../src/raw/read-file.js';
import { scanDataRoots, resolveJobSource } from '../../src/raw/scan.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-raw-'));
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const rejects = (fn: () => unknown, file: string, pattern: RegExp) =>
  assert.throws(
    fn,
    (error: unknown) => error instanceof BadInputError && error.file === file && pattern.test(error.message),
  );

describe('metadata files', () => {
  it('parses pipettes.yml with the original pipeline keys', () => {
    const pipettes = parsePipettesYml('p.yml', {
      1: {
        ad_channel: 0,
        pipette_status: 'GOhm seal',
        got_data: true,
        cell_labels: { tdTomato: '+' },
        position: [1, 2, 3],
      },
      2: { ad_channel: 1, pipette_status: 'No seal', got_data: false },
      3: { ad_channel: 2, pipette_status: 'Not recorded', got_data: false },
    });
    assert.deepEqual(
      pipettes.map((p) => [p.id, p.adChannel, hasCell(p)]),
      [
        ['1', 0, true],
        ['2', 1, false],
        ['3', 2, true],
      ],
    );
  });

  it('names the file and the field for each mistake', () => {
    rejects(
      () => parsePipettesYml('p.yml', { 1: { pipette_status: 'x' } }),
      'p.yml',
      /field "1.ad_channel" is required/,
    );
    rejects(
      () => parsePipettesYml('p.yml', { 1: { ad_channel: 0 }, 2: { ad_channel: 0 } }),
      'p.yml',
      /ad_channel 0 is used by pipettes 1 and 2/,
    );
    rejects(() => parsePipettesYml('p.yml', { 1: { ad_channel: 99 } }), 'p.yml', /between 0 and 15/);
    rejects(
      () => parsePipettesYml('p.yml', { 1: { ad_channel: 0, cell_labels: { sst: 'yes' } } }),
      'p.yml',
      /cell_labels.sst" must be one of/,
    );
    rejects(() => parsePipettesYml('p.yml', { one: { ad_channel: 0 } }), 'p.yml', /pipette id "one" must be a number/);
    rejects(() => parsePipettesYml('p.yml', {}), 'p.yml', /lists no pipettes/);
  });

  it('reports YAML syntax errors, non-mappings and alias bombs as bad input', () => {
    const dir = tmp();
    const syntax = write(path.join(dir, 'a.yml'), 'a: [1, 2\nb: 3\n');
    rejects(() => readYamlMapping(syntax), syntax, /YAML syntax error/);
    const list = write(path.join(dir, 'b.yml'), '- 1\n- 2\n');
    rejects(() => readYamlMapping(list), list, /expected a YAML mapping/);
    const bomb = write(
      path.join(dir, 'c.yml'),
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefghij'
          .split('')
          .map(
            (l, i) =>
              `${l}: &${l} [*${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}, *${'abcdefghij'[i]}]`,
          ),
      ].join('\n'),
    );
    rejects(() => readYamlMapping(bomb), bomb, /aliases expand more than 100 times/);
    rejects(() => readYamlMapping(path.join(dir, 'missing.yml')), path.join(dir, 'missing.yml'), /file is missing/);
  });

  it('scans slices and sites, and skips folders that link outside the data root', () => {
    const root = tmp();
    const outside = tmp();
    write(path.join(root, 'S1', 'slice.yml'), 'species: mouse\n');
    write(path.join(root, 'S1', 'site_1', 'site.yml'), 'rig_name: MP1\n');
    write(path.join(outside, 'site_9', 'site.yml'), 'rig_name: MP1\n');
    fs.symlinkSync(path.join(outside, 'site_9'), path.join(root, 'S1', 'site_9'));
    write(path.join(root, 'not-a-slice', 'notes.txt'), 'hello\n');
    const scan = scanDataRoots([root]);
    assert.deepEqual(
      scan.slices.map((s) => s.jobId),
      ['S1'],
    );
    assert.deepEqual(
      scan.sites.map((s) => s.jobId),
      ['S1/site_1'],
    );
    assert.match(scan.warnings.join('\n'), /site_9 links outside its data root/);
    assert.equal(resolveJobSource([root], 'S1/site_9'), undefined);
    assert.equal(resolveJobSource([root], '../etc'), undefined);
    assert.equal(resolveJobSource([root], 'S1/site_1')?.dir, path.join(root, 'S1', 'site_1'));
  });
});
