import { useEffect, useRef } from 'react'
import type { RefObject } from 'react'
import { useClient } from '../ClientProvider'

/** Keeps the sidebar iframe as tall as its content (`resize` invoke), whenever the content changes. */
export function useAutoResize(ref: RefObject<HTMLElement | null>, contentKey: unknown): void {
  const client = useClient()
  const lastHeight = useRef<number | null>(null)

  useEffect(() => {
    const element = ref.current
    if (!element) return
    const resize = () => {
      const height = Math.ceil(element.getBoundingClientRect().height)
      if (height === lastHeight.current) return
      lastHeight.current = height
      client.invoke('resize', { width: '100%', height: `${height}px` }).catch(() => undefined)
    }
    resize()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(resize)
    observer.observe(element)
    return () => observer.disconnect()
  }, [client, ref, contentKey])
}
