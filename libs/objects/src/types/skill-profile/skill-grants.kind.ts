import { ErrorCode } from '@bulkops/contracts';
import {
  bindOne,
  type ColumnKind,
  compareText,
  ok,
  type Outcome,
  parseBoolean,
  problem,
  quote,
  splitList,
  type TargetRecord,
} from '../declaration-kit';

/** A `Skill:Value` pair as written. */
export interface WrittenGrant {
  skill: string;
  value: string;
}

/** A grant as stored: the skill definition's id and the canonical value. */
export interface StoredGrant {
  id: string;
  value: string;
}

const TARGET = 'skill-definition';

/** Checks a value against the granted skill's type (objects.md §6). */
function grantValue(skill: TargetRecord, value: string, column: string): Outcome<string> {
  const type = skill.values['type'];
  const skillName = quote(skill.keyDisplay);
  switch (type) {
    case 'PROFICIENCY':
      return /^[0-9]+$/.test(value) && Number(value) <= 10
        ? ok(String(Number(value)))
        : problem(
            ErrorCode.InvalidValue,
            column,
            `skill ${skillName} is of type PROFICIENCY, so its value must be a whole number 0-10, not ${quote(value)}`,
          );
    case 'BOOLEAN': {
      const parsed = parseBoolean(value, column);
      return parsed.ok
        ? ok(parsed.value ? 'TRUE' : 'FALSE')
        : problem(
            ErrorCode.InvalidValue,
            column,
            `skill ${skillName} is of type BOOLEAN, so its value must be TRUE or FALSE, not ${quote(value)}`,
          );
    }
    case 'TEXT':
      return value.length <= 100
        ? ok(value)
        : problem(
            ErrorCode.InvalidValue,
            column,
            `skill ${skillName} is of type TEXT, so its value must be 1-100 characters, not ${value.length}`,
          );
    case 'ENUM': {
      const allowed = (skill.values['enumValues'] as string[] | null) ?? [];
      const match = allowed.find((v) => v.toLowerCase() === value.toLowerCase());
      return match
        ? ok(match)
        : problem(
            ErrorCode.InvalidValue,
            column,
            `skill ${skillName} is of type ENUM, so its value must be one of ${allowed.join(', ')}, not ${quote(value)}`,
          );
    }
    default:
      return problem(ErrorCode.InvalidValue, column, `skill ${skillName} has an unknown type`);
  }
}

/**
 * The `Skills` cell of a skill profile: `Skill:Value` pairs separated by '|', at least one. Values
 * are checked against each skill's type once the skills are loaded; only an ENUM skill may repeat.
 * Stored as jsonb `[{id, value}]` ordered by skill name, then value.
 */
export const skillGrants: ColumnKind<WrittenGrant[], StoredGrant[]> = {
  meta: { type: 'list', references: TARGET, format: "Skill:Value pairs separated by '|'" },
  pgType: 'jsonb',
  parse(text, column) {
    const split = splitList(text, column, (item) => item.toLowerCase().replace(/\s*:\s*/, ':'), {
      min: 1,
      max: 1000,
    });
    if (!split.ok) return split;
    const grants: WrittenGrant[] = [];
    for (const item of split.value) {
      const colon = item.indexOf(':');
      const skill = colon < 0 ? '' : item.slice(0, colon).trim();
      const value = colon < 0 ? '' : item.slice(colon + 1).trim();
      if (skill === '' || value === '') {
        return problem(
          ErrorCode.InvalidList,
          column,
          `${quote(item)} is not a Skill:Value pair; write it like 'English:8'`,
        );
      }
      grants.push({ skill, value });
    }
    return ok(grants);
  },
  format: (stored, names) =>
    stored
      .map((g) => ({ skill: names(TARGET, g.id, 'key'), value: g.value }))
      .sort((a, b) => compareText(a.skill, b.skill) || compareText(a.value, b.value))
      .map((g) => `${g.skill}:${g.value}`)
      .join('|'),
  norm: (value) => value.map((g) => `${g.skill}:${g.value}`.toLowerCase()).join('|'),
  fromDb: (db) => db as StoredGrant[],
  reference: {
    target: TARGET,
    uses: [],
    needs: (value) => value.map((g) => ({ written: g.skill, norm: g.skill.toLowerCase() })),
    bind(value, resolve, row, column) {
      const stored: (StoredGrant & { norm: string })[] = [];
      const seenSingle = new Set<string>();
      for (const grant of value) {
        const bound = bindOne(TARGET, grant.skill, {}, resolve, row, column);
        if (!bound.ok) return bound;
        const skill = bound.value;
        const checked = grantValue(skill, grant.value, column);
        if (!checked.ok) return checked;
        if (skill.values['type'] !== 'ENUM') {
          if (seenSingle.has(skill.id)) {
            return problem(
              ErrorCode.InvalidList,
              column,
              `skill ${quote(skill.keyDisplay)} is listed more than once; only an ENUM skill may repeat`,
            );
          }
          seenSingle.add(skill.id);
        } else if (stored.some((s) => s.id === skill.id && s.value === checked.value)) {
          return problem(
            ErrorCode.InvalidList,
            column,
            `${quote(`${skill.keyDisplay}:${checked.value}`)} is listed more than once; list it once`,
          );
        }
        stored.push({ id: skill.id, value: checked.value, norm: skill.keyNorm });
      }
      stored.sort((a, b) => compareText(a.norm, b.norm) || compareText(a.value, b.value));
      return ok(stored.map(({ id, value: v }) => ({ id, value: v })));
    },
    containsSql: (column, id) =>
      `${column} @> jsonb_build_array(jsonb_build_object('id', ${id}::text))`,
    detailsSql: (column) =>
      `SELECT (g->>'id')::uuid AS id, g->>'value' AS detail FROM jsonb_array_elements(${column}) AS g`,
  },
};
