import { SegmintError, isSegmintError } from '../../domain/errors.js';
import { FileTarget } from '../out/file-target.js';
import type { FileAnswer, FileOp } from './protocol.js';

/**
 * The server's side of a file a served command writes: the file is the CLI's (protocol.ts, FileOp).
 * `ask` sends an open or a close and waits for the CLI's answer (its error is thrown here, so the
 * command fails as it would without a server); `send` sends data, waiting while the socket is full.
 */
export interface FileChannel {
  ask(op: FileOp & { op: 'open' | 'close' }): Promise<void>;
  send(op: FileOp & { op: 'write' | 'abort' }): Promise<void>;
  /** An answer line from the CLI (the host routes it here). */
  answered(answer: FileAnswer): void;
  /** The CLI went away: a pending question fails. */
  closed(): void;
}

/**
 * A FileChannel over one CLI's socket. `write` sends a line and returns false when the socket's buffer
 * is full; `drained` resolves when it has room again.
 */
export function fileChannel(write: (op: FileOp) => boolean, drained: () => Promise<void>): FileChannel {
  let pending: { resolve(): void; reject(e: unknown): void } | undefined;
  let gone = false;
  const wentAway = (): SegmintError => new SegmintError('cli_gone', 'The command that asked for the file went away before it was written; nothing was written.');
  return {
    ask(op) {
      if (gone) return Promise.reject(wentAway());
      return new Promise<void>((resolve, reject) => {
        pending = { resolve, reject };
        write(op);
      });
    },
    async send(op) {
      if (gone) throw wentAway();
      if (!write(op)) await drained();
    },
    answered(answer) {
      const p = pending;
      pending = undefined;
      if (!p) return;
      if ('ok' in answer.file) p.resolve();
      else {
        const e = answer.file.error;
        p.reject(new SegmintError(e.code, e.message, e.details, e.status));
      }
    },
    closed() {
      gone = true;
      pending?.reject(wentAway());
      pending = undefined;
    },
  };
}

/**
 * The CLI's side: carries out the server's FileOps on a FileTarget in this process, so the file is
 * written by the CLI's user at the path as the CLI's working directory reads it. Returns the answer
 * line to send back for an open or a close. A write error is kept and given as the close's answer.
 */
export class CliFiles {
  private target: FileTarget | undefined;
  private failure: unknown;

  handle(op: FileOp): FileAnswer | undefined {
    switch (op.op) {
      case 'open':
        this.discard();
        this.failure = undefined;
        return answer(() => {
          const { path, force, mode, what, forceOption, protect } = op;
          this.target = FileTarget.open(path, {
            ...(protect !== undefined ? { protect } : {}),
            ...(force !== undefined ? { force } : {}),
            ...(mode !== undefined ? { mode } : {}),
            ...(what !== undefined ? { what } : {}),
            ...(forceOption !== undefined ? { forceOption } : {}),
          });
        });
      case 'write':
        if (this.target && this.failure === undefined) {
          try {
            this.target.write(op.chunk);
          } catch (e) {
            this.failure = e;
          }
        }
        return undefined;
      case 'close':
        return answer(() => {
          if (this.failure !== undefined) throw this.failure;
          this.target?.commit();
          this.target = undefined;
        });
      case 'abort':
        this.discard();
        return undefined;
    }
  }

  /** Removes a file not yet put in place (the command failed, or the server went away). */
  discard(): void {
    this.target?.discard();
    this.target = undefined;
  }
}

function answer(fn: () => void): FileAnswer {
  try {
    fn();
    return { file: { ok: true } };
  } catch (e) {
    const err = isSegmintError(e) ? e : new SegmintError('file_unwritable', `The file could not be written: ${e instanceof Error ? e.message : String(e)}`);
    return { file: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}), status: err.httpStatus } } };
  }
}
