import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON line per event on stdout; secrets are redacted wherever they could appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'databaseUrl',
          '*.databaseUrl',
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
