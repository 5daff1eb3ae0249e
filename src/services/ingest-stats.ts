import type { MediaAnalysis } from '../media/media-analysis.js';

export type IngestStage = keyof MediaAnalysis['timings'] | 'store';

/** Time spent per ingest stage since the last reset: logged after each scan, printed by the benchmark. */
export class IngestStats {
  private totals = new Map<IngestStage, number>();
  files = 0;
  bytes = 0;

  add(stage: IngestStage, ms: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + ms);
  }

  record(analysis: MediaAnalysis, storeMs: number): void {
    this.files++;
    this.bytes += analysis.bytes;
    for (const [stage, ms] of Object.entries(analysis.timings) as [IngestStage, number][])
      this.add(stage, ms);
    this.add('store', storeMs);
  }

  /** Milliseconds per file for each stage, rounded for logs. */
  perFile(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [stage, ms] of this.totals)
      out[stage] = Math.round((ms / Math.max(1, this.files)) * 100) / 100;
    return out;
  }

  reset(): void {
    this.totals = new Map();
    this.files = 0;
    this.bytes = 0;
  }
}
