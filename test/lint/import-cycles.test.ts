import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

/** Which top-level folders of src/ each folder imports from (type imports included: they couple too). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const from = file.split(path.sep)[0]!;
    const imports = ts.preProcessFile(fs.readFileSync(path.join(src, file), 'utf8'), true, true).importedFiles;
    for (const { fileName } of imports.filter((i) => i.fileName.startsWith('.'))) {
      const target = path.relative(src, path.resolve(path.dirname(path.join(src, file)), fileName));
      const to = target.split(path.sep)[0]!;
      if (to === from || to.startsWith('..') || !target.includes(path.sep)) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, file);
    }
  }
  return graph;
}

/** Every cycle through the folder graph, each as `a -> b (file) -> … -> a`. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found = new Set<string>();
  const walk = (start: string, at: string, trail: string[]) => {
    for (const [next, file] of graph.get(at) ?? []) {
      const step = `${at} -> ${next} (${file})`;
      if (next === start) found.add([...trail, step].sort().join('; '));
      else if (!trail.some((t) => t.startsWith(`${next} ->`)) && trail.length < 6) walk(start, next, [...trail, step]);
    }
  };
  for (const folder of graph.keys()) walk(folder, folder, []);
  return [...found];
}

test('the folders of src/ import each other without cycles', () => {
  assert.deepEqual(cycles(folderGraph()), []);
});

test('the cycle check finds a cycle when there is one', () => {
  const graph = new Map([
    ['raw', new Map([['modules', 'raw/scan.ts']])],
    ['modules', new Map([['raw', 'modules/types.ts']])],
  ]);
  assert.equal(cycles(graph).length, 1);
  assert.match(cycles(graph)[0]!, /modules -> raw \(modules\/types.ts\); raw -> modules \(raw\/scan.ts\)/);
});

test("a module folder uses another module's folder only through its entities (its public schema)", () => {
  const modules = path.join(src, 'modules');
  const reaching: string[] = [];
  for (const file of fs.readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const own = file.split(path.sep)[0]!;
    if (!file.includes(path.sep)) continue; // the framework files of src/modules itself
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(path.join(modules, file), 'utf8'), true, true)
      .importedFiles) {
      const target = path.relative(modules, path.resolve(path.dirname(path.join(modules, file)), fileName));
      const [folder, rest] = [target.split(path.sep)[0]!, target.split(path.sep).slice(1).join('/')];
      if (target.startsWith('..') || folder === own || !rest) continue;
      if (rest !== 'entities.js') reaching.push(`${file} imports ${target}`);
    }
  }
  assert.deepEqual(reaching, []);
});
