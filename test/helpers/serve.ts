import { spawn, type ChildProcess } from 'node:child_process';

/** The segmint command as a child process (TypeScript through tsx, as in development). */
export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** Starts `segmint serve --port 0` on a database and resolves with the URL it prints on stdout. */
export function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}
