import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { setSetting } from '../../src/config/settings.js';
import { tempStore } from '../helpers/store.js';

/** A received email: the parsed message and its raw headers. */
export interface Received {
  readonly mail: ParsedMail;
  readonly to: string;
  readonly messageId: string;
  header(name: string): string | undefined;
}

/** The servers of smtpCapture, which greet a client as soon as it connects. */
const prompt = new WeakSet<SMTPServer>();
const init = SMTPConnection.prototype.init;
/*
 * smtp-server waits 100 ms after accepting a connection before it greets, to catch clients that talk
 * before the greeting. Each connection of a test (the engine's pool opens up to 5) waited that long for nothing. The capture servers greet
 * at once (with no reverse DNS lookup of 127.0.0.1): the same commands and replies, without the pause.
 * Other servers (the demo's mailbox) keep the library's behaviour.
 */
SMTPConnection.prototype.init = function (this: SMTPConnection & { _server: SMTPServer }): void {
  if (!prompt.has(this._server)) return init.call(this);
  this._setListeners(() => this.connectionReady());
};

/**
 * A real SMTP server in the test process (smtp-server), parsing every message it accepts
 * (mailparser). `hold()` makes it keep the next messages without answering (the sender has not been
 * acknowledged), for the crash tests.
 */
export async function smtpCapture(): Promise<{ url: string; received: Received[]; close(): Promise<void>; hold(on: boolean): void; held: number; connections: number }> {
  const received: Received[] = [];
  let holding = false;
  const state = { held: 0, connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (holding) {
          state.held++;
          return; // never acknowledged
        }
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          received.push({ mail, to, messageId: mail.messageId ?? '', header: (n) => headerText(mail, n) });
          callback();
        }, callback);
      });
    },
  });
  prompt.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    hold: (on) => {
      holding = on;
    },
    get held() {
      return state.held;
    },
    /** connections accepted so far */
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? line.line.slice(line.line.indexOf(':') + 1).trim() : undefined;
}

/** The unsubscribe link of an email's List-Unsubscribe header. */
export function unsubscribeLink(r: Received): string {
  const m = /<(https?:[^>]+)>/.exec(r.header('List-Unsubscribe') ?? '');
  if (!m) throw new Error('no List-Unsubscribe URL');
  return m[1]!;
}

export interface Delivery {
  readonly body: unknown;
  readonly rawBody: string;
  readonly idempotencyKey: string | undefined;
  readonly signed: boolean;
}

/**
 * A real HTTP receiver that checks each webhook's signature with the shared secret. `failNext(n)`
 * answers the next n requests with 503.
 */
export async function webhookReceiver(secret: string): Promise<{ url: string; deliveries: Delivery[]; failNext(n: number): void; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      // The scheme of docs/webhooks.md, computed here as a receiver would, not with segmint's signer.
      const t = String(req.headers['segmint-timestamp']);
      const expected = 'v1=' + createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      const signed = /^\d+$/.test(t) && req.headers['segmint-signature'] === expected;
      deliveries.push({ body: JSON.parse(raw), rawBody: raw, idempotencyKey: req.headers['idempotency-key'] as string | undefined, signed });
      if (failures > 0) {
        failures--;
        res.writeHead(503).end('try later');
        return;
      }
      res.writeHead(signed ? 200 : 401).end(signed ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    failNext: (n) => {
      failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A fresh store whose email settings point at a real SMTP server in this process: smtp.url, email.from
 * and any other settings given. `close()` stops the SMTP server and removes the store.
 */
export async function storeWithMailbox(settings: Readonly<Record<string, string>> = {}) {
  const t = await tempStore();
  const smtp = await smtpCapture();
  await setSetting(t.store, 'smtp.url', smtp.url);
  for (const [k, v] of Object.entries({ 'email.from': 'Shop <shop@example.com>', ...settings })) await setSetting(t.store, k, v);
  return {
    ...t,
    smtp,
    async close(): Promise<void> {
      await smtp.close();
      t.cleanup();
    },
  };
}
