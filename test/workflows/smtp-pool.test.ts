import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../src/workflows/channels/email/smtp.js';
import { smtpCapture } from './helpers.js';

/**
 * The engine's mailer reuses its SMTP connections (nodemailer's pool): a shop sending a batch of reminders
 * does not connect, greet and (over smtps) shake hands once per message, which providers also throttle.
 * Checked on a real SMTP server counting the connections it accepts.
 */
describe('SmtpMailer', () => {
  let smtp: Awaited<ReturnType<typeof smtpCapture>>;
  const mailer = new SmtpMailer();
  beforeAll(async () => {
    smtp = await smtpCapture();
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
  });

  const email = (i: number) => ({ from: 'shop@example.com', to: `c${i}@example.com`, subject: `s${i}`, text: 'hello', messageId: `m${i}@segmint`, headers: {} });

  it('sends one message after another over one connection', async () => {
    for (let i = 0; i < 12; i++) await mailer.send(smtp.url, email(i));
    expect(smtp.received.map((m) => m.to)).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}@example.com`));
    expect(smtp.connections).toBe(1);
  });

  it('sends messages given at once over at most 5 connections, every one delivered', async () => {
    const before = smtp.connections;
    await Promise.all(Array.from({ length: 20 }, (_, i) => mailer.send(smtp.url, email(100 + i))));
    expect(smtp.received).toHaveLength(32);
    expect(smtp.connections - before).toBeLessThanOrEqual(5);
  });

  it('a URL option turns the pool off (?pool=false): one connection per message', async () => {
    const before = smtp.connections;
    for (let i = 0; i < 3; i++) await mailer.send(`${smtp.url}?pool=false`, email(200 + i));
    expect(smtp.connections - before).toBe(3);
  });
});
