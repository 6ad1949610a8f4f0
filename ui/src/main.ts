import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { adoptTokenFromUrl } from './api/client'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { usePrefs } from './stores/prefs'
import './styles/tokens.css'
import './styles/base.css'
import './styles/markdown.css'

async function boot(): Promise<void> {
  await adoptTokenFromUrl()
  const app = createApp(App)
  app.use(createPinia())
  app.use(i18n)
  app.use(createAppRouter())
  usePrefs().apply()
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => usePrefs().apply())
  app.mount('#app')
}

void boot()
