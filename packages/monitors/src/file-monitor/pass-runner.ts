/**
 * @module file-monitor/pass-runner
 * Runs the file monitor's passes one at a time, each when the earliest piece of work is due:
 * a timer set for the earliest requested time, never two passes at once, and after each pass
 * the next one planned from what is still pending. After a failed pass the next one waits
 * {@link RETRY_AFTER_FAILURE_MS}, so a persistent fault cannot make it spin.
 */

/** Least delay after a pass that failed. */
const RETRY_AFTER_FAILURE_MS = 1000;

export class PassRunner {
  readonly #pass: () => Promise<boolean>;
  readonly #nextDue: () => number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #running: Promise<void> | undefined;
  #enabled = false;
  #notBefore = 0;

  /**
   * `pass` does the due work and resolves `false` when it failed; `nextDue` tells when the next
   * work is due (`undefined`: none).
   */
  constructor(pass: () => Promise<boolean>, nextDue: () => number | undefined) {
    this.#pass = pass;
    this.#nextDue = nextDue;
  }

  /** True while a pass runs. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Allows passes and plans the first one. */
  enable(): void {
    this.#enabled = true;
    this.#plan();
  }

  /** Stops planning passes; resolves when the running one (if any) has finished. */
  async disable(): Promise<void> {
    this.#enabled = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    await this.#running;
  }

  /** Runs a pass at `at` (or earlier, if one is already planned earlier). */
  wake(at: number): void {
    if (!this.#enabled) return;
    at = Math.max(at, this.#notBefore);
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        this.#running ??= this.#pass().then((ok) => {
          if (!ok) this.#notBefore = Date.now() + RETRY_AFTER_FAILURE_MS;
          this.#running = undefined;
          this.#plan();
        });
      },
      Math.max(0, at - Date.now()),
    );
  }

  #plan(): void {
    const next = this.#nextDue();
    if (next !== undefined) this.wake(next);
  }
}
