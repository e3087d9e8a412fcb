import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCellClasses, readCellClasses } from '../../../src/modules/cell_class/definitions.js';
import { cellClassModule } from '../../../src/modules/cell_class/index.js';
import { classesOf } from '../../../src/modules/cell_class/match.js';
import { ConfigError } from '../../../src/errors/index.js';

const defaults = readCellClasses();
const cell = (c: Partial<Parameters<typeof classesOf>[0]>) => ({
  creType: null,
  targetLayer: null,
  morphology: null,
  labels: null,
  ...c,
});

describe('cell classes', () => {
  it('the shipped defaults classify pyramidal cells by layer and morphology, interneurons by cre type', () => {
    assert.deepEqual(
      defaults.map((d) => d.name),
      ['L2/3 Pyr', 'L5 Pyr', 'Pvalb', 'Sst', 'Vip'],
    );
    assert.deepEqual(classesOf(cell({ targetLayer: '2/3', morphology: 'spiny' }), defaults), ['L2/3 Pyr']);
    assert.deepEqual(classesOf(cell({ targetLayer: '5', morphology: 'Spiny' }), defaults), ['L5 Pyr']);
    assert.deepEqual(classesOf(cell({ creType: 'Pvalb', targetLayer: '5', morphology: 'aspiny' }), defaults), [
      'Pvalb',
    ]);
    assert.deepEqual(classesOf(cell({ targetLayer: '4', morphology: 'spiny' }), defaults), []);
    assert.deepEqual(classesOf(cell({ targetLayer: '5' }), defaults), [], 'a missing value never matches');
  });

  it('lists mean any of, labels must all match, and a cell may be in several classes', () => {
    const classes = parseCellClasses('x.yml', {
      classes: [
        { name: 'deep', target_layer: ['5', '6'] },
        { name: 'red', cell_labels: { tdTomato: '+', EGFP: ['-', '?'] } },
      ],
    });
    assert.deepEqual(classesOf(cell({ targetLayer: '6', labels: { tdTomato: '+', EGFP: '?' } }), classes), [
      'deep',
      'red',
    ]);
    assert.deepEqual(classesOf(cell({ targetLayer: '2/3', labels: { tdTomato: '+' } }), classes), []);
  });

  it('bad definitions are ConfigErrors naming the file and the key', () => {
    const bad = (data: unknown, pattern: RegExp) =>
      assert.throws(
        () => parseCellClasses('my.yml', data),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && e.message.startsWith('my.yml: '),
      );
    bad({}, /classes must be a non-empty list/);
    bad({ classes: [{ name: 'a', layer: '5' }] }, /classes\[0\]\.layer is not a criterion/);
    bad({ classes: [{ name: 'a' }] }, /classes\[0\] \("a"\) needs at least one criterion/);
    bad(
      {
        classes: [
          { name: 'a', cre_type: 'x' },
          { name: 'a', cre_type: 'y' },
        ],
      },
      /classes\[1\]\.name "a" is defined twice/,
    );
    bad(
      { classes: [{ name: 'a', cre_type: 'x', synapse_type: 'both' }] },
      /classes\[0\]\.synapse_type must be ex or in/,
    );
    bad(
      { classes: [{ name: 'a', cell_labels: { tdTomato: 'yes' } }] },
      /classes\[0\]\.cell_labels\.tdTomato must be one of/,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-classes-'));
    fs.writeFileSync(path.join(dir, 'c.yml'), 'classes: [unclosed');
    assert.throws(() => readCellClasses(path.join(dir, 'c.yml')), /c\.yml: not YAML/);
  });

  it('the definitions are the module params, re-read when the file changes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-classes-'));
    const file = path.join(dir, 'c.yml');
    fs.writeFileSync(file, 'classes:\n  - name: Pvalb\n    cre_type: pvalb\n');
    const saved = process.env.MPCTL_CELL_CLASSES;
    process.env.MPCTL_CELL_CLASSES = file;
    try {
      assert.deepEqual(
        cellClassModule.params.classes.map((c) => c.name),
        ['Pvalb'],
      );
      fs.writeFileSync(file, 'classes:\n  - name: Sst\n    cre_type: sst\n  - name: Vip\n    cre_type: vip\n');
      assert.deepEqual(
        cellClassModule.params.classes.map((c) => c.name),
        ['Sst', 'Vip'],
      );
    } finally {
      if (saved === undefined) delete process.env.MPCTL_CELL_CLASSES;
      else process.env.MPCTL_CELL_CLASSES = saved;
    }
    assert.equal(cellClassModule.params.classes.length, 5);
  });
});
