/**
 * Runs an async task one at a time: a request while it runs asks for exactly one more run after it.
 * A burst of change notifications thus costs at most two reads of Postgres, and a stream never
 * writes two events at once.
 */
export class CoalescingRunner {
  private running = false;
  private again = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.task();
      } while (this.again);
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }
}
