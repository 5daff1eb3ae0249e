import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import {
  defaultExactKeeperRules,
  defaultNearKeeperRules,
  keeperRuleNames,
  type KeeperRule,
} from '../domain/keeper-ranking.js';
import { DEFAULT_EDIT_PATTERNS, DEFAULT_PRIMARY_ORDER } from '../domain/insights/version-stacking.js';
import { insightSettingsFrom } from './insight-settings.js';
import {
  runtimeSettingsFrom,
  type RuntimeSettings,
  type RuntimeSettingValues,
} from './runtime-settings-values.js';
import type { QueueName } from '../jobs/job-registry.js';

/**
 * The one place that reads configuration. Everything else receives the frozen `Config`.
 * Sources, later wins: defaults < environment variables < command-line flags.
 */

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const cronExpression = z.string().refine((v) => {
  try {
    CronExpressionParser.parse(v);
    return v.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}, 'must be a cron expression with 5 fields, e.g. "0 3 * * *"');

/** An ordered, comma-separated list of keeper rule names, each at most once. */
const keeperRules = (defaults: readonly KeeperRule[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.enum(keeperRuleNames, { message: `each rule must be one of ${keeperRuleNames.join(', ')}` }))
        .refine((list) => new Set(list).size === list.length, 'a rule may appear only once'),
    )
    .default([...defaults]);

/** A JSON array of regular expressions, each compiled once here so a bad one fails at start. */
const editPatterns = z
  .string()
  .transform((v, ctx) => {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of regular-expression strings' });
    return z.NEVER;
  })
  .pipe(
    z.array(
      z.string().refine((p) => {
        try {
          new RegExp(p, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'each pattern must be a valid regular expression'),
    ),
  )
  .default([...DEFAULT_EDIT_PATTERNS]);

/** Each key is documented in the README's configuration table; keep the two in step. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Off behind a connection pooler that cannot carry them (PgBouncer in transaction mode before 1.21). */
  DATABASE_PREPARED_STATEMENTS: booleanish.default(true),
  LIBRARY: z.array(z.string().min(1)).default([]),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  INGEST_CONCURRENCY: integer(1, 64).default(4),
  THUMBNAIL_SIZE: integer(64, 1024).default(250),
  /** Disk the display-size previews may use (MiB); least recently viewed ones are evicted beyond it. */
  PREVIEW_CACHE_MB: integer(16, 1_048_576).default(2048),
  /**
   * Free space (MiB) under which a disk photo-sync writes to counts as full before a write fails:
   * work that writes pauses, /health/ready reports `degraded`. 0: only a failed write counts.
   */
  DISK_FREE_FLOOR_MB: integer(0, 1_048_576).default(256),
  /** Previews rendered at the same time (each holds a decoded picture in memory). */
  PREVIEW_CONCURRENCY: integer(1, 16).default(2),
  /** Similarity (percent) at or above which two files are the same picture. */
  DUPLICATE_THRESHOLD: integer(50, 100).default(95),
  /** Similarity (percent) at or above which two pictures are "similar shots" (never offered for deletion). */
  SIMILAR_THRESHOLD: integer(50, 100).default(80),
  /** Ordered keeper rules for byte-identical copies (see docs/DUPLICATES.md). */
  EXACT_KEEPER_RULES: keeperRules(defaultExactKeeperRules),
  /** Ordered keeper rules for near duplicates. */
  NEAR_KEEPER_RULES: keeperRules(defaultNearKeeperRules),
  /** Seconds within which same-name RAW/JPEG/exports count as one shot. */
  VERSION_CAPTURE_WINDOW_SECONDS: z.coerce.number().min(0).max(600).default(2),
  /** JSON array of edit/export name patterns (regular expressions; see docs/INSIGHTS.md). */
  VERSION_EDIT_PATTERNS: editPatterns,
  /** Comma-separated file kinds in display preference order for a stack's automatic primary. */
  VERSION_PRIMARY_ORDER: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().regex(/^[a-z0-9]+$/, 'file kinds are lowercase words like jpeg, raw, heic')).min(1),
    )
    .default([...DEFAULT_PRIMARY_ORDER]),
  /** Seconds between consecutive frames of one burst. */
  BURST_WINDOW_SECONDS: z.coerce.number().min(0.1).max(60).default(2),
  /** Radius (km) of a place cluster's neighbourhood (DBSCAN eps). */
  PLACE_RADIUS_KM: z.coerce.number().min(0.05).max(100).default(3),
  WATCH: booleanish.default(true),
  /** Files per ingest batch job (the unit several workers share). */
  INGEST_BATCH_SIZE: integer(1, 10_000).default(25),
  /** BullMQ on this Redis instead of the in-process queue; required by server/worker/scheduler. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Key prefix of the queues and the event channel (several installations on one Redis). */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')
    .default('photo-sync'),
  /** Jobs each worker process runs at once, per queue; 0 = this worker does not serve the queue. */
  QUEUE_CONCURRENCY_SCAN: integer(0, 64).default(1),
  // Two: the next batch waits in the file slots the current one's last files free (ScanService).
  QUEUE_CONCURRENCY_INGEST: integer(0, 64).default(2),
  QUEUE_CONCURRENCY_ANALYSIS: integer(0, 64).default(1),
  QUEUE_CONCURRENCY_MAINTENANCE: integer(0, 64).default(1),
  /** Tries per job before it is parked as failed (retries wait 2^n × JOB_BACKOFF_MS). */
  JOB_ATTEMPTS: integer(1, 100).default(5),
  JOB_BACKOFF_MS: integer(10, 3_600_000).default(2000),
  /** A job whose worker stops renewing its lock this long is given to another worker. */
  JOB_LOCK_MS: integer(1000, 3_600_000).default(30_000),
  /** How often the scheduler puts back jobs the database has but Redis lost. */
  JOB_SWEEP_MS: integer(1000, 3_600_000).default(15_000),
  /** Cron (5 fields, server time): the reconciliation scan of every library. */
  SCHEDULE_RECONCILE: cronExpression.default('0 3 * * *'),
  /** Cron: purge of trash older than the retention (when the trash feature is present). */
  SCHEDULE_TRASH_PURGE: cronExpression.default('30 3 * * *'),
  /** libvips threads per process (1 = one core's worth of image work); unset = one per core. */
  LIBVIPS_THREADS: integer(1, 256).optional(),
  /** worker/scheduler touch this file every few seconds: their container healthcheck reads it. */
  HEARTBEAT_FILE: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  /** Signs access tokens. Required in production; generated and kept in DATA_DIR otherwise. */
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)')
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: integer(30, 24 * 3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: integer(1, 365).default(30),
  /** Cookies marked Secure (HTTPS only). Defaults to on in production. */
  COOKIE_SECURE: booleanish.optional(),
  /** Failed logins allowed per account and per IP address within LOGIN_WINDOW_MINUTES. */
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: integer(1, 1000).default(5),
  LOGIN_MAX_ATTEMPTS_PER_IP: integer(1, 10000).default(20),
  LOGIN_WINDOW_MINUTES: integer(1, 1440).default(15),
  /** Comma-separated origins allowed to call the API from another site; empty = CORS off. */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ message: 'each origin must be a URL like https://photos.example.com' })))
    .optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (login limits, audit). */
  TRUST_PROXY: booleanish.default(false),
  /** Largest accepted request body. */
  BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** When set, library folders must be inside this folder. */
  LIBRARY_BASE: z.string().min(1).optional(),
  /** Encrypts connector credentials (Immich API keys) at rest; generated and kept in DATA_DIR when unset. */
  SECRETS_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)')
    .optional(),
  /** Days a removed file stays in the trash before the scheduled purge deletes it. */
  TRASH_RETENTION_DAYS: integer(1, 3650).default(30),
  /** Seconds between SSE heartbeats (15-30 in production; lower in tests). */
  SSE_HEARTBEAT_SECONDS: integer(1, 300).default(20),
  /** Events kept for Last-Event-ID resumption. */
  SSE_REPLAY_SIZE: integer(0, 100_000).default(1000),
  /** Memory for rendered list pages (timeline, duplicates), reused until the data changes; 0: off. */
  RESPONSE_CACHE_MB: integer(0, 4096).default(32),
});

