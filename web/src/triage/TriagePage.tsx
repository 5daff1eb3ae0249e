import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReadOnlyNote, usePermissions } from '../auth/permissions';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, errorMessage } from '../api/client';
import type { TriageCategory } from '../api/types';
import { ConfidenceBadge, ConfirmDialog, EmptyState, ErrorBox, Loading, PageHeader } from '../ui/components';
import { formatBytes, plural } from '../ui/format';
import { autoFixPlan, categoryLinks, categoryTitles } from './triage-plan';

function CategoryCard({ c }: { c: TriageCategory }) {
  return (
    <Link href={categoryLinks[c.key]} className={`triage-card conf-${c.confidence}`} data-category={c.key}>
      <div className="triage-card-top">
        <h2>{categoryTitles[c.key]}</h2>
        <ConfidenceBadge confidence={c.confidence} />
      </div>
      <div className="triage-count">{c.itemCount.toLocaleString()}</div>
      <div className="muted">
        {c.bytesSaved > 0 ? `${formatBytes(c.bytesSaved)} to save` : 'no space to save'}
      </div>
      <p className="triage-reco">{c.recommendation}</p>
      <span className="link-like">Review →</span>
    </Link>
  );
}

export default function TriagePage() {
  const client = useQueryClient();
  const summary = useQuery({ queryKey: ['triage'], queryFn: () => api.triage.summary() });
  const [confirming, setConfirming] = useState(false);
  const [recorded, setRecorded] = useState<{ decisions: number; immichJobs: number } | null>(null);
  const plan = autoFixPlan(summary.data?.categories ?? []);
  const autoFix = useMutation({
    mutationFn: async () => {
      const n = { decisions: 0, immichJobs: 0 };
      for (const c of plan.categories) {
        const r = await api.triage.accept(c.key);
        n.decisions += r.recorded;
        n.immichJobs += r.immichJobIds.length;
      }
      return n;
    },
    onSuccess: (n) => {
      setRecorded(n);
      setConfirming(false);
      void client.invalidateQueries({ queryKey: ['triage'] });
    },
  });

  const perm = usePermissions();
  return (
    <div>
      <PageHeader title="Triage">
        {perm.known && perm.canEdit ? (
          <button
            type="button"
            className="primary"
            disabled={plan.categories.length === 0}
            onClick={() => setConfirming(true)}
            title={
              plan.categories.length === 0 ? 'Nothing is safe to fix automatically right now' : undefined
            }
          >
            Auto-fix all green
          </button>
        ) : null}
      </PageHeader>
      {perm.known && !perm.canEdit ? <ReadOnlyNote what="not fix or remove anything" /> : null}
      {recorded !== null ? (
        <p className="ok-box" role="status">
          Applied {plural(recorded.decisions, 'decision')}. Files removed are moving to the library’s trash
          (see Jobs for progress); nothing is deleted, and Trash restores them.
          {recorded.immichJobs > 0
            ? ` Stacks and albums are being written to Immich (${plural(recorded.immichJobs, 'job')} in Jobs; each can be undone).`
            : ''}
        </p>
      ) : null}
      {summary.isPending ? <Loading what="triage" /> : null}
      {summary.error ? <ErrorBox error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      {summary.data && summary.data.categories.every((c) => c.itemCount === 0) ? (
        <EmptyState title="Nothing to triage">
          <p>
            No duplicates, bursts or low-quality shots were found. Add or rescan a library in{' '}
            <Link href="/libraries">Libraries</Link>; results appear here after the scan.
          </p>
        </EmptyState>
      ) : null}
      <div className="triage-grid">
        {summary.data?.categories.map((c) => (
          <CategoryCard key={c.key} c={c} />
        ))}
      </div>
      {confirming ? (
        <ConfirmDialog
          title="Auto-fix all green categories?"
          confirmLabel={`Fix ${plural(plan.itemCount, 'item')}`}
          busy={autoFix.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => autoFix.mutate()}
        >
          <p>
            This applies the recommended decision to every item of each category marked “safe to auto-fix”:
          </p>
          <ul>
            {plan.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          <p>
            In total {plural(plan.itemCount, 'item')}
            {plan.bytesSaved > 0 ? `, freeing ${formatBytes(plan.bytesSaved)}` : ''}. Files chosen for removal
            are moved to the library’s trash right away, never deleted: you can restore them from Trash until
            it is purged. Yellow and orange categories are left for you to review.
          </p>
          {autoFix.error ? <p className="form-error">{errorMessage(autoFix.error)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
