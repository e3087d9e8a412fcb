import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@oclif/core';
import ts from 'typescript';

/** What scripts depend on: every command, its flags and arguments, and the top-level keys of its `--json`. */
export interface CommandSurface {
  [command: string]: {
    flags: string[];
    args: string[];
    /** One sorted key list per shape `--json` can print (a command may print several). */
    jsonKeys: string[][];
  };
}

/** Reads the surface from the built CLI (flags, args) and from the commands' source (their `run()` return types). */
export async function commandSurface(root: string): Promise<CommandSurface> {
  const config = await Config.load(root);
  const jsonKeys = jsonKeysOfCommands(path.join(root, 'src/cli/commands'), path.join(root, 'tsconfig.json'));
  const surface: CommandSurface = {};
  for (const command of [...config.commands].sort((a, b) => a.id.localeCompare(b.id))) {
    surface[command.id] = {
      flags: Object.keys(command.flags).sort(),
      args: Object.keys(command.args ?? {}),
      jsonKeys: jsonKeys.get(command.id) ?? [],
    };
  }
  return surface;
}

/** Per command id (`show experiment` for src/cli/commands/show/experiment.ts): the key lists of its run() result. */
function jsonKeysOfCommands(commandsDir: string, tsconfig: string): Map<string, string[][]> {
  const files = fs
    .readdirSync(commandsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(commandsDir, f));
  const { config } = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(tsconfig)).options;
  const program = ts.createProgram(files, { ...options, noEmit: true, incremental: false });
  const checker = program.getTypeChecker();
  const result = new Map<string, string[][]>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const id = path.relative(commandsDir, file).replace(/\.ts$/, '').split(path.sep).join(':');
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node)) return;
      const run = node.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText(source) === 'run');
      if (!run) return;
      const signature = checker.getSignatureFromDeclaration(run as ts.MethodDeclaration)!;
      result.set(id, shapesOf(checker, unwrapPromise(checker, checker.getReturnTypeOfSignature(signature))));
    });
  }
  return result;
}

function unwrapPromise(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  return checker.getAwaitedType(type) ?? type;
}

function shapesOf(checker: ts.TypeChecker, type: ts.Type): string[][] {
  const members = type.isUnion() ? type.types : [type];
  const shapes = members
    .filter((t) => !(t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)))
    .map((t) =>
      checker
        .getPropertiesOfType(t)
        .map((p) => p.getName())
        .sort(),
    );
  return [...new Map(shapes.map((s) => [s.join(','), s])).values()].sort((a, b) => a.join().localeCompare(b.join()));
}
