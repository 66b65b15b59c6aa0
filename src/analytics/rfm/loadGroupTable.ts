import { readUserFile } from '../../domain/system-errors.js';
import { z } from 'zod';
import { SegmintError } from '../../domain/errors.js';
import type { Bins, RfmGroupTable } from './groups.js';

const score = z.number().int();
const fileSchema = z.object({
  bins: z.union([z.literal(3), z.literal(5)]),
  groups: z
    .array(
      z.object({
        name: z.string().trim().min(1),
        action: z.string().default(''),
        r: z.array(score).min(1),
        fm: z.array(score).min(1),
      }),
    )
    .min(1),
});

/**
 * Reads a group table from a JSON file (`--groups FILE`), e.g.
 * `{"bins": 5, "groups": [{"name": "Champions", "action": "reward", "r": [5], "fm": [4, 5]}, ...]}`.
 * The table must cover every (R, FM) cell exactly once, so each scored customer lands in one group.
 */
export function loadGroupTable(file: string, bins: Bins): RfmGroupTable {
  const text = readUserFile(file, 'the RFM group table (--groups)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SegmintError('groups_file_invalid', `The RFM group table ${file} is not JSON: ${(e as Error).message}`, { file });
  }
  return parseGroupTable(raw, file, bins);
}

export function parseGroupTable(raw: unknown, file: string, bins: Bins): RfmGroupTable {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new SegmintError('groups_file_invalid', `${file}: ${where}: ${issue.message}`, { file, path: issue.path });
  }
  const table = parsed.data;
  if (table.bins !== bins) {
    throw new SegmintError(
      'groups_file_invalid',
      `${file}: bins: the table is for ${table.bins} bins but scoring uses ${bins} (pass --bins ${table.bins})`,
      { file, path: ['bins'] },
    );
  }
  const owner = new Map<string, string>();
  table.groups.forEach((g, i) => {
    for (const [key, list] of [['r', g.r], ['fm', g.fm]] as const) {
      const bad = list.find((s) => s < 1 || s > bins);
      if (bad !== undefined) {
        throw new SegmintError('groups_file_invalid', `${file}: groups.${i}.${key}: score ${bad} is outside 1..${bins}`, {
          file,
          path: ['groups', i, key],
        });
      }
    }
    for (const r of g.r) {
      for (const fm of g.fm) {
        const cell = `R ${r}, FM ${fm}`;
        const prev = owner.get(cell);
        if (prev !== undefined) {
          throw new SegmintError('groups_file_invalid', `${file}: groups.${i}: ${cell} is already in group "${prev}"`, {
            file,
            path: ['groups', i],
          });
        }
        owner.set(cell, g.name);
      }
    }
  });
  for (let r = 1; r <= bins; r++) {
    for (let fm = 1; fm <= bins; fm++) {
      if (!owner.has(`R ${r}, FM ${fm}`)) {
        throw new SegmintError('groups_file_invalid', `${file}: groups: no group covers R ${r}, FM ${fm}`, { file, path: ['groups'] });
      }
    }
  }
  return { bins: table.bins, groups: table.groups };
}
