import { Anchor } from '@zendeskgarden/react-buttons'
import { Alert, Paragraph, Title } from '@zendeskgarden/react-notifications'
import styled from 'styled-components'
import { t } from '../../lib/i18n'

const Actions = styled.div`
  margin-top: ${({ theme }) => theme.space.xs};
`

/** The console's "Sign in with Zendesk" for this account: its first admin to sign in sets PSA Link up. */
export function onboardingUrl(backendUrl: string, subdomain: string): string {
  return `${backendUrl.replace(/\/+$/, '')}/admin/#/sign-in?zendesk=${encodeURIComponent(subdomain)}`
}

/**
 * The backend refused this sidebar (see useNotSetUp): to a Zendesk admin, what to do and a link to
 * the console's onboarding for this subdomain; to anyone else, whom to ask.
 */
export function NotSetUpView({ backendUrl, subdomain, role }: { backendUrl: string; subdomain: string; role: string | null }) {
  const admin = role === 'admin'
  return (
    <Alert type="warning" data-not-set-up={admin ? 'admin' : 'agent'}>
      <Title>{t('error.unauthorized_title')}</Title>
      <Paragraph>{admin ? t('not_set_up.admin_body', { subdomain }) : t('not_set_up.agent_body')}</Paragraph>
      {admin && (
        <Actions>
          <Anchor
            href={onboardingUrl(backendUrl, subdomain)}
            target="_blank"
            rel="noopener noreferrer"
            isExternal
            externalIconLabel={t('linked.opens_new_tab')}
          >
            {t('not_set_up.admin_link', { subdomain })}
          </Anchor>
        </Actions>
      )}
    </Alert>
  )
}
