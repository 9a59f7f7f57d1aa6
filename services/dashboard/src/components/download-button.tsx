import { useState } from 'preact/hooks';
import { ApiError, download } from '../lib/api';

/** A button that downloads an API file with the token in the header, and says how it went. */
export function DownloadButton({
  path,
  fileName,
  label,
  class: className = 'button',
}: {
  path: string;
  fileName: string;
  label: string;
  class?: string;
}) {
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({
    busy: false,
    message: null,
  });
  const run = async () => {
    setState({ busy: true, message: null });
    try {
      const name = await download(path, fileName);
      setState({ busy: false, message: `Downloaded ${name}.` });
    } catch (error) {
      setState({
        busy: false,
        message: error instanceof ApiError ? error.message : 'The download failed; try again.',
      });
    }
  };
  return (
    <span class="download">
      <button type="button" class={className} onClick={() => void run()} disabled={state.busy}>
        {state.busy ? 'Downloading…' : label}
      </button>
      {state.message && (
        <span class="download__message" role="status">
          {state.message}
        </span>
      )}
    </span>
  );
}
