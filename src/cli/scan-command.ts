import type { InsightSubject } from '../domain/insights/insight-subject.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import {
  nearDuplicateCodec,
  NEAR_DUPLICATE_MAX_RADIUS,
  thresholdsForSettings,
} from '../domain/near-duplicate-codec.js';
import { InvalidInputError } from '../errors.js';
import { findExecutable } from '../fs/find-executable.js';
import { reportToCsv, type ScanReport } from '../report/scan-report.js';
import { runHeadlessScan, type ScanStage } from '../services/headless-scan.js';
import { ProgressBar } from './progress-bar.js';

export interface ScanCommandOptions {
  report?: string;
  format?: string;
  threshold?: string;
  exactOnly?: boolean;
}

const stageLabels = { walk: 'walking', exact: 'hashing', analyse: 'reading', match: 'matching' } as const;

function parseThreshold(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 50 || n > 100)
    throw new InvalidInputError(
      `--threshold must be a similarity percentage between 50 and 100 (got "${raw}").`,
    );
  return n / 100;
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u] ?? 'B'}`;
}

export function summaryText(r: ScanReport): string {
  const s = r.summary;
  const lines = [
    `Scanned ${s.filesScanned} files (${formatBytes(s.bytesScanned)}) in ${s.wallSeconds.toFixed(1)} s.`,
    `Exact duplicates: ${s.exactGroups} groups` +
      (r.options.exactOnly
        ? ''
        : `; near duplicates: ${s.nearGroups} groups; similar shots: ${s.similarGroups} groups`) +
      '.',
    `${s.duplicateFiles} files could go, reclaiming ${formatBytes(s.bytesReclaimable)}.`,
  ];
  if (!r.options.exactOnly)
    lines.push(
      `Version stacks: ${s.versionStacks}; bursts: ${s.bursts}; low-quality photos: ${s.lowQuality}; ` +
        `album suggestions: ${s.suggestions}.`,
    );
  if (s.unreadable > 0)
    lines.push(`${s.unreadable} files could not be read (listed under "unreadable" in the report).`);
  return lines.join('\n') + '\n';
}

/**
 * The headless scan wired from the configuration: the CLI's and the benchmarks' one way to run it.
 * `duplicateShare` overrides DUPLICATE_THRESHOLD (0.95 = 95 %).
 */
export async function headlessScanFor(
  config: Config,
  roots: string[],
  opts: {
    exactOnly: boolean;
    duplicateShare?: number;
    onProgress?: (stage: ScanStage, done: number, total: number) => void;
    /** Receives every analysed file's insight subject (benchmarks re-judge quality with them). */
    onSubjects?: (subjects: readonly InsightSubject[]) => void;
  },
): Promise<ScanReport> {
  const ffprobePath = config.ffprobePath ?? (await findExecutable('ffprobe', config.executableSearchPath));
  const ffmpegPath = config.ffmpegPath ?? (await findExecutable('ffmpeg', config.executableSearchPath));
  return runHeadlessScan({
    roots,
    exactOnly: opts.exactOnly,
    thresholds: thresholdsForSettings(
      opts.duplicateShare ?? config.duplicateThreshold,
      config.similarThreshold,
    ),
    concurrency: config.ingestConcurrency,
    analyze: async (p, sameContent) => {
      // libvips and the decoders load only when pictures are actually read.
      const { analyzeFile } = await import('../media/analyze-file.js');
      return analyzeFile(p, {
        thumbnailSize: config.thumbnailSize,
        ffprobePath,
        ffmpegPath,
        thumbnail: false,
        sameContent,
      });
    },
    codec: nearDuplicateCodec,
    maxRadius: NEAR_DUPLICATE_MAX_RADIUS,
    exactRules: config.keeperRules.exact,
    nearRules: config.keeperRules.near,
    insights: config.insights,
    loadCities: async () => (await import('../geo/bundled-cities.js')).bundledCityLookup(),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onSubjects ? { onSubjects: opts.onSubjects } : {}),
  });
}

/** `photo-sync scan <dir>...`: the headless report, no server and no database. */
export async function scanCommand(dirs: string[], opts: ScanCommandOptions, config: Config): Promise<void> {
  const format = opts.format ?? (opts.report?.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv')
    throw new InvalidInputError(`--format must be json or csv (got "${format}").`);
  if (opts.report) {
    const dir = path.dirname(path.resolve(opts.report));
    const st = await fs.stat(dir).catch(() => null);
    if (!st?.isDirectory())
      throw new InvalidInputError(`Cannot write the report: folder ${dir} does not exist.`);
  }
  const bar = new ProgressBar();
  const report = await headlessScanFor(config, dirs, {
    exactOnly: opts.exactOnly ?? false,
    duplicateShare: parseThreshold(opts.threshold, config.duplicateThreshold),
    onProgress: (stage, done, total) => {
      bar.update(stageLabels[stage], done, total);
    },
  });
  bar.done();
  const body = format === 'csv' ? reportToCsv(report) : JSON.stringify(report, null, 2) + '\n';
  if (opts.report) await fs.writeFile(opts.report, body);
  else process.stdout.write(body);
  process.stderr.write(summaryText(report) + (opts.report ? `Report written to ${opts.report}\n` : ''));
}
