import type Docker from 'dockerode'

/** A request to the engine's API as dockerode's modem is given it. */
export type ModemRequest = Parameters<Docker['modem']['dial']>[0]

/** What a request to the engine's API asks, read from its method and path (`/v1.41/containers/abc/stop?`). */
export interface RequestRoute {
  /** Upper case; GET when the request gives none. */
  readonly method: string
  /** Its path, without the API version and the query: `/containers/abc/stop`. */
  readonly path: string
  /** The path's first part: `containers`, `networks`, `images`… */
  readonly kind: string
  /** The object it names (decoded), or its second part (`create`, `json`); '' when none. */
  readonly name: string
  /** The part after the name (`start`, `connect`, `logs`); '' when none. */
  readonly action: string
  /** Its query or body, as dockerode gives them. */
  readonly options: Record<string, unknown>
}

/** The route of `request` (pure): the API version and the query left out. */
export function routeOf(request: ModemRequest): RequestRoute {
  const method = (request.method ?? 'GET').toUpperCase()
  const path = (request.path ?? '').replace(/^\/v[\d.]+\//, '/').replace(/\?.*$/, '')
  const options = (request.options ?? {}) as Record<string, unknown>
  const [, kind = '', id = '', action = ''] = /^\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?/.exec(path) ?? []
  return { method, path, kind, name: decodeURIComponent(id), action, options }
}
