import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { connectZafClient } from './lib/zaf'

const container = document.getElementById('root')
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App client={connectZafClient()} />
    </StrictMode>,
  )
}
