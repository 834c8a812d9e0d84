import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * What a process and everything it started use, read from Linux's /proc: the app under test is
 * `npm start`'s script, whose `next start` may serve from a child process, and whose image work
 * may run in further children. Linux only (as CI is).
 */

interface Stat {
  pid: number;
  ppid: number;
  /** CPU seconds of the process itself and of its children it has waited for (ended ones). */
  cpuSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const number = (field: number) => Number(fields[field - 3]);
    return { pid, ppid: number(4), cpuSeconds: (number(14) + number(15) + number(16) + number(17)) / TICKS_PER_SECOND };
  } catch {
    return undefined; // it ended meanwhile
  }
}

/** The process and all its descendants alive now. */
export function processTree(rootPid: number): number[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is Stat => stat !== undefined);
  const tree = [rootPid];
  for (let at = 0; at < tree.length; at++) for (const stat of all) if (stat.ppid === tree[at]) tree.push(stat.pid);
  return tree;
}

/** CPU seconds the tree has used so far, its ended children included. */
export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0);
}

/** Open file descriptors across the tree: all of them, and those of files under `folder`. */
export function treeOpenFiles(rootPid: number, folder: string): { descriptors: number; inFolder: number } {
  let descriptors = 0;
  let inFolder = 0;
  for (const pid of processTree(rootPid)) {
    let entries: string[];
    try {
      entries = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // it ended meanwhile
    }
    descriptors += entries.length;
    for (const entry of entries) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${entry}`).startsWith(folder)) inFolder += 1;
      } catch {
        // closed meanwhile
      }
    }
  }
  return { descriptors, inFolder };
}
