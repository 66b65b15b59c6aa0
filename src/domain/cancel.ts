/**
 * Why work that watches an AbortSignal was cancelled, read from the signal's reason
 * (AbortController.abort(reason)): the server that carries out a CLI's command is stopping
 * (ServerStopping, given by cli/served/host.ts), or anything else, which is the CLI's Ctrl-C (an abort
 * without a reason, or the CLI going away). Work names the cause in its message: an import rolled back
 * "because the server stopped" is not one the person interrupted (trial 13, L8).
 */
export class ServerStopping extends Error {
  /** `pid`: the process id of the stopping server, named in messages. */
  constructor(readonly pid: number) {
    super(`the server (PID ${pid}) is stopping`);
    this.name = 'ServerStopping';
  }
}

/** The ServerStopping that fired `signal`, or undefined when it has not fired or fired for another cause. */
export function stoppingServer(signal: AbortSignal | undefined): ServerStopping | undefined {
  return signal?.aborted && signal.reason instanceof ServerStopping ? signal.reason : undefined;
}
