import type { ComponentChildren } from 'preact';

/** A sentence for the user: an error (read out at once) or information. */
export function Notice({
  tone = 'error',
  children,
}: {
  tone?: 'error' | 'info' | 'ok';
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
