import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOutput } from '../../src/cli/output-file.js';
import { buildProgram, loadAllCommands } from '../../src/cli/program.js';
import { runServed, type ServedCommand } from '../../src/cli/served/current.js';
import { CliFiles, fileChannel } from '../../src/cli/served/files.js';
import type { FileOp } from '../../src/cli/served/protocol.js';
import { runCli } from '../helpers/cli.js';
import { shopifyShop } from '../helpers/shopify-shop.js';

/*
 * Task fixA12, item 1: `segments export NAME --out FILE` replaced an existing FILE without a word (a
 * trial overwrote a system file as root this way). The kind: a command writing a file the user named.
 * Every such file is refused when it exists (unless --force), written to a temporary file beside it and
 * renamed into place (an interrupted export never leaves half a file nor destroys the old one), and,
 * for a command a server carries out, written by the CLI's process (served/files.ts).
 */

const dir = mkdtempSync(join(tmpdir(), 'segmint-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** The files of a folder other than `keep`: temporary files left behind show here. */
const others = (folder: string, keep: string[]): string[] => readdirSync(folder).filter((f) => !keep.includes(f));

describe('openOutput: a file the user named', () => {
  it('refuses an existing file, naming it and --force, and leaves it as it was', async () => {
    const file = join(dir, 'kept.csv');
    writeFileSync(file, 'precious\n');
    const e = await openOutput(file).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'file_exists', details: { path: file } });
    expect((e as Error).message).toBe(`Cannot write the export ${file}: the file already exists and is left as it is; pass --force to replace it, or choose another name (rm ${file} removes it).`);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(others(dir, ['kept.csv'])).toEqual([]);
  });

  it('with force, replaces it only at close: the old file is whole until then, and after an abort', async () => {
    const folder = mkdtempSync(join(dir, 'force-'));
    const file = join(folder, 'members.csv');
    writeFileSync(file, 'old\n');
    const out = await openOutput(file, { force: true });
    await out.write('new,');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    out.abort();
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(others(folder, ['members.csv'])).toEqual([]);

    const again = await openOutput(file, { force: true });
    await again.write('new\n');
    await again.close();
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(others(folder, ['members.csv'])).toEqual([]);
  });

  it('a new file appears only when it is complete, and a file created meanwhile is not replaced', async () => {
    const folder = mkdtempSync(join(dir, 'new-'));
    const file = join(folder, 'a.csv');
    const out = await openOutput(file);
    await out.write('x\n');
    expect(existsSync(file)).toBe(false);
    await out.close();
    expect(readFileSync(file, 'utf8')).toBe('x\n');

    const racer = join(folder, 'b.csv');
    const late = await openOutput(racer);
    await late.write('mine\n');
    writeFileSync(racer, 'theirs\n');
    await expect(late.close()).rejects.toMatchObject({ code: 'file_exists' });
    expect(readFileSync(racer, 'utf8')).toBe('theirs\n');
    expect(others(folder, ['a.csv', 'b.csv'])).toEqual([]);
  });

  it('refuses a folder, a missing folder and a path through a file, naming the path, even with force', async () => {
    await expect(openOutput(dir, { force: true })).rejects.toMatchObject({ code: 'is_a_folder', message: expect.stringContaining(dir) });
    const missing = join(dir, 'no-such', 'x.csv');
    await expect(openOutput(missing, { force: true })).rejects.toMatchObject({ code: 'folder_missing', message: expect.stringContaining(missing) });
    writeFileSync(join(dir, 'plain'), '');
    await expect(openOutput(join(dir, 'plain', 'x.csv'))).rejects.toMatchObject({ code: 'not_a_folder', message: expect.stringContaining(join(dir, 'plain', 'x.csv')) });
    expect(readFileSync(join(dir, 'plain'), 'utf8')).toBe('');
  });

  it.skipIf(isRoot)('refuses a folder it may not write in, naming the file (not its temporary name)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const e = (await openOutput(join(locked, 'x.csv')).catch((x: unknown) => x)) as Error & { code: string };
      expect(e.code).toBe('permission_denied');
      expect(e.message).toMatch(new RegExp(`^Cannot write the export ${join(locked, 'x.csv')}: permission denied`));
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('writes a device in place and leaves it a device (/dev/null)', async () => {
    const out = await openOutput('/dev/null');
    await out.write('x');
    await out.close();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('creates personal data readable by its owner only (mode 0600)', async () => {
    const file = join(dir, 'subject.json');
    const out = await openOutput(file, { mode: 0o600 });
    await out.write('{}');
    await out.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('a symbolic link named as the output (trial 13, L2)', () => {
  it('with force, writes the file the link leads to and keeps the link', async () => {
    const folder = mkdtempSync(join(dir, 'link-'));
    const target = join(folder, 'target.csv');
    const link = join(folder, 'link.csv');
    writeFileSync(target, 'x\n');
    symlinkSync(target, link);
    const refused = await openOutput(link).catch((x: unknown) => x);
    expect(refused).toMatchObject({ code: 'file_exists', details: { path: link, target } });
    expect((refused as Error).message).toBe(
      `Cannot write the export ${link} (a link to ${target}): the file already exists and is left as it is; pass --force to replace the file it leads to (the link is kept), or choose another name (rm ${target} removes it).`,
    );
    const out = await openOutput(link, { force: true });
    await out.write('new\n');
    await out.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true); // it was replaced by a regular file
    expect(readFileSync(target, 'utf8')).toBe('new\n'); // it kept "x"
    expect(others(folder, ['target.csv', 'link.csv'])).toEqual([]);
  });

  it('a dangling link is not "a file that exists": its target is created; a missing folder is named as the link\'s', async () => {
    const folder = mkdtempSync(join(dir, 'dangling-'));
    const target = join(folder, 'target.csv');
    const link = join(folder, 'link.csv');
    symlinkSync('target.csv', link); // relative, as `ln -s target.csv link.csv` makes it
    const out = await openOutput(link);
    await out.write('made\n');
    await out.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('made\n');

    const nowhere = join(folder, 'nowhere.csv');
    symlinkSync(join(folder, 'no-such', 'x.csv'), nowhere);
    const e = await openOutput(nowhere, { force: true }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'folder_missing' });
    expect((e as Error).message).toMatch(
      new RegExp(`^Cannot write the export ${nowhere} \\(a dangling link to ${join(folder, 'no-such', 'x.csv')}\\): the folder ${join(folder, 'no-such')} does not exist`),
    );
  });

  it('a link to the database is refused, dangling or not, even with force', async () => {
    const folder = mkdtempSync(join(dir, 'protect-'));
    const db = join(folder, 'shop.duckdb');
    writeFileSync(db, 'db');
    const link = join(folder, 'out.csv');
    symlinkSync(db, link);
    const wal = join(folder, 'wal-link.csv');
    symlinkSync(`${db}.wal`, wal); // dangling: the log is not there now
    const protect = [{ path: db, what: 'the database' }, { path: `${db}.wal`, what: 'its write-ahead log' }];
    for (const p of [link, wal]) {
      await expect(openOutput(p, { force: true, protect })).rejects.toMatchObject({ code: 'out_is_database' });
    }
    expect(readFileSync(db, 'utf8')).toBe('db');
    expect(existsSync(`${db}.wal`)).toBe(false);
  });
});

describe('a served command: the file is written by the CLI, not by the server', () => {
  it('the server only sends the data; the CLI side opens, checks and places the file', async () => {
    const folder = mkdtempSync(join(dir, 'served-'));
    const file = join(folder, 'x.csv');
    writeFileSync(file, 'old\n');
    const sent: FileOp[] = [];
    const cli = new CliFiles();
    // The socket, cut short: each op goes to the CLI's side, whose answer comes straight back.
    const channel = fileChannel(
      (op) => {
        sent.push(op);
        const answer = cli.handle(op);
        if (answer) queueMicrotask(() => channel.answered(answer));
        return true;
      },
      async () => undefined,
    );
    const ctx = { files: channel } as unknown as ServedCommand;
    await expect(runServed(ctx, () => openOutput(file))).rejects.toMatchObject({ code: 'file_exists', message: expect.stringContaining(file) });
    const out = await runServed(ctx, () => openOutput(file, { force: true }));
    await out.write('new\n');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    await out.close();
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(sent.map((o) => o.op)).toEqual(['open', 'open', 'write', 'close']);
    expect(others(folder, ['x.csv'])).toEqual([]);
  });
});

describe('every command that writes a file', () => {
  let t: Awaited<ReturnType<typeof shopifyShop>>;
  beforeAll(async () => {
    t = await shopifyShop();
    await runCli(t.path, 'experiments', 'create', 'split', '--segment', 'buyers', '--seed', 's');
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('has --force beside --out (walking the whole command tree)', async () => {
    const program = await loadAllCommands(buildProgram());
    const lacking: string[] = [];
    const walk = (c: Command, path: string[]) => {
      if (c.options.some((o) => o.long === '--out') && !c.options.some((o) => o.long === '--force')) lacking.push(path.join(' '));
      for (const s of c.commands) walk(s, [...path, s.name()]);
    };
    for (const c of program.commands) walk(c, [c.name()]);
    expect(lacking).toEqual([]);
  });

  const commands: [string, string[]][] = [
    ['segments export', ['segments', 'export', 'buyers']],
    ['experiments assignments', ['experiments', 'assignments', 'split']],
    ['customers export', ['customers', 'export', 'jane@example.com']],
  ];
  it.each(commands)('%s --out refuses an existing file and replaces it with --force', async (_name, args) => {
    const file = join(t.dir, `${args[0]}-${args[1]}.out`);
    writeFileSync(file, 'precious\n');
    await expect(runCli(t.path, ...args, '--out', file)).rejects.toMatchObject({ code: 'file_exists', details: { path: file } });
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    await runCli(t.path, ...args, '--out', file, '--force');
    expect(readFileSync(file, 'utf8')).not.toBe('precious\n');
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(10);
  });

  /** The database's bytes, to check that a refused command left it as it was. */
  const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

  it.each(commands)('%s never writes the database itself, by any name, even with --force (trial 12, H1)', async (_name, args) => {
    const before = digest(t.path);
    mkdirSync(join(t.dir, 'sub'), { recursive: true });
    const link = join(t.dir, `link-${args[0]}`);
    if (!existsSync(link)) symlinkSync(t.path, link);
    // A folder elsewhere linked to `sub`: `elsewhere/to-sub/../db` is the database as the system reads `..`
    // (the parent of the link's target), though `resolve` would put it in `elsewhere`.
    const elsewhere = join(t.dir, '..', `${basename(t.dir)}-elsewhere-${args[0]}`);
    mkdirSync(elsewhere, { recursive: true });
    if (!existsSync(join(elsewhere, 'to-sub'))) symlinkSync(join(t.dir, 'sub'), join(elsewhere, 'to-sub'));
    const spellings = [t.path, link, join(t.dir, 'sub', '..', basename(t.path)), `${elsewhere}/to-sub/../${basename(t.path)}`, `${t.path}.wal`, `${t.path}.serve.lock`];
    for (const out of spellings) {
      for (const force of [[], ['--force']]) {
        const e = (await runCli(t.path, ...args, '--out', out, ...force).catch((x: unknown) => x)) as { code: string; message: string };
        expect(e.code, out).toBe('out_is_database');
        expect(e.message).toMatch(/^Cannot write the export .*: it is the (database itself|database's write-ahead log|lock file of the database's server) \(.*\), which the export would destroy; choose another file \(--force does not change this\)\.$/);
      }
    }
    expect(digest(t.path)).toBe(before);
    expect(existsSync(`${t.path}.serve.lock`)).toBe(false);
    expect(readdirSync(elsewhere)).toEqual(['to-sub']);
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it.each(commands)('%s with --db a symlink never writes the write-ahead log or temporary folder of either spelling (recheck 12, N1)', async (_name, args) => {
    const before = digest(t.path);
    const linked = join(t.dir, `db-link-${args[0]}.duckdb`);
    if (!existsSync(linked)) symlinkSync(t.path, linked);
    for (const [db, out] of [
      [linked, `${t.path}.wal`],
      [linked, `${t.path}.tmp`],
      [linked, `${linked}.wal`],
    ] as const) {
      const e = (await runCli(db, ...args, '--out', out, '--force').catch((x: unknown) => x)) as { code: string };
      expect(e.code, `${db} → ${out}`).toBe('out_is_database');
    }
    expect(digest(t.path)).toBe(before);
  });

  it.each(commands)('%s that fails leaves an existing --out byte for byte, with --force too (trial 12, M2)', async (_name, args) => {
    const file = join(t.dir, `kept-${args[0]}-${args[1]}.out`);
    writeFileSync(file, 'my precious report\n');
    const failing = [args[0]!, args[1]!, 'no-such-thing'];
    for (const force of [[], ['--force']]) {
      await expect(runCli(t.path, ...failing, '--out', file, ...force)).rejects.toMatchObject({ code: expect.stringMatching(/not_found|file_exists/) });
      expect(readFileSync(file, 'utf8')).toBe('my precious report\n');
    }
    expect(others(t.dir, readdirSync(t.dir).filter((f) => !f.includes('.segmint-')))).toEqual([]);
  });

  it('customers export replaces a 0644 file with a 0600 one (trial 12, L6) and names a folder in a sentence (C8)', async () => {
    const file = join(t.dir, 'subject-old.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    chmodSync(file, 0o644);
    await runCli(t.path, 'customers', 'export', 'jane@example.com', '--out', file, '--force');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const e = (await runCli(t.path, 'customers', 'export', 'jane@example.com', '--out', t.dir).catch((x: unknown) => x)) as { code: string; message: string };
    expect(e).toMatchObject({ code: 'is_a_folder' });
    expect(e.message).toBe(`Cannot write the export ${t.dir}: it is a folder; give the name of a file inside it.`);
  });
});
