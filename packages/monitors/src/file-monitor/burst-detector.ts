/**
 * @module file-monitor/burst-detector
 * Spots bursts of watcher events (git checkout, package installs, generators), during which
 * chokidar can miss files: the directories active during a burst are to be rescanned, and the
 * whole tree after a burst large enough to overflow the kernel's event queue.
 */

/** Watcher events per second that make a burst. */
const BURST_EVENTS_PER_SECOND = 100;
/** A burst this large may have overflowed the kernel queue (16,384 inotify events by default). */
const FULL_RESCAN_EVENTS = 2000;

/** What one event means for reconciliation. */
export interface BurstVerdict {
  /** Directories to rescan (empty outside bursts). */
  dirs: readonly string[];
  /** True once the burst is large enough to rescan the whole tree. */
  full: boolean;
  /** True for the event that started a burst. */
  started: boolean;
}

const QUIET: BurstVerdict = { dirs: [], full: false, started: false };

export class BurstDetector {
  readonly #recentDirs = new Set<string>();
  #windowStart = 0;
  #count = 0;
  #total = 0;
  #active = false;

  /** Records one event in `dir` at `now`. */
  note(dir: string, now: number): BurstVerdict {
    if (now - this.#windowStart >= 1000) {
      // A burst goes on while each one-second window is busy.
      this.#active = this.#count >= BURST_EVENTS_PER_SECOND && now - this.#windowStart < 2000;
      if (!this.#active) this.#total = 0;
      this.#windowStart = now;
      this.#count = 0;
      this.#recentDirs.clear();
    }
    this.#count++;
    let started = false;
    let dirs: string[] = [dir];
    if (!this.#active) {
      this.#recentDirs.add(dir);
      if (this.#count < BURST_EVENTS_PER_SECOND) return QUIET;
      this.#active = started = true;
      this.#total = this.#count - 1;
      dirs = [...this.#recentDirs];
      this.#recentDirs.clear();
    }
    return { dirs, full: ++this.#total >= FULL_RESCAN_EVENTS, started };
  }

  reset(): void {
    this.#recentDirs.clear();
    this.#windowStart = this.#count = this.#total = 0;
    this.#active = false;
  }
}
