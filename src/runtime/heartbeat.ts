import fs from 'node:fs/promises';

const BEAT_MS = 10_000;

/**
 * Touches a file every few seconds while the process is healthy: processes without an HTTP port
 * (worker, scheduler) are checked by its age (`find FILE -mmin -1` in the container healthcheck).
 * An unhealthy beat removes the file, so the next healthcheck fails instead of one a minute later.
 */
export function startHeartbeat(file: string | null, healthy: () => Promise<void>): () => void {
  if (!file) return () => undefined;
  const beat = () => {
    healthy()
      .then(
        () => fs.writeFile(file, new Date().toISOString()),
        () => fs.rm(file, { force: true }),
      )
      .catch(() => undefined);
  };
  beat();
  const timer = setInterval(beat, BEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
