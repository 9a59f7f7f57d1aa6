import type { StateUpdater } from 'preact/hooks';

/**
 * Previous/next over a keyset-paged list: `cursors[i]` loads page i (null: the first), so going
 * back pops and going on pushes the page's nextCursor.
 */
export function Pager({
  label,
  cursors,
  setCursors,
  nextCursor,
  labels = ['Previous', 'Next'],
}: {
  label: string;
  cursors: (string | null)[];
  setCursors: (update: StateUpdater<(string | null)[]>) => void;
  nextCursor: string | null | undefined;
  labels?: [string, string];
}) {
  return (
    <nav class="pager" aria-label={label}>
      <button
        type="button"
        class="button"
        disabled={cursors.length < 2}
        onClick={() => setCursors((c) => c.slice(0, -1))}
      >
        {labels[0]}
      </button>
      <span>Page {cursors.length}</span>
      <button
        type="button"
        class="button"
        disabled={!nextCursor}
        onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
      >
        {labels[1]}
      </button>
    </nav>
  );
}
