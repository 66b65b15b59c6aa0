import { Store } from '../src/store/db.js';
const s = await Store.open(':memory:');
await s.run(`CREATE TABLE h (a VARCHAR)`);
await s.run(`INSERT INTO h VALUES ('x'),('y')`);
await s.run(`CREATE SEQUENCE hseq START 1`);
try { await s.run(`ALTER TABLE h ADD COLUMN seq BIGINT DEFAULT nextval('hseq')`); console.log('ok default nextval'); } catch (e) { console.log('ERR', (e as Error).message); }
console.log(await s.all('SELECT * FROM h'));
await s.run(`INSERT INTO h (a) VALUES ('z')`);
console.log(await s.all('SELECT * FROM h'));
