import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * Trial 7, D11: the upload preview said "/tmp/segmint-uploads-…/upl_…/passwd: … Name it with --format".
 * Over HTTP the file is the name the client gave and the options are the fields of the request.
 */
/** The fields these answers have that the test reads. */
interface Answer {
  upload?: { id: string };
  preview?: { problem: { code: string; message: string } };
  id?: string;
  state?: string;
  error?: { message: string };
}

const CLI_OPTION = /--(format|map|decimal|date-format|line-kind|exported-at|currency)\b/;

describe('upload and import messages in the API’s terms', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['admin']);
  });
  afterAll(async () => s.cleanup());

  const send = async (method: 'POST' | 'GET', url: string, payload?: unknown, type = 'application/json') => {
    const res = await s.app.inject({ method, url, headers: { authorization: basic(s.key), ...(payload === undefined ? {} : { 'content-type': type }) }, payload: typeof payload === 'string' || payload === undefined ? payload : JSON.stringify(payload) });
    return { status: res.statusCode, body: res.body, json: res.json() as Answer };
  };
  const clean = (text: string): void => {
    expect(text).not.toContain(tmpdir());
    expect(text).not.toContain('segmint-uploads-');
    expect(text).not.toMatch(/upl_[0-9a-f]{16}[\\/]/);
    expect(text).not.toMatch(CLI_OPTION);
  };

  it('a preview that cannot tell the format names the upload and the "format" field', async () => {
    const up = await send('POST', '/v1/uploads?name=../../etc/passwd', 'colour,size\nred,XL\n', 'text/csv');
    expect(up.status).toBe(201);
    const problem = up.json.preview!.problem;
    expect(problem.code).toBe('import_unknown_header');
    expect(problem.message).toMatch(/^passwd: cannot tell the format/);
    expect(problem.message).toContain('the "format" field');
    expect(problem.message).toContain('the "map" field');
    clean(up.body);

    // previewed again with a mapping that names no column: the error speaks of "map" too
    const again = await send('POST', `/v1/uploads/${up.json.upload!.id}/preview`, { format: 'generic', map: ['nope=order_id'] });
    clean(again.body);
    const text = JSON.stringify(again.json);
    expect(text).toContain('the \\"map\\" field nope=order_id');

    // and an import of it fails with the same words, in the job's error
    const started = await send('POST', '/v1/imports', { upload: up.json.upload!.id, format: 'generic', map: ['nope=order_id'] });
    expect(started.status).toBe(202);
    let job: Answer = {};
    for (let i = 0; i < 400 && job.state !== 'failed' && job.state !== 'done'; i++) {
      job = (await send('GET', `/v1/jobs/${started.json.id!}`)).json;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(job.state).toBe('failed');
    clean(JSON.stringify(job));
    expect(job.error?.message).toContain('the "map" field');
  });
});
