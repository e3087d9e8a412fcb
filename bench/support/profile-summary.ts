import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileItem {
  name: string;
  ms: number;
  share: number;
}

/** Where a process's CPU went: self time per function, largest first, over every .cpuprofile in `dir`. */
export function topFunctions(dir: string, count = 15): { totalMs: number; items: ProfileItem[] } {
  const self = new Map<string, number>();
  let total = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      // Idle and program-less samples are waiting, not work.
      if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') return;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}`;
      self.set(key, (self.get(key) ?? 0) + ms);
      total += ms;
    });
  }
  const items = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return { totalMs: total, items };
}

function short(url: string): string {
  if (!url) return '(native)';
  const m = /(?:dist\/)?(src\/.*|node_modules\/[^/]+(?:\/[^/]+)?)/.exec(url);
  return m ? m[1]! : url.replace(/^file:\/\//, '');
}
