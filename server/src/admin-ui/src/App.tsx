import { Button } from '@zendeskgarden/react-buttons'
import { useEffect, useState } from 'react'
import styled from 'styled-components'
import { ApiError, del, get, setCsrfToken } from './api'
import { AttentionBanner, useAttention } from './components/AttentionBanner'
import type { Session } from '@psa-link/shared/admin-api'
import { AccountView } from './views/AccountView'
import { AlertsView } from './views/AlertsView'
import { AuditView, UsersView } from './views/AuditView'
import { BackfillView } from './views/BackfillView'
import { ConnectionEditor, ConnectionsView } from './views/ConnectionsView'
import { FirstAdminSetup } from './views/FirstAdminSetup'
import { HomeView } from './views/HomeView'
import { InboxView } from './views/InboxView'
import { MonitorView } from './views/MonitorView'
import { NeedsActionView } from './views/NeedsActionView'
import { ChangePassword, SignIn } from './views/SignIn'
import { TimelineView } from './views/TimelineView'
import { ZendeskView } from './views/ZendeskView'

const Shell = styled.div`
  display: grid;
  grid-template-columns: 220px 1fr;
  min-height: 100vh;
  font-family:
    system-ui,
    -apple-system,
    'Segoe UI',
    sans-serif;
`
const Nav = styled.nav`
  background: #03363d;
  color: #fff;
  padding: 20px 16px;
  a {
    display: block;
    color: #d1e8df;
    padding: 6px 0;
    text-decoration: none;
  }
  a[aria-current='page'] {
    color: #fff;
    font-weight: 600;
  }
`
const Main = styled.main`
  padding: 24px 32px;
  max-width: 1100px;
`

function useHash(): [string, URLSearchParams] {
  const read = () => window.location.hash.replace(/^#/, '') || '/home'
  const [hash, setHash] = useState(read)
  useEffect(() => {
    const onChange = () => setHash(read())
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  const [path, search] = hash.split('?')
  return [path ?? '/home', new URLSearchParams(search ?? '')]
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const [setup, setSetup] = useState({ needed: false, sandbox: false })
  const [path, query] = useHash()
  const attention = useAttention(Boolean(session && !session.mustChangePassword))
  const load = async () => {
    try {
      const loaded = await get<Session>('/session')
      setCsrfToken(loaded.csrfToken)
      setSession(loaded)
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error
      // Nobody signed in: a new installation offers its first-admin setup before the sign-in.
      setSetup(await get<{ needed: boolean; sandbox: boolean }>('/setup'))
      setSession(null)
    }
  }
  useEffect(() => {
    void load()
  }, [])

  if (session === undefined) return <Main>Loading…</Main>
  if (session === null && setup.needed && (path === '/setup' || (!setup.sandbox && path !== '/sign-in'))) {
    return (
      <Main>
        <FirstAdminSetup onDone={load} onSignIn={() => (window.location.hash = '/sign-in')} />
      </Main>
    )
  }
  if (session === null)
    return (
      <Main>
        <SignIn onSignedIn={load} setupLink={setup.needed} query={query} />
      </Main>
    )
  if (session.mustChangePassword)
    return (
      <Main>
        <ChangePassword forced onChanged={load} />
      </Main>
    )

  const accountWide = session.connectionId === null
  const links: Array<[string, string]> = [
    ['/home', 'Home'],
    ['/monitor', 'Monitor'],
    ...(accountWide
      ? ([['/needs-action', attention && attention.clusterIdsWaiting > 0 ? `Needs action (${attention.clusterIdsWaiting})` : 'Needs action']] as Array<
          [string, string]
        >)
      : []),
    ['/inbox', attention && attention.openProblems > 0 ? `Error inbox (${attention.openProblems})` : 'Error inbox'],
    ['/timeline', 'Ticket timeline'],
    ['/connections', 'Autotask connections'],
    ...(accountWide
      ? ([
          ['/zendesk', 'Zendesk'],
          ['/backfill', 'Backfill'],
          ['/alerts', 'Alerts'],
          ['/users', 'Admin logins'],
        ] as Array<[string, string]>)
      : []),
    ['/audit', 'Audit log'],
    ...(accountWide ? ([['/account', 'Account']] as Array<[string, string]>) : []),
    ['/password', 'Change password'],
  ]
  const connectionMatch = /^\/connections\/(\d+)$/.exec(path)
  let view
  if (connectionMatch) view = <ConnectionEditor id={Number(connectionMatch[1])} />
  else if (path === '/inbox') view = <InboxView />
  else if (path === '/needs-action' && accountWide) view = <NeedsActionView />
  else if (path === '/timeline') view = <TimelineView query={query} />
  else if (path === '/connections') view = <ConnectionsView session={session} />
  else if (path === '/zendesk' && accountWide) view = <ZendeskView query={query} />
  else if (path === '/backfill' && accountWide) view = <BackfillView />
  else if (path === '/alerts' && accountWide) view = <AlertsView />
  else if (path === '/users' && accountWide) view = <UsersView />
  else if (path === '/audit') view = <AuditView />
  else if (path === '/account' && accountWide)
    view = (
      <AccountView
        onRemoved={() => {
          window.location.hash = '/sign-in'
          setSession(null)
        }}
      />
    )
  else if (path === '/password') view = <ChangePassword forced={false} onChanged={() => window.location.assign('#/home')} />
  else if (path === '/monitor') view = <MonitorView />
  else view = <HomeView />

  return (
    <Shell>
      <Nav aria-label="Admin sections">
        <div style={{ fontWeight: 700, fontSize: 18, marginBottom: 4 }}>PSA Link</div>
        <div style={{ fontSize: 12, marginBottom: 16, color: '#b8d4cc' }}>
          {session.subdomain} · {session.email}
          {session.connectionName ? ` · ${session.connectionName} only` : ''}
        </div>
        {links.map(([href, label]) => (
          <a key={href} href={`#${href}`} aria-current={path.startsWith(href) ? 'page' : undefined}>
            {label}
          </a>
        ))}
        <Button
          size="small"
          // Dark text on white: Garden's default blue on this green is 2.6:1 (WCAG AA needs 4.5:1).
          style={{ marginTop: 24, background: '#fff', color: '#03363d', borderColor: '#fff' }}
          onClick={async () => {
            await del('/session').catch(() => undefined)
            setSession(null)
          }}
        >
          Sign out
        </Button>
      </Nav>
      <Main>
        <AttentionBanner attention={attention} />
        {view}
      </Main>
    </Shell>
  )
}
