import nodemailer, { type Transporter } from 'nodemailer';

/** One email as the engine hands it to SMTP. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: string;
  readonly replyTo?: string;
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** the Message-ID without angle brackets: the same on every attempt of one (run, step) */
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Why an attempt failed, and whether trying again may help (a 4xx reply, a refused connection) or not (5xx). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

/**
 * Sends through nodemailer over the SMTP server of `smtp.url` (smtp:// or smtps://, credentials in the
 * URL). One pooled transport per URL (nodemailer's pool: up to 5 connections, each reused for up to 100
 * messages), so a batch of sends does not open a connection, greet and (for smtps) shake hands per
 * message, which providers also throttle; a changed URL gets a new transport. Options in the URL's query
 * (`?pool=false`, `?maxConnections=1`) take precedence.
 */
export class SmtpMailer {
  private transport: Transporter | undefined;
  private url: string | undefined;

  async send(url: string, email: OutgoingEmail): Promise<string> {
    if (this.url !== url || !this.transport) {
      this.transport?.close();
      this.transport = nodemailer.createTransport({ url, pool: true });
      this.url = url;
    }
    try {
      const info = await this.transport.sendMail({
        from: email.from,
        to: email.to,
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        subject: email.subject,
        ...(email.html !== undefined ? { html: email.html } : {}),
        ...(email.text !== undefined ? { text: email.text } : {}),
        messageId: `<${email.messageId}>`,
        headers: { ...email.headers },
      });
      return String(info.response ?? 'accepted');
    } catch (e) {
      const err = e as { responseCode?: number; message?: string; code?: string };
      const code = err.responseCode;
      // 5xx is a refusal that will not change (unknown mailbox, rejected content); 4xx, timeouts and
      // connection errors are worth another try.
      throw new SendFailure(`${code ? `SMTP ${code}: ` : ''}${(err.message ?? String(e)).split('\n')[0]}`, code !== undefined && code >= 500);
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
    this.url = undefined;
  }
}
