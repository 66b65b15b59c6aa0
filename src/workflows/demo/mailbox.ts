import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * The demo's outbox: an SMTP server on the loopback interface that accepts every email, saves it as an
 * .eml file (open it in any mail program) and prints one line for it, so a newcomer sees what the
 * workflows send without configuring a real mail server. Nothing leaves the machine.
 */
export class DemoMailbox {
  private server: SMTPServer | undefined;
  private count = 0;
  /** the number of the last .eml saved in the folder: a demo run again numbers its emails after it */
  private last = 0;
  private quietSince = 0;

  constructor(
    readonly dir: string,
    private readonly print: (line: string) => void,
    /** lines printed one per email before switching to a count every 15 s */
    private readonly loud = 12,
  ) {}

  /** Starts listening; resolves with the smtp:// address to send to. */
  async start(): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    this.last = lastNumber(this.dir);
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received(Buffer.concat(chunks));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (this.quietSince > 0 && this.count > this.loud) this.print(`  ✉  ${this.count} emails in all, in ${this.dir}`);
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /**
   * Saves one email under the next number, created exclusively ('wx'): an email of an earlier run of the
   * demo, or any file of that name, is never replaced (a name taken meanwhile moves on to the next).
   */
  private save(raw: Buffer, workflow: string): void {
    for (;;) {
      this.last++;
      const file = join(this.dir, `${String(this.last).padStart(5, '0')}-${workflow.replace(/[^\w.-]+/g, '_')}.eml`);
      try {
        writeFileSync(file, raw, { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  private received(raw: Buffer): void {
    this.count++;
    const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('utf8');
    const header = (name: string): string => {
      const m = new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
      return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : '';
    };
    const workflow = header('X-Segmint-Workflow') || 'mail';
    this.save(raw, workflow);
    if (this.count <= this.loud) {
      this.print(`  ✉  [${workflow}] to ${header('To')}: ${decodeSubject(header('Subject'))}`);
      if (this.count === this.loud) this.print(`  ✉  … more emails are saved in ${this.dir} (a count every 15 s from now on)`);
      this.quietSince = Date.now();
    } else if (Date.now() - this.quietSince >= 15_000) {
      this.print(`  ✉  ${this.count} emails so far, in ${this.dir}`);
      this.quietSince = Date.now();
    }
  }
}

/** The highest number an .eml of the folder starts with (0 for none). */
function lastNumber(dir: string): number {
  let last = 0;
  for (const f of readdirSync(dir)) {
    const m = /^(\d+)-.*\.eml$/.exec(f);
    if (m) last = Math.max(last, Number(m[1]));
  }
  return last;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) of a subject line. */
function decodeSubject(s: string): string {
  return s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}
