import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parsePastTime } from '../../domain/as-of.js';
import { customerConsent } from '../../privacy/consent/history.js';
import { recordConsent } from '../../privacy/consent/record.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { requireScope } from '../auth.js';

const decision = z.object({ channel: z.string(), status: z.string(), decided_at: z.date(), source: z.string() });

/**
 * /v1/customers/{id}/consent: what `segmint customers consent ID` shows (read scope), and recording a
 * decision made elsewhere, e.g. a preference centre (admin scope). The id is any identifier.
 */
export const consentRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const store = plain.segmint.store;
  const tags = ['consent'];
  const params = z.object({ id: z.string().min(1).describe('customer id, user id, email or external id') });

  app.get(
    '/v1/customers/:id/consent',
    {
      preHandler: requireScope('read'),
      schema: {
        tags,
        summary: 'Consent per channel in force, and every decision recorded (what, when, source)',
        params,
        response: { 200: z.object({ customer_id: z.string(), current: z.array(decision), history: z.array(decision.extend({ recorded_at: z.date() })) }) },
      },
    },
    async (req) => customerConsent(store, req.params.id),
  );

  app.post(
    '/v1/customers/:id/consent',
    {
      preHandler: requireScope('admin'),
      schema: {
        tags,
        summary: 'Record a consent decision; the latest by its own time is the one in force',
        params,
        body: z.object({
          channel: z.string().describe('email, sms, push or ads'),
          status: z.enum(['granted', 'denied']),
          decided_at: z.string().optional().describe('when the person decided (ISO-8601; default now; not after now, 5 minutes of clock difference allowed)'),
          source: z.string().min(1).max(200).describe('where the decision comes from, e.g. preference-centre'),
        }),
        response: { 200: z.object({ customer_id: z.string(), changed: z.boolean() }) },
      },
    },
    async (req) => {
      const customerId = await resolveCustomer(store, req.params.id);
      const b = req.body;
      const r = await recordConsent(store, [
        { customerId, channel: b.channel, status: b.status, decidedAt: parsePastTime(b.decided_at, 'decided_at'), source: `api:${b.source}` },
      ]);
      return { customer_id: customerId, changed: r.changed > 0 };
    },
  );
};
