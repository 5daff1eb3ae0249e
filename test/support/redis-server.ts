import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A free TCP port on 127.0.0.1, preferring `from`..`from+9`. */
async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 10; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => {
        resolve(false);
      });
      srv.listen(port, '127.0.0.1', () =>
        srv.close(() => {
          resolve(true);
        }),
      );
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + 9}`);
}

/**
 * A private redis-server (not the shared one), so a test can stop it without disturbing others.
 * No persistence: stopping it loses every queued job, the harshest outage there is.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(preferredPort = 6390): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort(preferredPort));
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => {
        reject(new Error(`redis-server exited (${code}):\n${out}`));
      });
    });
  }

  /** Kills the server (its data is gone with it). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

export const redisServerAvailable = await new Promise<boolean>((resolve) => {
  const p = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  p.once('error', () => {
    resolve(false);
  });
  p.once('exit', (code) => {
    resolve(code === 0);
  });
});
