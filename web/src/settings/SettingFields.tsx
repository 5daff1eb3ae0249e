import { useId } from 'react';
import type { Setting } from '../api/types';
import { moveRule, nextRuns, toggleRule, unusedRules, type SettingInput } from './settings-draft';

type NumberInput = Extract<SettingInput, { kind: 'number' }>;
type RulesInput = Extract<SettingInput, { kind: 'keeper-rules' }>;

/** How a value reads in text: "95 %", "30 days", "in-album → oldest-mtime". */
export function displayValue(input: SettingInput, value: unknown): string {
  if (input.kind === 'number') return `${String(value)}${input.unit === '%' ? ' %' : ` ${input.unit}`}`;
  if (input.kind === 'keeper-rules')
    return Array.isArray(value) && value.length > 0 ? value.map(String).join(' → ') : '(none: path order)';
  return String(value);
}

/** A slider and a number box bound to one value, with the range the server allows. */
export function NumberField(props: {
  id: string;
  label: string;
  input: NumberInput;
  value: unknown;
  describedBy: string;
  onChange: (value: string) => void;
}) {
  const { input } = props;
  // A text box may hold "" or "9." while typing: kept as text, turned into a number on save.
  const step = input.integer ? 1 : input.max - input.min > 10 ? 0.5 : 0.05;
  const text = typeof props.value === 'number' || typeof props.value === 'string' ? String(props.value) : '';
  return (
    <div className="setting-number">
      <input
        type="range"
        min={input.min}
        max={input.max}
        step={step}
        value={Number.isFinite(Number(text)) ? Number(text) : input.min}
        aria-label={`${props.label} (slider)`}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        min={input.min}
        max={input.max}
        step={input.integer ? 1 : 'any'}
        value={text}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <span className="muted">
        {input.unit} · {input.min}–{input.max}
      </span>
    </div>
  );
}

/**
 * An ordered list of keeper rules: the first rule that tells two copies apart decides. Rules in
 * use move up and down with buttons (keyboard reachable); a checkbox switches a rule on or off.
 */
export function KeeperRuleList(props: {
  label: string;
  input: RulesInput;
  rules: readonly string[];
  readOnly: boolean;
  onChange: (rules: string[]) => void;
}) {
  const { rules, input } = props;
  const describe = (rule: string) => input.descriptions[rule as keyof RulesInput['descriptions']];
  if (props.readOnly)
    return (
      <ol className="rule-list">
        {rules.map((rule) => (
          <li key={rule}>
            <strong>{rule}</strong> <span className="muted">{describe(rule)}</span>
          </li>
        ))}
      </ol>
    );
  return (
    <div>
      <ol className="rule-list" aria-label={`${props.label}: rules in use, strongest first`}>
        {rules.map((rule, i) => (
          <li key={rule}>
            <label className="check">
              <input
                type="checkbox"
                checked
                onChange={() => props.onChange(toggleRule(rules, rule))}
                aria-label={`Use ${rule}`}
              />
              <strong>{rule}</strong>
            </label>
            <span className="muted rule-description">{describe(rule)}</span>
            <span className="rule-moves">
              <button
                type="button"
                className="icon"
                disabled={i === 0}
                aria-label={`Move ${rule} up`}
                onClick={() => props.onChange(moveRule(rules, i, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon"
                disabled={i === rules.length - 1}
                aria-label={`Move ${rule} down`}
                onClick={() => props.onChange(moveRule(rules, i, 1))}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      {unusedRules(rules, input.allowed).length > 0 ? (
        <ul className="rule-list rule-list-off" aria-label={`${props.label}: rules not in use`}>
          {unusedRules(rules, input.allowed).map((rule) => (
            <li key={rule}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={false}
                  onChange={() => props.onChange(toggleRule(rules, rule))}
                  aria-label={`Use ${rule}`}
                />
                <span>{rule}</span>
              </label>
              <span className="muted rule-description">{describe(rule)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A cron expression with the next times it fires, so "0 3 * * 1" reads as "Monday 03:00". */
export function CronField(props: {
  id: string;
  value: string;
  readOnly: boolean;
  describedBy: string;
  onChange: (value: string) => void;
}) {
  const previewId = useId();
  const runs = nextRuns(props.value, 3, new Date());
  return (
    <div className="setting-cron">
      {props.readOnly ? (
        <code>{props.value}</code>
      ) : (
        <input
          id={props.id}
          value={props.value}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${props.describedBy} ${previewId}`}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <span id={previewId} className="muted" aria-live="polite">
        {runs.length > 0
          ? `Next: ${runs
              .map((d) =>
                d.toLocaleString(undefined, {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                  hour: '2-digit',
                  minute: '2-digit',
                }),
              )
              .join(' · ')}`
          : 'No preview until the expression is valid.'}
      </span>
    </div>
  );
}

/** "changed" when a stored value overrides the environment, else "default". */
export function SourceBadge({ setting }: { setting: Setting }) {
  return setting.source === 'stored' ? (
    <span className="badge badge-yellow" title="Stored in the app; overrides the environment">
      changed
    </span>
  ) : (
    <span className="badge" title="From the server's environment configuration">
      default
    </span>
  );
}
