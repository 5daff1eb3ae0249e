/** A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI). */
export class ProgressBar {
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY;
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done !== total) return;
    this.lastDraw = now;
    const width = 30;
    if (total > 0) {
      const filled = Math.round((done / total) * width);
      const pct = Math.floor((done / total) * 100);
      this.stream.write(
        `\r${label.padEnd(9)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${pct}% ${done}/${total}  `,
      );
    } else {
      this.stream.write(`\r${label.padEnd(9)} ${done} files…  `);
    }
  }

  done(): void {
    if (this.enabled) this.stream.write('\r' + ' '.repeat(70) + '\r');
  }
}
