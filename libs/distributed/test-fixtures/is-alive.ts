// Test helper: whether a process still exists (signal 0 probes without touching it).
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
