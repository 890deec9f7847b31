import type { Run } from '@psa-link/shared/admin-api'

const WIDTH = 720
const HEIGHT = 180
const PAD = 32

/** Items synced (bars) and duration (line) of the last runs, oldest on the left. Plain SVG. */
export function RunsChart({ runs }: { runs: Run[] }) {
  const finished = runs
    .filter((run) => run.finishedAt !== null)
    .slice(0, 40)
    .reverse()
  if (finished.length === 0) return <p>No finished runs yet.</p>
  const items = finished.map((run) => Object.values(run.counts).reduce((sum, value) => sum + (typeof value === 'number' ? value : 0), 0))
  const durations = finished.map((run) => (run.durationMs ?? 0) / 1000)
  const maxItems = Math.max(1, ...items)
  const maxSeconds = Math.max(0.1, ...durations)
  const step = (WIDTH - PAD * 2) / finished.length
  const y = (value: number, max: number) => HEIGHT - PAD - (value / max) * (HEIGHT - PAD * 2)
  const line = durations.map((seconds, index) => `${PAD + step * index + step / 2},${y(seconds, maxSeconds)}`).join(' ')
  return (
    <svg
      role="img"
      aria-label="Items synced and duration per run"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxWidth: WIDTH, background: '#f8f9f9', borderRadius: 4 }}
    >
      {items.map((count, index) => (
        <rect
          key={finished[index]!.id}
          data-run={finished[index]!.id}
          x={PAD + step * index + 2}
          y={y(count, maxItems)}
          width={Math.max(2, step - 4)}
          height={HEIGHT - PAD - y(count, maxItems)}
          fill={finished[index]!.status === 'failed' ? '#cc3340' : '#1f73b7'}
        >
          <title>{`${finished[index]!.kind} #${finished[index]!.id}: ${count} items in ${durations[index]!.toFixed(1)} s`}</title>
        </rect>
      ))}
      <polyline points={line} fill="none" stroke="#e35b66" strokeWidth={2} />
      <text x={PAD} y={16} fontSize={11} fill="#1f73b7">
        bars: items synced (max {maxItems})
      </text>
      <text x={WIDTH - PAD} y={16} fontSize={11} fill="#e35b66" textAnchor="end">
        line: duration (max {maxSeconds.toFixed(1)} s)
      </text>
      <line x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} stroke="#c2c8cc" />
    </svg>
  )
}
