import { Draw, Sfc32 } from '../random/prng.js';

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly slug: string;
  /** Price in cents, so sums stay exact until they are written as decimals. */
  readonly priceCents: number;
  /** The product as a JSON object (Segment's product properties), built once and reused in every event. */
  readonly json: string;
}

export interface Category {
  readonly name: string;
  readonly slug: string;
  readonly products: readonly Product[];
  /** Share of traffic this category draws. */
  readonly weight: number;
}

interface CategorySpec {
  name: string;
  weight: number;
  count: number;
  minPrice: number;
  maxPrice: number;
  kinds: readonly string[];
}

// A mid-priced fashion shop. Weights are shares of browsing; price ranges are in euros.
const SPECS: readonly CategorySpec[] = [
  { name: 'Dresses', weight: 18, count: 48, minPrice: 39, maxPrice: 149, kinds: ['Midi Dress', 'Maxi Dress', 'Wrap Dress', 'Shirt Dress', 'Slip Dress', 'Knit Dress'] },
  { name: 'Tops', weight: 16, count: 44, minPrice: 15, maxPrice: 59, kinds: ['T-Shirt', 'Blouse', 'Tank Top', 'Shirt', 'Bodysuit', 'Crop Top'] },
  { name: 'Trousers', weight: 10, count: 30, minPrice: 35, maxPrice: 99, kinds: ['Wide-Leg Trousers', 'Jeans', 'Chinos', 'Cargo Trousers', 'Culottes'] },
  { name: 'Knitwear', weight: 9, count: 26, minPrice: 35, maxPrice: 129, kinds: ['Cardigan', 'Jumper', 'Turtleneck', 'Knit Vest'] },
  { name: 'Outerwear', weight: 7, count: 22, minPrice: 79, maxPrice: 249, kinds: ['Trench Coat', 'Puffer Jacket', 'Blazer', 'Denim Jacket', 'Wool Coat'] },
  { name: 'Shoes', weight: 14, count: 40, minPrice: 45, maxPrice: 179, kinds: ['Sneakers', 'Ankle Boots', 'Sandals', 'Loafers', 'Ballet Flats', 'Heels'] },
  { name: 'Bags', weight: 8, count: 24, minPrice: 29, maxPrice: 199, kinds: ['Tote Bag', 'Crossbody Bag', 'Backpack', 'Clutch', 'Shoulder Bag'] },
  { name: 'Accessories', weight: 12, count: 40, minPrice: 9, maxPrice: 49, kinds: ['Scarf', 'Belt', 'Bucket Hat', 'Sunglasses', 'Hair Clip', 'Beanie', 'Socks'] },
  { name: 'Jewellery', weight: 6, count: 26, minPrice: 12, maxPrice: 89, kinds: ['Hoop Earrings', 'Necklace', 'Ring', 'Bracelet', 'Anklet'] },
];

const ADJECTIVES = ['Linen', 'Cotton', 'Satin', 'Ribbed', 'Organic', 'Relaxed', 'Classic', 'Pleated', 'Printed', 'Striped', 'Recycled', 'Soft', 'Cropped', 'Oversized', 'Vintage', 'Tailored', 'Floral', 'Leather', 'Suede', 'Gold-Tone'];
const COLOURS = ['Black', 'Ivory', 'Navy', 'Sage', 'Rust', 'Camel', 'Blush', 'Olive', 'Cobalt', 'Sand', 'Burgundy', 'Grey'];

export interface Catalog {
  readonly categories: readonly Category[];
  /** Cumulative category weights, for Draw.weighted. */
  readonly categoryCumulative: readonly number[];
  readonly products: readonly Product[];
}

/**
 * The shop's products (300 in 9 categories), the same for a given seed. Prices end in .95 or .99 as
 * shop prices do; names combine a fabric or style, a colour and a kind, without repeats.
 */
export function buildCatalog(seed: number): Catalog {
  const d = new Draw(new Sfc32(seed, 1));
  const products: Product[] = [];
  const categories: Category[] = [];
  let sku = 1001;
  for (const spec of SPECS) {
    const slug = spec.name.toLowerCase();
    const used = new Set<string>();
    const list: Product[] = [];
    while (list.length < spec.count) {
      const name = `${d.pick(ADJECTIVES)} ${d.pick(COLOURS)} ${d.pick(spec.kinds)}`;
      if (used.has(name)) continue;
      used.add(name);
      // Log-uniform within the range: more cheap items than dear ones, as in most catalogues.
      const euros = Math.exp(Math.log(spec.minPrice) + d.next() * Math.log(spec.maxPrice / spec.minPrice));
      const priceCents = Math.max(100, Math.floor(euros) * 100 + (d.chance(0.5) ? 95 : 99) - 100);
      const id = `SKU-${sku++}`;
      const json = JSON.stringify({ product_id: id, name, category: spec.name, price: priceCents / 100 });
      const product: Product = { id, name, category: spec.name, slug: toSlug(name), priceCents, json };
      list.push(product);
      products.push(product);
    }
    categories.push({ name: spec.name, slug, products: list, weight: spec.weight });
  }
  let sum = 0;
  const categoryCumulative = categories.map((c) => (sum += c.weight));
  return { categories, categoryCumulative, products };
}

function toSlug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
