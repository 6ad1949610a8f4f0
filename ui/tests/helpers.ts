import { mount, type MountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Component } from 'vue'
import { i18n } from '@/i18n'

/** Mounts a component with the real Pinia, i18n and a memory router, like the app does. */
export function mountWithApp(component: Component, options: MountingOptions<any> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', name: 'any', component: { template: '<div />' } }] })
  for (const name of ['chat', 'home', 'settings', 'memory', 'skills', 'files', 'login']) {
    router.addRoute({ path: `/${name}/:id?/:section?`, name, component: { template: '<div />' } })
  }
  return mount(component, { ...options, global: { plugins: [pinia, i18n, router], ...(options.global ?? {}) } })
}

/** A fetch Response whose body streams the given text chunks, then ends. */
export function streamResponse(chunks: string[], status = 200): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c))
      controller.close()
    },
  })
  return new Response(body, { status, headers: { 'content-type': 'text/event-stream' } })
}

export function frame(seq: number, event: string, data: Record<string, unknown> = {}): string {
  return `id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify({ seq, ...data })}\n\n`
}
