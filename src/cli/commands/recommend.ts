import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { wholeNumberIn } from '../../domain/whole-number.js';
import { RECOMMEND_COUNT_MAX } from '../../predict/recommend/options.js';
import { evaluateAndChoose, evaluationJson, METHODS, type RecommendMethod } from '../../predict/recommend/method.js';
import { evaluationText, recommendationsText } from '../../predict/recommend/text.js';
import { recommendProducts } from '../../predict/recommend/recommend-customer.js';
import { frequentlyBoughtTogether } from '../../predict/recommend/together.js';
import { parseCutoff, readCutoff } from '../../predict/propensity/time.js';
import { cliStderr, output, withStore } from '../context.js';

/** --n as a whole number of products, in the bounds checkCount keeps for the API too. */
const count = (raw: string): number => wholeNumberIn(raw, '--n', 1, RECOMMEND_COUNT_MAX);

interface Opts {
  n: string;
  method: string;
  product?: string;
  asOf?: string;
  split?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('recommend')
    .description('Products a customer is likely to want next, or products frequently bought together')
    .argument('[customer_id]', 'the customer to recommend for')
    .option('--n <count>', 'how many products', '10')
    .option('--product <id>', 'instead: products frequently bought together with this product')
    .option('--as-of <date>', 'learn only from orders up to this time (default: all)')
    .option('--method <method>', "auto (the shop's evaluation chooses), cooccurrence or popularity", 'auto')
    .option('--json', 'print JSON')
    .action(async (customerId: string | undefined, o: Opts, c: Command) => {
      const n = count(o.n);
      const method = methodOption(o.method);
      if (o.asOf !== undefined) parseCutoff(o.asOf, 'as-of'); // refused before the database is opened; read in the workspace zone there
      if (o.product !== undefined) {
        if (customerId !== undefined) {
          throw new SegmintError('conflicting_arguments', 'Give either a CUSTOMER_ID or --product, not both.');
        }
        const product = o.product;
        const r = await withStore(c, async (store) => frequentlyBoughtTogether(store, product, { n, asOf: await readCutoff(store, o.asOf, 'as-of') }));
        output(o.json, r, () =>
          [
            `Frequently bought together with ${r.name?.trim() || r.productId} (${r.productId}, in ${r.orders} orders):`,
            ...(r.together.length === 0 ? ['  nothing is bought with it often enough (at least 2 shared orders)'] : []),
            ...r.together.map(
              (t, i) =>
                `${String(i + 1).padStart(3)}. ${t.productId}  ${(t.name ?? '').trim()}  — together in ${t.orders} orders, ` +
                `cosine ${t.cosine.toFixed(3)}, lift ${t.lift.toFixed(1)}`,
            ),
          ].join('\n'),
        );
        return;
      }
      if (customerId === undefined) {
        throw new SegmintError('missing_argument', 'Name a customer (segmint recommend CUSTOMER_ID) or a product (--product ID).');
      }
      const onEvaluating = () => cliStderr().write("Choosing this shop's recommendation method: evaluating both on its own next orders (stored until new orders arrive)…\n");
      const r = await withStore(c, async (store) => recommendProducts(store, customerId, { n, asOf: await readCutoff(store, o.asOf, 'as-of'), method, onEvaluating }));
      output(o.json, r, () => recommendationsText(r));
    });

  // --n and --json belong to `recommend` itself: commander gives options of a parent command to the
  // parent even when they follow the subcommand, so evaluate reads them from there.
  cmd
    .command('evaluate')
    .description('Hit rate at --n of the next order after a time split, against recommending best-sellers (also takes --n, --json)')
    .option('--split <date>', "learn from orders up to this date, test on each customer's next order (default: 90 days before the last order)")
    .action(async (o: { split?: string }, c: Command) => {
      const { n: rawN, json } = c.optsWithGlobals<Opts>();
      if (o.split !== undefined) parseCutoff(o.split, 'split'); // refused before the database is opened
      const r = await withStore(c, async (store) => evaluateAndChoose(store, { split: await readCutoff(store, o.split, 'split'), n: count(rawN) }));
      output(json, evaluationJson(r), () => evaluationText(r.evaluation, r.choice));
    });
}

function methodOption(raw: string): RecommendMethod | 'auto' {
  if (raw === 'auto' || (METHODS as readonly string[]).includes(raw)) return raw as RecommendMethod | 'auto';
  throw new SegmintError('invalid_option', `--method must be auto, ${METHODS.join(' or ')}, got "${raw}"`, { option: 'method', value: raw });
}
