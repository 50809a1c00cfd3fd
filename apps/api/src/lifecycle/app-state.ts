/**
 * Whether the service can take work. The API listens before migrations finish (so orchestrators
 * see it start); until then `/readiness` and the `/v1` routes answer 503 with the reason.
 */
export class AppState {
  private notReadyReason: string | null;
  readonly startedAt = Date.now();

  constructor(initialReason: string | null = 'starting') {
    this.notReadyReason = initialReason;
  }

  get ready(): boolean {
    return this.notReadyReason === null;
  }

  get reason(): string | null {
    return this.notReadyReason;
  }

  markReady(): void {
    this.notReadyReason = null;
  }

  markNotReady(reason: string): void {
    this.notReadyReason = reason;
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 1000);
  }
}
