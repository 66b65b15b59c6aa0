import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { routeKit } from './kit.js';
import { SegmintError } from '../../domain/errors.js';
import { predictionDistribution } from '../../predict/clv/distribution.js';
import { fitFromStore } from '../../predict/clv/run/fit-from-store.js';
import { parseDay, parseGrain, parseModel, parseTimeUnit } from '../../predict/clv/run/options.js';
import { predictFromStore } from '../../predict/clv/run/predict-from-store.js';
import { validateFromStore } from '../../predict/clv/run/validate-run.js';
import { scorePropensity } from '../../predict/propensity/score.js';
import { readCutoff } from '../../predict/propensity/time.js';
import { trainPropensity } from '../../predict/propensity/train.js';
import { validatePropensity } from '../../predict/propensity/validate.js';
import { evaluateAndChoose, evaluationJson } from '../../predict/recommend/method.js';
import { frequentlyBoughtTogether } from '../../predict/recommend/together.js';
import { latestClvModel } from '../../store/queries/clv-models.js';
import { queryWhole } from './query-numbers.js';

/**
 * Predict: stored lifetime-value predictions and fits, holdout validation of the CLV model and of the
 * propensity models, and product recommendations; the reads of `segmint clv`, `propensity` and
 * `recommend` (read scope). Fitting and scoring write to the store, need admin and run as jobs.
 */
const tags = ['predictions'];
const model = z.enum(['bg-nbd', 'pareto-nbd']).optional();
const grain = z.enum(['day', 'order']).optional();
const timeUnit = z.enum(['day', 'week']).optional();
const day = z.string().optional();

export const predictionsRoutes: FastifyPluginAsync = async (plain) => {
  const { app, store, read, admin, jobs } = routeKit(plain);

  app.get(
    '/v1/clv/predictions',
    {
      ...read,
      schema: {
        tags,
        summary: 'The stored predictions (`clv show --json`): churn-risk bands, P(alive) and 365-day CLV distributions, totals',
      },
    },
    async () => predictionDistribution(store),
  );

  app.get(
    '/v1/clv/model',
    { ...read, schema: { tags, summary: 'The latest stored fit (`clv fit --json` of that run)', querystring: z.object({ model }) } },
    async (req) => {
      const r = await latestClvModel(store, req.query.model);
      if (!r) throw new SegmintError('clv_not_fitted', 'No lifetime-value model is fitted yet: run `segmint clv fit` (or fit from the dashboard).', {}, 404);
      return { model_id: r.model_id, fitted_at: r.fitted_at, model: r.model, report: r.report };
    },
  );

  app.get(
    '/v1/clv/validation',
    {
      ...read,
      schema: {
        tags,
        summary: 'Fit on a calibration period and compare with the holdout, by calibration frequency (`clv validate --json`)',
        querystring: z.object({ model, grain, timeUnit, calibrationEnd: day, holdoutEnd: day, seed: queryWhole(0).optional() }),
      },
    },
    async (req) => {
      const q = req.query;
      return validateFromStore(store, {
        model: parseModel(q.model ?? 'bg-nbd'),
        grain: parseGrain(q.grain ?? 'day'),
        timeUnit: parseTimeUnit(q.timeUnit ?? 'week'),
        seed: q.seed ?? 1,
        ...(q.calibrationEnd ? { calibrationEnd: parseDay(q.calibrationEnd, 'calibrationEnd') } : {}),
        ...(q.holdoutEnd ? { holdoutEnd: parseDay(q.holdoutEnd, 'holdoutEnd') } : {}),
      });
    },
  );

  app.post(
    '/v1/clv/fit',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Fit the lifetime-value models, then predict every customer and store the predictions (`clv fit` + `clv predict`); 202 with a job',
        body: z
          .object({
            model,
            grain,
            timeUnit,
            calibrationEnd: day,
            horizonDays: z.number().int().min(1).max(36_525).optional(),
            discount: z.number().min(0).max(10).optional(),
          })
          .optional(),
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const m = parseModel(b.model ?? 'bg-nbd');
      const calibrationEnd = b.calibrationEnd !== undefined ? parseDay(b.calibrationEnd, 'calibrationEnd') : undefined;
      const job = jobs.start('clv', ['fitting', 'predicting'], req, async (ctx) => {
        ctx.step('fitting');
        const { report } = await fitFromStore(store, {
          model: m,
          grain: parseGrain(b.grain ?? 'day'),
          timeUnit: parseTimeUnit(b.timeUnit ?? 'week'),
          ...(calibrationEnd ? { calibrationEnd } : {}),
        });
        ctx.step('predicting');
        const predicted = await predictFromStore(store, { horizonDays: b.horizonDays ?? 365, discount: b.discount ?? 0.1, model: m, ...(calibrationEnd ? { asOf: calibrationEnd } : {}) });
        return { fit: report, predict: predicted };
      });
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/v1/propensity/validation',
    {
      ...read,
      schema: {
        tags,
        summary: 'Train at a cutoff, test on the next window: AUC, precision, calibration deciles, baselines (`propensity validate --json`)',
        querystring: z.object({ cutoff: day, horizon: queryWhole(1, 3650).optional() }),
      },
    },
    async (req) =>
      validatePropensity(store, {
        cutoff: await readCutoff(store, req.query.cutoff, 'cutoff'),
        horizonDays: req.query.horizon,
      }),
  );

  app.post(
    '/v1/propensity/train',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Train the purchase and churn propensity models, then score every customer (`propensity train` + `propensity score`); 202 with a job',
        body: z.object({ cutoff: day, horizon: z.number().int().min(1).max(3650).optional() }).optional(),
      },
    },
    async (req, reply) => {
      const cutoff = await readCutoff(store, req.body?.cutoff, 'cutoff');
      const job = jobs.start('propensity', ['training', 'scoring'], req, async (ctx) => {
        ctx.step('training');
        const trained = await trainPropensity(store, { cutoff, horizonDays: req.body?.horizon });
        ctx.step('scoring');
        const scored = await scorePropensity(store, {});
        return { trained: trained.map((t) => ({ modelId: t.modelId, target: t.model.target, trainedOn: t.model.trainedOn, positives: t.model.positives })), scored };
      });
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/v1/products/:id/together',
    {
      ...read,
      schema: {
        tags,
        summary: 'Products frequently bought together with a product (`recommend --product ID --json`)',
        params: z.object({ id: z.string().min(1) }),
        querystring: z.object({ n: queryWhole(1, 100).optional(), asOf: day }),
      },
    },
    async (req) =>
      frequentlyBoughtTogether(store, req.params.id, {
        n: req.query.n ?? 10,
        asOf: await readCutoff(store, req.query.asOf, 'asOf'),
      }),
  );

  app.get(
    '/v1/recommendations/evaluation',
    {
      ...read,
      schema: {
        tags,
        summary: 'Hit rate at n of the next order after a time split, against best-sellers, and the method it makes the default (`recommend evaluate --json`)',
        querystring: z.object({ n: queryWhole(1, 100).optional(), split: day }),
      },
    },
    async (req) =>
      evaluationJson(
        await evaluateAndChoose(store, { n: req.query.n ?? 10, split: await readCutoff(store, req.query.split, 'split') }),
      ),
  );
};
