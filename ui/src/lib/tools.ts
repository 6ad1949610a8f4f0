/** How a tool call reads in one line: a localised verb plus its primary argument. */

const PRIMARY = ['command', 'cmd', 'path', 'file', 'query', 'url', 'name', 'skill', 'pattern', 'title', 'code', 'text']

export const KNOWN_TOOLS = [
  'read_file', 'write_file', 'edit_file', 'delete_file', 'move_file', 'list_dir', 'search_files', 'run_shell',
  'run_python', 'web_search', 'fetch_url', 'load_skill', 'read_skill_file', 'update_plan', 'ask_user',
  'remember', 'forget', 'clipboard_read', 'clipboard_write', 'notify', 'click', 'type_text', 'screenshot',
] as const

export function primaryArg(args: Record<string, unknown>): string {
  for (const k of PRIMARY) {
    const v = args[k]
    if (typeof v === 'string' && v.trim()) return v.split('\n')[0].slice(0, 200)
  }
  if ('x' in args && 'y' in args) return `(${args.x}, ${args.y})`
  const first = Object.values(args).find((v) => typeof v === 'string') as string | undefined
  return first ? first.split('\n')[0].slice(0, 200) : ''
}

/** `server__tool` or `server.tool` from MCP reads as `server · tool`. */
export function mcpName(name: string): string | null {
  const m = name.match(/^(?:mcp[_.])?([\w-]+?)(?:__|\.)([\w-]+)$/)
  return m && !KNOWN_TOOLS.includes(name as (typeof KNOWN_TOOLS)[number]) ? `${m[1]} · ${m[2]}` : null
}

/** The host of a URL, for "read web page example.com". */
export function host(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
