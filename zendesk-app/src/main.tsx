import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { colorSchemeFromUrl } from './app/HostTheme'
import { connectZafClient } from './lib/zaf'

const container = document.getElementById('root')
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App client={connectZafClient()} colorScheme={colorSchemeFromUrl(location.search)} />
    </StrictMode>,
  )
}
