/**
 * HTTP clients in a process of their own, as a shop's clients are: the server under measurement then has
 * its event loop to itself, and the CPU each side spends is measured apart. (Clients in the server's own
 * process share its one JavaScript thread: every response they parse delays a request the server could
 * be reading, which measures the bench, not the server.)
 *
 * The parent forks this file with tsx's loader; the child receives the job over IPC, sends every body,
 * and answers with the time from its first request to its last answer and its own CPU time.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the parent asks of the client process. */
interface Job {
  /** The full URL every body is POSTed to. */
  readonly url: string;
  /** The Authorization header. */
  readonly authorization: string;
  /** One list of JSON bodies per client; each client sends its list one request after another. */
  readonly clients: readonly (readonly string[])[];
}

/** What the client process answers. */
export interface ClientRun {
  /** Seconds from the first request to the last answer. */
  readonly seconds: number;
  /** CPU time (user + system) the client process spent sending, in milliseconds. */
  readonly cpuMs: number;
}

type Answer = ({ ok: true } & ClientRun) | { ok: false; error: string };

/**
 * POSTs each client's bodies to `url` from a forked process, the clients running concurrently, each one
 * request after another. Resolves with the client side's time and CPU; rejects when any answer is not
 * 200 (the first such answer's status and body), or when the process fails.
 */
export function sendFromClients(url: string, authorization: string, clients: readonly (readonly string[])[]): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
    let settled = false;
    child.on('message', (answer: Answer) => {
      settled = true;
      child.kill();
      if (answer.ok) resolve({ seconds: answer.seconds, cpuMs: answer.cpuMs });
      else reject(new Error(`HTTP clients: ${answer.error}`));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`HTTP client process exited with code ${code} before answering`));
    });
    child.send({ url, authorization, clients } satisfies Job);
  });
}

async function run(job: Job): Promise<Answer> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  try {
    await Promise.all(
      job.clients.map(async (bodies) => {
        for (const body of bodies) {
          const res = await fetch(job.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: job.authorization }, body });
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }
      }),
    );
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return { ok: true, seconds, cpuMs: (used.user + used.system) / 1000 };
}

// In the forked child (it has an IPC channel): do the one job, answer, and wait to be killed.
if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (job: Job) => {
    void run(job).then((answer) => process.send!(answer));
  });
}
