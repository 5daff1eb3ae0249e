import { CronExpressionParser } from 'cron-parser';
import type { Setting } from '../api/types';

/**
 * The settings editor's pure logic: reordering keeper rules, checking a value before it is sent
 * (the server checks again with the configuration's own validators) and the cron preview.
 */

export type SettingInput = Setting['input'];

/** A copy of `list` with the item at `index` moved by `delta` places (clamped to the ends). */
export function moveRule<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, index + delta));
  if (index < 0 || index >= list.length || to === index) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1) as [T];
  next.splice(to, 0, item);
  return next;
}

/** Switches a rule on (appended last: the weakest tie-breaker) or off (removed). */
export function toggleRule(list: readonly string[], rule: string): string[] {
  return list.includes(rule) ? list.filter((r) => r !== rule) : [...list, rule];
}

/** The rules a list does not use, in the catalogue's order. */
export function unusedRules(list: readonly string[], allowed: readonly string[]): string[] {
  return allowed.filter((r) => !list.includes(r));
}

/** What is wrong with `value` for this input, or null when the server should accept it. */
export function problemWith(input: SettingInput, value: unknown): string | null {
  switch (input.kind) {
    case 'number': {
      if (value === '' || value === null || value === undefined) return 'Enter a value.';
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return 'Enter a number.';
      if (input.integer && !Number.isInteger(n)) return 'Enter a whole number.';
      if (n < input.min || n > input.max) return `Enter a value from ${input.min} to ${input.max}.`;
      return null;
    }
    case 'keeper-rules': {
      if (!Array.isArray(value)) return 'Choose an ordered list of rules.';
      const rules = value as unknown[];
      const unknown = rules.filter((r) => typeof r !== 'string' || !input.allowed.includes(r as never));
      if (unknown.length > 0) return `Unknown rule: ${unknown.map(String).join(', ')}.`;
      if (new Set(rules).size !== rules.length) return 'A rule may appear only once.';
      return null;
    }
    case 'cron':
      return typeof value === 'string' ? cronProblem(value) : 'Enter a cron expression.';
  }
}

function cronProblem(expression: string): string | null {
  if (expression.trim().split(/\s+/).length !== 5)
    return 'Use 5 fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *".';
  try {
    CronExpressionParser.parse(expression);
    return null;
  } catch (err) {
    return `Not a valid cron expression${err instanceof Error ? ` (${err.message})` : ''}.`;
  }
}

/** The next `count` times a valid 5-field cron expression fires after `from` (empty when invalid). */
export function nextRuns(expression: string, count: number, from: Date): Date[] {
  if (cronProblem(expression) !== null) return [];
  const it = CronExpressionParser.parse(expression, { currentDate: from });
  return it.take(count).map((d) => d.toDate());
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The PUT body for the edited values that differ from what is in force (numbers as numbers). */
export function changesOf(settings: readonly Setting[], draft: Readonly<Record<string, unknown>>) {
  const body: Record<string, unknown> = {};
  for (const s of settings) {
    if (!(s.key in draft)) continue;
    const raw = draft[s.key];
    const value = s.input.kind === 'number' && typeof raw === 'string' ? Number(raw) : raw;
    if (!same(value, s.value)) body[s.key] = value;
  }
  return body;
}

/** Problems of the edited values, by setting key (empty when all may be sent). */
export function draftProblems(
  settings: readonly Setting[],
  draft: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const s of settings) {
    if (!(s.key in draft)) continue;
    const problem = problemWith(s.input, draft[s.key]);
    if (problem) problems[s.key] = problem;
  }
  return problems;
}

/** The server's per-field problems (`errors[].path` = "body/KEY") by setting key. */
export function serverProblems(errors: readonly { path: string; message: string }[] | undefined) {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const key = e.path.replace(/^body\/?/, '');
    if (key) out[key] = e.message;
  }
  return out;
}
