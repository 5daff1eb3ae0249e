import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../api/client';
import type { Setting } from '../api/types';
import { useCurrentUser } from '../auth/session';
import { ErrorBox, Loading } from '../ui/components';
import { CronField, KeeperRuleList, NumberField, SourceBadge, displayValue } from './SettingFields';
import { changesOf, draftProblems, serverProblems } from './settings-draft';

const GROUPS: { id: Setting['group']; title: string; hint: string }[] = [
  {
    id: 'duplicates',
    title: 'Duplicate detection',
    hint: 'A change re-checks every picture pair at the next analysis (from stored signatures, no file is read).',
  },
  { id: 'keeper-rules', title: 'Keeper rules', hint: 'Which copy a group recommends keeping.' },
  { id: 'schedules', title: 'Schedules', hint: 'Cron times in the server’s time zone.' },
  {
    id: 'trash',
    title: 'Trash',
    hint: 'Removed files stay in the trash this long; nothing else deletes files.',
  },
  {
    id: 'insights',
    title: 'Insights',
    hint: 'Versions, bursts and places; a change re-analyses every library.',
  },
];

/** One setting: label, source, description, the input of its kind, its problem and reset. */
function SettingRow(props: {
  setting: Setting;
  value: unknown;
  readOnly: boolean;
  problem: string | undefined;
  resetting: boolean;
  onChange: (value: unknown) => void;
  onReset: () => void;
}) {
  const { setting: s } = props;
  const id = `setting-${s.key}`;
  const describedBy = `${id}-help${props.problem ? ` ${id}-problem` : ''}`;
  return (
    <div className="setting" data-key={s.key} data-source={s.source}>
      <div className="setting-head">
        {s.input.kind === 'keeper-rules' || props.readOnly ? (
          <span className="setting-label">{s.label}</span>
        ) : (
          <label htmlFor={id} className="setting-label">
            {s.label}
          </label>
        )}
        <SourceBadge setting={s} />
        {s.source === 'stored' && !props.readOnly ? (
          <button type="button" disabled={props.resetting} onClick={props.onReset}>
            Reset to default
          </button>
        ) : null}
      </div>
      <p id={`${id}-help`} className="muted">
        {s.description} Default: {displayValue(s.input, s.default)}.
      </p>
      {s.input.kind === 'keeper-rules' ? (
        <KeeperRuleList
          label={s.label}
          input={s.input}
          rules={Array.isArray(props.value) ? props.value.map(String) : []}
          readOnly={props.readOnly}
          onChange={props.onChange}
        />
      ) : s.input.kind === 'cron' ? (
        <CronField
          id={id}
          value={String(props.value)}
          readOnly={props.readOnly}
          describedBy={describedBy}
          onChange={props.onChange}
        />
      ) : props.readOnly ? (
        <p id={id}>{displayValue(s.input, props.value)}</p>
      ) : (
        <NumberField
          id={id}
          label={s.label}
          input={s.input}
          value={props.value}
          describedBy={describedBy}
          onChange={props.onChange}
        />
      )}
      {props.problem ? (
        <p id={`${id}-problem`} className="form-error" role="alert">
          {props.problem}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Thresholds, keeper rules, schedules, trash retention and insight windows, as the server holds
 * them: an administrator edits and saves (all or nothing), everyone else reads.
 */
export function RuntimeSettingsEditor() {
  const client = useQueryClient();
  const user = useCurrentUser();
  const readOnly = user?.role !== 'admin';
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.settings.get(), retry: false });
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [saved, setSaved] = useState(false);
  const stored = (res: { items: Setting[] }) => {
    client.setQueryData(['settings'], res);
    // Each change wrote an audit entry.
    void client.invalidateQueries({ queryKey: ['audit'] });
    setSaved(true);
  };
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.settings.put(body),
    onSuccess: (res) => {
      setDraft({});
      stored(res);
    },
  });
  const reset = useMutation({
    mutationFn: (key: string) => api.settings.put({ [key]: null }),
    onSuccess: (res, key) => {
      setDraft(({ [key]: _dropped, ...rest }) => rest);
      stored(res);
    },
  });

  if (settings.isPending) return <Loading what="settings" />;
  if (settings.error) return <ErrorBox error={settings.error} onRetry={() => void settings.refetch()} />;
  const items = settings.data.items;
  const changes = changesOf(items, draft);
  const local = draftProblems(items, draft);
  const failure = save.error ?? reset.error;
  const remote = failure instanceof ApiError ? serverProblems(failure.problem.errors) : {};
  const canSave = Object.keys(changes).length > 0 && Object.keys(local).length === 0 && !save.isPending;
  const edit = (key: string, value: unknown) => {
    setSaved(false);
    save.reset();
    setDraft((d) => ({ ...d, [key]: value }));
  };

  return (
    <form
      className="card settings-form"
      aria-label="Detection and schedules"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) save.mutate(changes);
      }}
    >
      <h2>Detection and schedules</h2>
      {readOnly ? (
        <p className="hint">Only an administrator can change these settings.</p>
      ) : (
        <p className="hint">
          Saved values override the server’s environment configuration and apply to the next run.
        </p>
      )}
      {GROUPS.map((g) => (
        <fieldset key={g.id} className="settings-group">
          <legend>{g.title}</legend>
          <p className="muted">{g.hint}</p>
          {items
            .filter((s) => s.group === g.id)
            .map((s) => (
              <SettingRow
                key={s.key}
                setting={s}
                value={s.key in draft ? draft[s.key] : s.value}
                readOnly={readOnly}
                problem={local[s.key] ?? remote[s.key]}
                resetting={reset.isPending}
                onChange={(v) => edit(s.key, v)}
                onReset={() => reset.mutate(s.key)}
              />
            ))}
        </fieldset>
      ))}
      {readOnly ? null : (
        <div className="row-actions settings-actions">
          <button className="primary" type="submit" disabled={!canSave}>
            {save.isPending ? 'Saving…' : 'Save changes'}
          </button>
          <button
            type="button"
            disabled={Object.keys(draft).length === 0}
            onClick={() => {
              setDraft({});
              save.reset();
            }}
          >
            Discard
          </button>
          {failure && Object.keys(remote).length === 0 ? (
            <span className="form-error" role="alert">
              {errorMessage(failure)}
            </span>
          ) : null}
          {failure && Object.keys(remote).length > 0 ? (
            <span className="form-error" role="alert">
              Not saved: fix the fields marked above.
            </span>
          ) : null}
          {saved && !failure ? (
            <span className="ok-text" role="status">
              Saved.
            </span>
          ) : null}
        </div>
      )}
    </form>
  );
}
