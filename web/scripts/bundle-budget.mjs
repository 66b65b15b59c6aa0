// Prints what the browser downloads for the dashboard and fails the build when a budget is exceeded.
// Sizes are gzip level 9, as the server sends them (src/server/routes/dashboard.ts).
// Usage: node web/scripts/bundle-budget.mjs  (after vite build; npm run build runs both)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const manifest = JSON.parse(readFileSync(dist + '.vite/manifest.json', 'utf8'));

/**
 * Budgets in KB (gzip): first load of the overview (it draws its charts in plain SVG, so it never waits
 * for the chart library), the entry alone, the chart library, any one page beyond what it shares.
 */
const BUDGET = { firstLoad: 120, entry: 110, charts: 240, page: 40 };

const gz = new Map();
const size = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(dist + file), { level: 9 }).length);
  return gz.get(file);
};
/** Files a chunk needs before it runs: itself, its CSS and its static imports, recursively. */
function closure(key, seen = new Set()) {
  const c = manifest[key];
  if (!c || seen.has(c.file)) return seen;
  seen.add(c.file);
  for (const css of c.css ?? []) seen.add(css);
  for (const i of c.imports ?? []) closure(i, seen);
  return seen;
}
const kb = (n) => (n / 1024).toFixed(1).padStart(7);
const sum = (files) => [...files].reduce((a, f) => a + size(f), 0);

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const entry = closure(entryKey);
const pages = Object.keys(manifest).filter((k) => /src\/pages\/[^/]+\/index\.tsx$/.test(k));
const rows = [];
const failures = [];
for (const p of pages) {
  const own = [...closure(p)].filter((f) => !entry.has(f));
  const name = p.match(/pages\/([^/]+)\//)[1];
  const ownNoCharts = own.filter((f) => !/charts-/.test(f));
  rows.push({ name, own: sum(own), ownNoCharts: sum(ownNoCharts), first: sum(entry) + sum(own) });
  if (sum(ownNoCharts) > BUDGET.page * 1024) failures.push(`page ${name}: ${kb(sum(ownNoCharts)).trim()} KB > ${BUDGET.page} KB`);
}
const charts = Object.values(manifest).find((c) => /charts-/.test(c.file));
const overview = rows.find((r) => r.name === 'overview');
console.log('dashboard bundle (gzip, KB):');
console.log(`  entry (app shell, React)         ${kb(sum(entry))}   budget ${BUDGET.entry}`);
console.log(`  charts (ECharts, loaded by pages) ${kb(charts ? size(charts.file) : 0)}   budget ${BUDGET.charts}`);
for (const r of rows.sort((a, b) => a.name.localeCompare(b.name))) console.log(`  page ${r.name.padEnd(12)} own ${kb(r.ownNoCharts)}   first load ${kb(r.first)}`);
console.log(`  first load of the overview        ${kb(overview?.first ?? 0)}   budget ${BUDGET.firstLoad}`);
if (sum(entry) > BUDGET.entry * 1024) failures.push(`entry: ${kb(sum(entry)).trim()} KB > ${BUDGET.entry} KB`);
if (charts && size(charts.file) > BUDGET.charts * 1024) failures.push(`charts: ${kb(size(charts.file)).trim()} KB > ${BUDGET.charts} KB`);
if (overview && overview.first > BUDGET.firstLoad * 1024) failures.push(`first load: ${kb(overview.first).trim()} KB > ${BUDGET.firstLoad} KB`);
if (failures.length > 0) {
  console.error(`bundle budget exceeded:\n  ${failures.join('\n  ')}\n(raise a budget in web/scripts/bundle-budget.mjs only with a reason)`);
  process.exit(1);
}
