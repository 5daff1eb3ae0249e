import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Setting } from '../src/api/types';
import { CronField, KeeperRuleList } from '../src/settings/SettingFields';
import {
  changesOf,
  draftProblems,
  moveRule,
  nextRuns,
  problemWith,
  serverProblems,
  toggleRule,
} from '../src/settings/settings-draft';

afterEach(cleanup);

const rulesInput = {
  kind: 'keeper-rules' as const,
  allowed: ['in-album', 'resolution', 'sharpness', 'file-size'] as never[],
  descriptions: {
    'in-album': 'a copy in an album',
    resolution: 'more pixels',
    sharpness: 'the sharper one',
    'file-size': 'the larger file',
  } as never,
};
const threshold: Setting = {
  key: 'DUPLICATE_THRESHOLD',
  group: 'duplicates',
  label: 'Duplicate threshold',
  description: '',
  input: { kind: 'number', min: 50, max: 100, integer: true, unit: '%' },
  value: 95,
  default: 95,
  source: 'environment',
  updatedAt: null,
  updatedBy: null,
};
const rules: Setting = { ...threshold, key: 'NEAR_KEEPER_RULES', input: rulesInput, value: ['resolution'] };

describe('keeper rule order', () => {
  it('moves a rule up or down, and never past either end', () => {
    expect(moveRule(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('switches a rule off, and back on as the last tie-breaker', () => {
    expect(toggleRule(['a', 'b', 'c'], 'b')).toEqual(['a', 'c']);
    expect(toggleRule(['a', 'c'], 'b')).toEqual(['a', 'c', 'b']);
  });

  it('reorders and toggles with keyboard-reachable buttons and checkboxes', () => {
    const onChange = vi.fn();
    render(
      <KeeperRuleList
        label="Near duplicates"
        input={rulesInput}
        rules={['resolution', 'sharpness', 'in-album']}
        readOnly={false}
        onChange={onChange}
      />,
    );
    const up = screen.getByRole('button', { name: 'Move sharpness up' });
    expect(up.tagName).toBe('BUTTON');
    fireEvent.click(up);
    expect(onChange).toHaveBeenLastCalledWith(['sharpness', 'resolution', 'in-album']);
    const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
    expect(button('Move resolution up').disabled).toBe(true);
    expect(button('Move in-album down').disabled).toBe(true);
    expect(button('Move resolution down').disabled).toBe(false);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Use sharpness' }));
    expect(onChange).toHaveBeenLastCalledWith(['resolution', 'in-album']);
    // The unused rule is offered, switched off.
    const unused = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Use file-size' });
    expect(unused.checked).toBe(false);
    fireEvent.click(unused);
    expect(onChange).toHaveBeenLastCalledWith(['resolution', 'sharpness', 'in-album', 'file-size']);
  });

  it('shows the order without controls to a reader', () => {
    render(
      <KeeperRuleList label="Near" input={rulesInput} rules={['resolution']} readOnly onChange={vi.fn()} />,
    );
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByText('more pixels')).toBeTruthy();
  });
});

describe('checking a value before it is sent', () => {
  it('refuses numbers outside the range, fractions of whole numbers and empty boxes', () => {
    expect(problemWith(threshold.input, 101)).toBe('Enter a value from 50 to 100.');
    expect(problemWith(threshold.input, '97.5')).toBe('Enter a whole number.');
    expect(problemWith(threshold.input, '')).toBe('Enter a value.');
    expect(problemWith(threshold.input, '90')).toBeNull();
  });

  it('refuses unknown or repeated keeper rules', () => {
    expect(problemWith(rulesInput, ['resolution', 'prettiest'])).toBe('Unknown rule: prettiest.');
    expect(problemWith(rulesInput, ['resolution', 'resolution'])).toBe('A rule may appear only once.');
    expect(problemWith(rulesInput, [])).toBeNull();
  });

  it('refuses cron expressions without 5 valid fields', () => {
    expect(problemWith({ kind: 'cron' }, '0 3 * * * *')).toMatch(/5 fields/);
    expect(problemWith({ kind: 'cron' }, '61 3 * * *')).toMatch(/Not a valid cron/);
    expect(problemWith({ kind: 'cron' }, '30 3 * * 1-5')).toBeNull();
  });

  it('sends only what changed, numbers as numbers', () => {
    const draft = { DUPLICATE_THRESHOLD: '90', NEAR_KEEPER_RULES: ['resolution'] };
    expect(changesOf([threshold, rules], draft)).toEqual({ DUPLICATE_THRESHOLD: 90 });
    expect(draftProblems([threshold, rules], { DUPLICATE_THRESHOLD: '40' })).toEqual({
      DUPLICATE_THRESHOLD: 'Enter a value from 50 to 100.',
    });
  });

  it("maps the server's per-field problems to setting keys", () => {
    expect(serverProblems([{ path: 'body/SIMILAR_THRESHOLD', message: 'too high' }])).toEqual({
      SIMILAR_THRESHOLD: 'too high',
    });
  });
});

describe('cron preview', () => {
  it('lists the next runs of a valid expression, none of an invalid one', () => {
    const from = new Date(2026, 0, 5, 12, 0); // a Monday, local time
    const runs = nextRuns('15 4 * * 1', 2, from);
    expect(runs.map((d) => [d.getDay(), d.getHours(), d.getMinutes(), d.getDate()])).toEqual([
      [1, 4, 15, 12],
      [1, 4, 15, 19],
    ]);
    expect(nextRuns('nonsense', 2, from)).toEqual([]);
  });

  it('shows the preview beside the input and reports edits', () => {
    const onChange = vi.fn();
    render(<CronField id="c" value="0 3 * * *" readOnly={false} describedBy="h" onChange={onChange} />);
    expect(screen.getByText(/^Next: /)).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '0 4 * * *' } });
    expect(onChange).toHaveBeenCalledWith('0 4 * * *');
  });
});
