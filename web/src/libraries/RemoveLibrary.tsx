import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { Library } from '../api/types';
import { ConfirmDialog } from '../ui/components';

/**
 * "Remove library…": after a confirmation that says what happens — photo-sync forgets the folder
 * and its index, and touches nothing on disk. Only its owner is offered it (the server checks too).
 */
export function RemoveLibraryButton({ library }: { library: Library }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.libraries.remove(library.id),
    onSuccess: () => {
      setAsking(false);
      void client.invalidateQueries({ queryKey: ['libraries'] });
      void client.invalidateQueries({ queryKey: ['assets'] });
      void client.invalidateQueries({ queryKey: ['triage'] });
    },
  });
  if (library.role !== 'owner') return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Remove library…
      </button>
      {asking ? (
        <ConfirmDialog
          title={`Remove the library “${library.name}”?`}
          confirmLabel="Remove library"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setAsking(false)}
        >
          <p>
            photo-sync stops watching {library.roots.length === 1 ? 'this folder' : 'these folders'} and
            forgets its index: the photos leave the timeline, with their duplicate groups, albums entries and
            decisions.
          </p>
          <p>
            <strong>Nothing on disk is touched</strong>: every file in{' '}
            {library.roots.map((r) => (
              <code key={r}>{r} </code>
            ))}
            stays where it is. You can add the folder again later (it is scanned anew).
          </p>
          {remove.error ? (
            <p className="form-error" role="alert">
              {errorMessage(remove.error)}
            </p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
