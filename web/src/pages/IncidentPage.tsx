/** An incident: what happened, and the traced flow of the stolen coins (optionally as a saved case). */
import { useMemo, useState } from 'react';
import { hasCases, useCapabilities } from '../api/capabilities';
import { useApi } from '../api/client';
import { type Case, getActor, getCase, getIncident, getIncidentTraceJson, type IncidentSummary, saveCase } from '../api/endpoints';
import { readTrace } from '../api/read';
import type { Policy, Trace } from '../api/types';
import { POLICIES } from '../api/types';
import { Async, ErrorBox, Loading } from '../components/Status';
import { TraceView } from '../components/TraceView';
import { href, setParam } from '../util/route';

export function IncidentPage({ id, params }: { id: string; params: URLSearchParams }) {
  const meta = useApi(`incident|${id}`, (s) => getIncident(id, s));
  return (
    <article className="page incident">
      <Async req={meta} what="the incident">
        {(inc) => (
          <header>
            <h1>{inc.name}</h1>
            <p className="meta">
              {inc.victim ? <>Victim: {inc.victim} · </> : null}
              {inc.date ? <>Date: {inc.date} · </> : null}
              {inc.amount ? <>Stolen: {inc.amount} · </> : null}
              {inc.actor ? (
                <>
                  Attributed to <ActorLink id={inc.actor.id} />
                </>
              ) : (
                'No attribution'
              )}
            </p>
            {inc.description ? <p>{inc.description}</p> : null}
          </header>
        )}
      </Async>
      <IncidentTrace incidentId={id} incident={meta.data} incidentSettled={meta.state !== 'loading'} params={params} saved={null} />
    </article>
  );
}

/** An actor's name linked to its page (the id until the name arrives, or if it cannot be read). */
function ActorLink({ id }: { id: string }) {
  const actor = useApi(`actor|${id}`, (s) => getActor(id, s));
  return <a href={href('actor', id)}>{actor.state === 'ok' ? actor.data.name : id}</a>;
}

/** A saved case: the incident's trace with the investigator's notes. */
export function CasePage({ id, params }: { id: string; params: URLSearchParams }) {
  const req = useApi(`case|${id}`, (s) => getCase(id, s));
  return (
    <article className="page case">
      <Async req={req} what="the case">
        {(c) =>
          c.incidentId === null ? (
            <ErrorBox what="the case's trace" error={new Error(`case ${c.id} is not linked to an incident`)} />
          ) : (
            <>
              <header>
                <h1>Case: {c.title}</h1>
                <p className="meta">
                  Incident <a href={href('incident', c.incidentId)}>{c.incidentId}</a> · saved {c.updatedAt ?? c.createdAt ?? ''}
                </p>
              </header>
              <CaseTrace incidentId={c.incidentId} params={params} saved={c} />
            </>
          )
        }
      </Async>
    </article>
  );
}

function CaseTrace({ incidentId, params, saved }: { incidentId: string; params: URLSearchParams; saved: Case }) {
  const meta = useApi(`incident|${incidentId}`, (s) => getIncident(incidentId, s));
  return <IncidentTrace incidentId={incidentId} incident={meta.data} incidentSettled={meta.state !== 'loading'} params={params} saved={saved} />;
}

/**
 * The trace of an incident under the policy in the URL. The trace request runs in parallel with the
 * incident's (whose address roles colour attacker nodes once it arrives).
 */
