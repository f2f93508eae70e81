import { type ReactNode, useState } from 'react';
import { ApiError, getApiKey, setApiKey } from '../api/client';
import { ContractError } from '../api/read';

/** Loading indicator announced to screen readers. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** An error with what failed, the server's code and hint, and a retry button. */
export function ErrorBox({ what, error, retry }: { what: string; error: Error; retry?: () => void }) {
  let code: string | null = null;
  let hint: string | null = null;
  if (error instanceof ApiError) {
    code = error.code;
    hint = error.hint;
  } else if (error instanceof ContractError) {
    code = 'UNEXPECTED_RESPONSE';
  }
  return (
    <div className="error" role="alert">
      <strong>Could not load {what}.</strong> {error.message}
      {code ? <code className="code">{code}</code> : null}
      {hint ? <div className="hint">{hint}</div> : null}
      {code?.startsWith('LH_AUTH') ? <ApiKeyForm onSaved={retry} /> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** Asks for the API key the server wants (created with `ledgerhound apikey create NAME`). */
function ApiKeyForm({ onSaved }: { onSaved: (() => void) | undefined }) {
  const [key, setKey] = useState(getApiKey() ?? '');
  return (
    <form
      className="apikey"
      onSubmit={(e) => {
        e.preventDefault();
        setApiKey(key);
        onSaved?.();
      }}
    >
      <label>
        API key <input type="password" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit">Use key</button>
    </form>
  );
}

/** Renders the states of a request: loading, error (with retry), or the content. */
export function Async<T>({
  req,
  what,
  children,
}: {
  req: { state: 'loading' | 'error' | 'ok'; data: T | null; error?: Error; reload: () => void };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (req.state === 'error') return <ErrorBox what={what} error={req.error ?? new Error('unknown error')} retry={req.reload} />;
  if (req.state === 'loading' || req.data === null) return <Loading what={what} />;
  return <>{children(req.data)}</>;
}
