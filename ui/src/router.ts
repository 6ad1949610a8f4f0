/** Routes: the main shell (chat, settings, skills, memory, files), the login page and the quick-ask window. */
import { createRouter, createWebHistory, type Router } from 'vue-router'
import { onUnauthorized } from './api/client'
import ChatView from './views/ChatView.vue'
import Shell from './views/Shell.vue'

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
      { path: '/quick', name: 'quick', component: () => import('./views/QuickView.vue') },
      {
        path: '/',
        component: Shell,
        children: [
          { path: '', name: 'home', component: ChatView },
          { path: 'c/:id', name: 'chat', component: ChatView },
          { path: 'settings/:section?', name: 'settings', component: () => import('./views/SettingsView.vue') },
          { path: 'skills', name: 'skills', component: () => import('./views/SkillsView.vue') },
          { path: 'memory', name: 'memory', component: () => import('./views/MemoryView.vue') },
          { path: 'files', name: 'files', component: () => import('./views/FilesView.vue') },
        ],
      },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
  onUnauthorized(() => {
    const here = router.currentRoute.value
    if (here.name !== 'login') void router.push({ name: 'login', query: { next: here.fullPath } })
  })
  return router
}