function IncidentTrace({
  incidentId,
  incident,
  incidentSettled,
  params,
  saved,
}: {
  incidentId: string;
  incident: IncidentSummary | null;
  /** The incident request finished (either way): draw once, with its roles, instead of twice. */
  incidentSettled: boolean;
  params: URLSearchParams;
  saved: Case | null;
}) {
  const p = params.get('policy');
  const policy: Policy = p && (POLICIES as readonly string[]).includes(p) ? (p as Policy) : (saved?.policy ?? 'haircut');
  const minBtc = Math.max(0, Number(params.get('min')) || 0);
  const hop = params.get('hop');
  const maxHop = hop !== null && Number(hop) > 0 ? Number(hop) : null;
  const rawTrace = useApi(`trace|${incidentId}|${policy}`, (s) => getIncidentTraceJson(incidentId, policy, s));
  const roles = useMemo(() => new Map((incident?.addresses ?? []).map((a) => [a.address, a.role])), [incident]);
  // Read once per document (not per render): a new Trace object resets the graph view.
  const { state: rawState, data: rawData, reload } = rawTrace;
  const rawError = rawTrace.state === 'error' ? rawTrace.error : null;
  const trace = useMemo(():
    | { state: 'loading'; data: Trace | null; reload: () => void }
    | { state: 'error'; error: Error; data: Trace | null; reload: () => void }
    | { state: 'ok'; data: Trace; reload: () => void } => {
    if (rawData === null || !incidentSettled) {
      return rawError !== null ? { state: 'error', error: rawError, data: null, reload } : { state: 'loading', data: null, reload };
    }
    try {
      const data = readTrace(rawData, { roles });
      if (rawError !== null) return { state: 'error', error: rawError, data, reload };
      return rawState === 'ok' ? { state: 'ok', data, reload } : { state: 'loading', data, reload };
    } catch (e) {
      return { state: 'error', error: e instanceof Error ? e : new Error(String(e)), data: null, reload };
    }
  }, [rawState, rawData, rawError, roles, reload, incidentSettled]);
  const [notes, setNotes] = useState<Record<string, string>>(saved?.notes ?? {});
  const [title, setTitle] = useState(saved?.title ?? '');
  const [save, setSave] = useState<{ state: 'idle' | 'saving' | 'saved' } | { state: 'error'; error: Error }>({ state: 'idle' });

  function onNote(nodeId: string, text: string) {
    setNotes((n) => {
      const next = { ...n };
      if (text === '') delete next[nodeId];
      else next[nodeId] = text;
      return next;
    });
    setSave({ state: 'idle' });
  }

  async function onSave() {
    setSave({ state: 'saving' });
    try {
      const c = await saveCase({ ...(saved ? { id: saved.id } : {}), title: title.trim() || `Case for incident ${incidentId}`, incidentId, policy, notes });
      setSave({ state: 'saved' });
      if (!saved) window.location.hash = href('case', c.id);
    } catch (e) {
      setSave({ state: 'error', error: e instanceof Error ? e : new Error(String(e)) });
    }
  }

  const caps = useCapabilities();
  const caseControls = !hasCases(caps) ? (
    <p className="muted case-off">{caps === null ? '' : 'Saving cases needs a server with the /v1/cases routes; notes last until the page is closed.'}</p>
  ) : (
    <form
      className="case-save"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
    >
      <fieldset>
        <legend>Case</legend>
        <label>
          Title <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={`Incident ${incidentId}`} maxLength={200} />
        </label>
        <button type="submit" disabled={save.state === 'saving'}>
          {saved ? 'Save case' : 'Save as case'}
        </button>
        <span role="status">{save.state === 'saving' ? 'Saving…' : save.state === 'saved' ? 'Saved.' : ''}</span>
      </fieldset>
      {save.state === 'error' ? <ErrorBox what="(saving) the case" error={save.error} retry={() => void onSave()} /> : null}
    </form>
  );

  if (trace.data === null) {
    if (trace.state === 'error') return <ErrorBox what="the trace" error={trace.error} retry={trace.reload} />;
    return <Loading what="the trace" />;
  }
  return (
    <>
      {trace.state === 'error' ? <ErrorBox what={`the ${policy} trace`} error={trace.error} retry={trace.reload} /> : null}
      <TraceView
        trace={trace.data}
        policy={policy}
        onPolicy={(np) => setParam('policy', np)}
        switching={trace.state === 'loading'}
        notes={notes}
        onNote={onNote}
        actions={caseControls}
        minBtc={minBtc}
        maxHop={maxHop}
        onFilter={(m, h) => {
          setParam('min', m > 0 ? String(m) : null);
          setParam('hop', h === null ? null : String(h));
        }}
      />
    </>
  );
}