export type ConfigInput = z.input<typeof configSchema>;

/** The runtime settings (thresholds, keeper rules, insights, schedules, retention) hold the environment's values. */
export interface Config extends RuntimeSettings {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly databasePreparedStatements: boolean;
  /** Library roots given on the command line / env, registered at start. */
  readonly libraryRoots: readonly string[];
  readonly logLevel: (typeof logLevels)[number];
  readonly ingestConcurrency: number;
  readonly thumbnailSize: number;
  readonly preview: { readonly cacheBytes: number; readonly concurrency: number };
  /** Free bytes under which a disk counts as full (0: only a failed write says so). */
  readonly diskFreeFloorBytes: number;
  /** The runtime settings as the environment gives them: the defaults stored overrides replace. */
  readonly runtimeDefaults: Readonly<RuntimeSettingValues>;
  readonly watch: boolean;
  readonly ffmpegPath: string | null;
  readonly ffprobePath: string | null;
  readonly ingestBatchSize: number;
  readonly redisUrl: string | null;
  readonly queue: {
    readonly prefix: string;
    readonly concurrency: { readonly [Q in QueueName]: number };
    readonly attempts: number;
    readonly backoffMs: number;
    readonly lockMs: number;
    readonly sweepMs: number;
  };
  readonly libvipsThreads: number | null;
  readonly heartbeatFile: string | null;
  /** PATH, where ffmpeg/ffprobe are looked for when their paths are not set. */
  readonly executableSearchPath: string;
  readonly auth: {
    /** Null outside production: a secret is generated once and kept in the data dir. */
    readonly jwtSecret: string | null;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlDays: number;
    readonly cookieSecure: boolean;
    readonly loginMaxAttemptsPerAccount: number;
    readonly loginMaxAttemptsPerIp: number;
    readonly loginWindowMinutes: number;
  };
  readonly http: {
    readonly corsOrigins: readonly string[];
    readonly trustProxy: boolean;
    readonly bodyLimitBytes: number;
    readonly sseHeartbeatSeconds: number;
    readonly sseReplaySize: number;
    readonly responseCacheBytes: number;
  };
  readonly libraryBase: string | null;
  /** Null: a key is generated once and kept in the data dir (`secrets-key`). */
  readonly secretsKey: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Flags use the same names as the env variables (e.g. `--data-dir` → DATA_DIR). */
export type ConfigFlags = Partial<Record<keyof ConfigInput, unknown>>;

const envKeys = Object.keys(configSchema.shape) as (keyof ConfigInput)[];

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of envKeys) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    // A list in one variable: paths separated by the platform delimiter, like PATH.
    out[key] = key === 'LIBRARY' ? value.split(path.delimiter).filter(Boolean) : value;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const key = String(issue.path[0] ?? 'config');
  const given = input[key];
  const shown = given === undefined ? '' : ` (got ${JSON.stringify(given)})`;
  return `${key}: ${issue.message}${shown}`;
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const input: Record<string, unknown> = { ...fromEnv(env) };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) input[key] = value;

  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, input)));
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.JWT_SECRET)
    throw new ConfigError([
      'JWT_SECRET: required when NODE_ENV=production (at least 32 random characters, e.g. `openssl rand -base64 48`)',
    ]);
  const runtimeDefaults: RuntimeSettingValues = Object.freeze({
    DUPLICATE_THRESHOLD: c.DUPLICATE_THRESHOLD,
    SIMILAR_THRESHOLD: c.SIMILAR_THRESHOLD,
    EXACT_KEEPER_RULES: Object.freeze([...c.EXACT_KEEPER_RULES]),
    NEAR_KEEPER_RULES: Object.freeze([...c.NEAR_KEEPER_RULES]),
    SCHEDULE_RECONCILE: c.SCHEDULE_RECONCILE,
    SCHEDULE_TRASH_PURGE: c.SCHEDULE_TRASH_PURGE,
    TRASH_RETENTION_DAYS: c.TRASH_RETENTION_DAYS,
    VERSION_CAPTURE_WINDOW_SECONDS: c.VERSION_CAPTURE_WINDOW_SECONDS,
    BURST_WINDOW_SECONDS: c.BURST_WINDOW_SECONDS,
    PLACE_RADIUS_KM: c.PLACE_RADIUS_KM,
  });
  return Object.freeze({
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL ?? null,
    databasePreparedStatements: c.DATABASE_PREPARED_STATEMENTS,
    libraryRoots: Object.freeze(c.LIBRARY.map((p) => path.resolve(p))),
    logLevel: c.LOG_LEVEL,
    ingestConcurrency: c.INGEST_CONCURRENCY,
    thumbnailSize: c.THUMBNAIL_SIZE,
    preview: Object.freeze({ cacheBytes: c.PREVIEW_CACHE_MB * 2 ** 20, concurrency: c.PREVIEW_CONCURRENCY }),
    diskFreeFloorBytes: c.DISK_FREE_FLOOR_MB * 2 ** 20,
    runtimeDefaults,
    ...runtimeSettingsFrom(
      runtimeDefaults,
      insightSettingsFrom({
        captureWindowSeconds: c.VERSION_CAPTURE_WINDOW_SECONDS,
        editPatterns: c.VERSION_EDIT_PATTERNS,
        primaryOrder: c.VERSION_PRIMARY_ORDER,
        burstWindowSeconds: c.BURST_WINDOW_SECONDS,
        placeRadiusKm: c.PLACE_RADIUS_KM,
      }),
    ),
    watch: c.WATCH,
    ffmpegPath: c.FFMPEG_PATH ?? null,
    ffprobePath: c.FFPROBE_PATH ?? null,
    ingestBatchSize: c.INGEST_BATCH_SIZE,
    redisUrl: c.REDIS_URL ?? null,
    queue: Object.freeze({
      prefix: c.QUEUE_PREFIX,
      concurrency: Object.freeze({
        scan: c.QUEUE_CONCURRENCY_SCAN,
        ingest: c.QUEUE_CONCURRENCY_INGEST,
        analysis: c.QUEUE_CONCURRENCY_ANALYSIS,
        maintenance: c.QUEUE_CONCURRENCY_MAINTENANCE,
      }),
      attempts: c.JOB_ATTEMPTS,
      backoffMs: c.JOB_BACKOFF_MS,
      lockMs: c.JOB_LOCK_MS,
      sweepMs: c.JOB_SWEEP_MS,
    }),
    libvipsThreads: c.LIBVIPS_THREADS ?? null,
    heartbeatFile: c.HEARTBEAT_FILE ? path.resolve(c.HEARTBEAT_FILE) : null,
    executableSearchPath: env.PATH ?? '',
    auth: Object.freeze({
      jwtSecret: c.JWT_SECRET ?? null,
      accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: c.REFRESH_TOKEN_TTL_DAYS,
      cookieSecure: c.COOKIE_SECURE ?? c.NODE_ENV === 'production',
      loginMaxAttemptsPerAccount: c.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT,
      loginMaxAttemptsPerIp: c.LOGIN_MAX_ATTEMPTS_PER_IP,
      loginWindowMinutes: c.LOGIN_WINDOW_MINUTES,
    }),
    http: Object.freeze({
      corsOrigins: Object.freeze([...(c.CORS_ORIGINS ?? [])]),
      trustProxy: c.TRUST_PROXY,
      bodyLimitBytes: c.BODY_LIMIT_BYTES,
      sseHeartbeatSeconds: c.SSE_HEARTBEAT_SECONDS,
      sseReplaySize: c.SSE_REPLAY_SIZE,
      responseCacheBytes: c.RESPONSE_CACHE_MB * 1024 * 1024,
    }),
    libraryBase: c.LIBRARY_BASE ? path.resolve(c.LIBRARY_BASE) : null,
    secretsKey: c.SECRETS_KEY ?? null,
  });
}
