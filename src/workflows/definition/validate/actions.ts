import { z } from 'zod';
import { webhookUrlProblem } from '../../../webhooks/url.js';
import type { Step } from '../types.js';
import type { Checker, Path } from './checker.js';

/** The steps that act and hold no steps: email, webhook, set_trait, tag, list, exit. */
export type ActionKind = 'email' | 'webhook' | 'set_trait' | 'tag' | 'list' | 'exit';

/** One action step's body (`kind` is its one key, `id` its id, `at` the path of the body). */
export function readAction(c: Checker, kind: ActionKind, id: string, body: unknown, at: Path): Step | undefined {
  switch (kind) {
    case 'email': {
      const b = c.shape(
        z
          .object({
            subject: z.string().min(1),
            html: z.string().optional(),
            text: z.string().optional(),
            from: z.string().optional(),
            reply_to: z.string().optional(),
            transactional: z.boolean().optional(),
          })
          .strict(),
        body,
        at,
        id,
      );
      if (!b) return undefined;
      if (b.html === undefined && b.text === undefined) {
        c.add(at, 'give html, text or both', id);
        return undefined;
      }
      for (const field of ['subject', 'html', 'text', 'from', 'reply_to'] as const) {
        const t = b[field];
        if (t !== undefined) c.template(t, [...at, field], id);
      }
      return {
        kind: 'email',
        id,
        subject: b.subject,
        ...(b.html !== undefined ? { html: b.html } : {}),
        ...(b.text !== undefined ? { text: b.text } : {}),
        ...(b.from !== undefined ? { from: b.from } : {}),
        ...(b.reply_to !== undefined ? { replyTo: b.reply_to } : {}),
        transactional: b.transactional ?? false,
      };
    }
    case 'webhook': {
      const b = c.shape(
        z.union([
          z.string(),
          z.object({ url: z.string(), secret: z.string().min(16, 'a signing secret has at least 16 characters').optional(), headers: z.record(z.string(), z.string()).optional() }).strict(),
        ]),
        body,
        at,
        id,
      );
      if (b === undefined) return undefined;
      const w = typeof b === 'string' ? { url: b } : b;
      const urlProblem = /^https?:\/\/[^\s/]+/.test(w.url) ? webhookUrlProblem(w.url) : `"${w.url.slice(0, 200)}" is not an http:// or https:// address`;
      if (urlProblem) {
        c.add([...at, 'url'], urlProblem, id);
        return undefined;
      }
      return { kind: 'webhook', id, url: w.url, ...(w.secret ? { secret: w.secret } : {}), headers: w.headers ?? {} };
    }
    case 'set_trait': {
      const b = c.shape(z.record(z.string().min(1), z.unknown()), body, at, id);
      if (!b) return undefined;
      if (Object.keys(b).length === 0) {
        c.add(at, 'name at least one trait and its value', id);
        return undefined;
      }
      for (const [k, v] of Object.entries(b)) if (typeof v === 'string') c.template(v, [...at, k], id);
      return { kind: 'set_trait', id, traits: b };
    }
    case 'tag':
    case 'list': {
      const names = z.union([z.string().min(1), z.array(z.string().min(1))]);
      const b = c.shape(z.union([z.string().min(1), z.object({ add: names.optional(), remove: names.optional() }).strict()]), body, at, id);
      if (b === undefined) return undefined;
      const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const add = typeof b === 'string' ? [b] : list(b.add);
      const remove = typeof b === 'string' ? [] : list(b.remove);
      if (add.length + remove.length === 0) {
        c.add(at, `give the ${kind === 'tag' ? 'tags' : 'lists'} to add or remove`, id);
        return undefined;
      }
      return { kind, id, add, remove };
    }
    case 'exit': {
      const b = c.shape(z.union([z.string().min(1), z.literal(true), z.object({ reason: z.string().min(1) }).strict()]), body, at, id);
      if (b === undefined) return undefined;
      return { kind: 'exit', id, reason: b === true ? 'exit' : typeof b === 'string' ? b : b.reason };
    }
  }
}
