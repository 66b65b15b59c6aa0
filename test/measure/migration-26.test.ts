import { describe, expect, it } from 'vitest';
import { ensureKpis } from '../../src/measure/kpis/ensure.js';
import { segmentKpis } from '../../src/measure/kpis/read.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { migrate } from '../../src/store/migrate.js';
import { measure } from '../../src/store/migrations/013_measure.js';
import { storePerTest } from '../helpers/store.js';
import { loadShop } from './shop.js';

const store = storePerTest();

describe('migration 26 (KPI days of a zone)', () => {
  it('labels the snapshots, state and health checks stored before it as UTC days, and they are read, not recomputed', async () => {
    const s = await store();
    await loadShop(s, [{ id: 'a', createdAt: new Date('2024-01-01T00:00:00Z') }], [{ customer: 'a', at: new Date('2024-03-02T10:00:00Z'), revenue: 10 }]);
    await createSegment(s, { name: 'everyone', definition: { query: 'orders_count >= 0' } }, new Date('2024-01-01T00:00:00Z'));
    await ensureKpis(s, '2024-03-01', '2024-03-03');
    const before = await segmentKpis(s, ['everyone'], '2024-03-01', '2024-03-03');
    // Back to the schema of migration 13, with the rows as they were stored then.
    await s.run('CREATE TEMP TABLE old_kpis AS SELECT * EXCLUDE (time_zone) FROM segment_kpis');
    await s.run('DROP TABLE segment_kpis');
    await s.run(measure.statements.find((x) => x.includes('CREATE TABLE segment_kpis'))!);
    await s.run('INSERT INTO segment_kpis BY NAME SELECT * FROM old_kpis');
    await s.run("INSERT INTO segment_health_checks (checked_at, as_of_day, report) VALUES ('2024-03-04', '2024-03-03', '{}')");
    for (const t of ['segment_kpi_state', 'segment_health_checks']) await s.run(`ALTER TABLE ${t} DROP COLUMN time_zone`);
    await s.run('DELETE FROM schema_migrations WHERE version = 26');

    await migrate(s);
    expect(await s.all('SELECT DISTINCT time_zone FROM segment_kpis')).toEqual([{ time_zone: 'UTC' }]);
    expect(await s.all('SELECT time_zone FROM segment_kpi_state')).toEqual([{ time_zone: 'UTC' }]);
    expect(await s.all('SELECT time_zone FROM segment_health_checks')).toEqual([{ time_zone: 'UTC' }]);
    expect(await ensureKpis(s, '2024-03-01', '2024-03-03')).toBe(0);
    expect(await segmentKpis(s, ['everyone'], '2024-03-01', '2024-03-03')).toEqual(before);
    // and the next day continues from the kept state
    expect(await ensureKpis(s, '2024-03-01', '2024-03-04')).toBe(1);
  });
});
