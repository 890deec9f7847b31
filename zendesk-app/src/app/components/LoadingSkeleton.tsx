import { Skeleton } from '@zendeskgarden/react-loaders'
import { MD } from '@zendeskgarden/react-typography'
import { t } from '../../lib/i18n'

export function LoadingSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label={t('loading')}>
      <MD>
        <Skeleton width="45%" />
      </MD>
      <MD>
        <Skeleton />
      </MD>
      <MD>
        <Skeleton width="80%" />
      </MD>
      <MD>
        <Skeleton width="60%" />
      </MD>
    </div>
  )
}
