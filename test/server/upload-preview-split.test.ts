import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * Trial 10, L4: the upload preview split a quoted multi-line cell into two rows ("multi" and `line"`)
 * while the importer read it right. The preview now reads the file with the importer's own reader;
 * what the importer stores is the reference (a trait mapped from the cell).
 */
describe('the upload preview splits a file as the importer does', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
  });
  afterAll(async () => s.cleanup());

  const upload = async (text: string | Buffer) => {
    const res = await s.app.inject({ method: 'POST', url: '/v1/uploads?name=qnl.csv', headers: { authorization: basic(s.key), 'content-type': 'text/csv' }, payload: text });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { upload: { id: string }; preview: { columns: string[]; rows: string[][] } };
  };

  const lf = 'order,customer,date,amount,note\nQ-1,c1,2024-03-31,12.50,"multi\nline"\nQ-2,c2,2024-04-01,3.00,plain\n';
  const variants: [string, string | Buffer][] = [
    ['LF', lf],
    ['CRLF', lf.replaceAll('\n', '\r\n')],
    ['a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf)])],
    ['";"', lf.replaceAll(',', ';').replace('12.50', '12,50').replace('3.00', '3,00')],
  ];

  it.each(variants)('a quoted line break stays in its cell (%s)', async (name, text) => {
    const { preview } = await upload(text);
    expect(preview.columns).toEqual(['order', 'customer', 'date', 'amount', 'note']);
    expect(preview.rows).toHaveLength(2);
    expect(preview.rows[0]![0]).toBe('Q-1');
    // the reader keeps the line break of the file inside the quotes (CRLF in a CRLF file)
    expect(preview.rows[0]![4]).toBe(name === 'CRLF' ? 'multi\r\nline' : 'multi\nline');
    expect(preview.rows[1]).toEqual(['Q-2', 'c2', '2024-04-01', name === '";"' ? '3,00' : '3.00', 'plain']);
  });

  it('shows the cell as the import stores it', async () => {
    const { upload: u, preview } = await upload(lf);
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: basic(s.key), 'content-type': 'application/json' },
      payload: JSON.stringify({ upload: u.id, map: ['order=order_id', 'customer=user_id', 'date=placed_at', 'amount=amount', 'note=trait.note'] }),
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = (res.json() as { id: string }).id;
    let state = 'running';
    for (let i = 0; i < 200 && state !== 'done' && state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (JSON.parse((await s.app.inject({ method: 'GET', url: `/v1/jobs/${job}`, headers: { authorization: basic(s.key) } })).body) as { state: string }).state;
    }
    expect(state).toBe('done');
    const stored = await s.store.one<{ note: string }>("SELECT json_extract_string(c.traits, '$.note') AS note FROM identities i JOIN customers c USING (customer_id) WHERE i.value = 'c1'");
    expect(stored?.note).toBe(preview.rows[0]![4]);
  });
});
