import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote, type Outcome } from '../row-problem';
import type { ColumnKind, TargetRecord } from './kind';
import { compareText, sortList, splitList } from './list.kind';
import { bindOne } from './reference.kind';

/** One distribution group: how long a contact waits before the group is offered it, and its teams. */
export interface DistributionGroup {
  /** Seconds; 0 for the first group. */
  after: number;
  /** Team references as written (parsed) or team ids (stored). */
  teams: string[];
}

const TARGET = 'team';
const MAX_GROUPS = 10;
const MAX_SECONDS = 604_800;

function groupTime(
  part: string,
  index: number,
  previous: number,
  column: string,
): Outcome<{ after: number; body: string }> {
  const colon = part.indexOf(':');
  const number = index + 1;
  if (index === 0) {
    return colon < 0
      ? ok({ after: 0, body: part })
      : problem(
          ErrorCode.InvalidValue,
          column,
          `the first group ${quote(part)} cannot start with a time, because it is offered the contact at once; remove ${quote(part.slice(0, colon + 1))}`,
        );
  }
  if (colon < 0) {
    return problem(
      ErrorCode.InvalidValue,
      column,
      `group ${number} ${quote(part)} has no time; start every group after the first with <seconds>:, e.g. ${quote(`60:${part}`)}`,
    );
  }
  const time = part.slice(0, colon).trim();
  if (!/^[0-9]+$/.test(time)) {
    return problem(
      ErrorCode.InvalidValue,
      column,
      `group ${number} time ${quote(time)} is not a whole number; write the seconds as digits, 1–${MAX_SECONDS}`,
    );
  }
  const after = Number(time);
  if (after < 1 || after > MAX_SECONDS) {
    return problem(
      ErrorCode.InvalidValue,
      column,
      `group ${number} time ${quote(time)} is out of range; use 1–${MAX_SECONDS} seconds`,
    );
  }
  if (after <= previous) {
    return problem(
      ErrorCode.InvalidValue,
      column,
      `group ${number} starts after ${after} seconds, which is not later than group ${index} (${previous}); make the times increase from group to group`,
    );
  }
  return ok({ after, body: part.slice(colon + 1).trim() });
}

/**
 * The `Call Distribution` cell of queues and outdial queues (objects.md §9): groups separated by
 * ';', each a '|' list of team references; every group after the first starts with `<seconds>:`,
 * times strictly increase, at most 10 groups, and a team appears once in the whole cell. Stored as
 * jsonb `[{after, teams: [id…]}]`: groups in the written order (the order is the routing), teams of
 * a group ordered by key so that equal cells compare equal.
 */
export const callDistribution: ColumnKind<DistributionGroup[], DistributionGroup[]> = {
  meta: {
    type: 'list',
    references: TARGET,
    format:
      "groups separated by ';' of team references separated by '|'; groups after the first start with <seconds>:",
  },
  pgType: 'jsonb',
  parse(text, column) {
    const parts = text.split(';').map((part) => part.trim());
    if (parts.length > MAX_GROUPS) {
      return problem(
        ErrorCode.InvalidList,
        column,
        `has ${parts.length} groups; the limit is ${MAX_GROUPS}, so merge some groups`,
      );
    }
    const groups: DistributionGroup[] = [];
    const seen = new Map<string, number>();
    let previous = 0;
    for (const [index, part] of parts.entries()) {
      if (part === '') {
        return problem(
          ErrorCode.InvalidList,
          column,
          `group ${index + 1} is empty; remove the extra ';'`,
        );
      }
      const timed = groupTime(part, index, previous, column);
      if (!timed.ok) return timed;
      if (timed.value.body === '') {
        return problem(
          ErrorCode.InvalidList,
          column,
          `group ${index + 1} ${quote(part)} names no team; list at least one team after the time`,
        );
      }
      const split = splitList(timed.value.body, column, (item) => item.toLowerCase(), {});
      if (!split.ok) return split;
      for (const team of split.value) {
        const earlier = seen.get(team.toLowerCase());
        if (earlier !== undefined) {
          return problem(
            ErrorCode.InvalidList,
            column,
            `team ${quote(team)} is in group ${earlier} and again in group ${index + 1}; list each team once`,
          );
        }
        if (team.length > 161)
          return problem(
            ErrorCode.InvalidValue,
            column,
            `${quote(team)} is too long for a team reference`,
          );
        seen.set(team.toLowerCase(), index + 1);
      }
      groups.push({ after: timed.value.after, teams: split.value });
      previous = timed.value.after;
    }
    return ok(groups);
  },
  format: (stored, names) =>
    stored
      .map((group, index) => {
        const teams = sortList(
          group.teams.map((id) => names(TARGET, id, 'key')),
          compareText,
        ).join('|');
        return index === 0 ? teams : `${group.after}:${teams}`;
      })
      .join(';'),
  norm: (value) =>
    value
      .map((group) => `${group.after}:${group.teams.map((t) => t.toLowerCase()).join('|')}`)
      .join(';'),
  fromDb: (db) => db as DistributionGroup[],
  reference: {
    target: TARGET,
    uses: [],
    needs: (value) =>
      value.flatMap((group) =>
        group.teams.map((written) => ({ written, norm: written.toLowerCase() })),
      ),
    bind(value, resolve, row, column) {
      const stored: DistributionGroup[] = [];
      const placed = new Map<string, string>();
      for (const group of value) {
        const found: TargetRecord[] = [];
        for (const written of group.teams) {
          const bound = bindOne(TARGET, written, {}, resolve, row, column);
          if (!bound.ok) return bound;
          const earlier = placed.get(bound.value.id);
          if (earlier !== undefined) {
            return problem(
              ErrorCode.InvalidList,
              column,
              `${quote(earlier)} and ${quote(written)} are the same team ${quote(bound.value.keyDisplay)}; list each team once`,
            );
          }
          placed.set(bound.value.id, written);
          found.push(bound.value);
        }
        sortList(found, (a, b) => compareText(a.keyNorm, b.keyNorm));
        stored.push({ after: group.after, teams: found.map((team) => team.id) });
      }
      return ok(stored);
    },
    containsSql: (column, id) =>
      `${column} @> jsonb_build_array(jsonb_build_object('teams', jsonb_build_array(${id}::text)))`,
  },
};
