import { Progress } from '@zendeskgarden/react-loaders'
import { SM } from '@zendeskgarden/react-typography'

/** A budget meter: used of limit, red beyond 80 %. */
export function Meter({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: string }) {
  const percent = limit > 0 ? Math.min(100, (used / limit) * 100) : 0
  return (
    <div style={{ marginBottom: 12, maxWidth: 480 }} data-meter={label}>
      <SM isBold>{label}</SM>
      <Progress value={percent} color={percent > 80 ? '#cc3340' : undefined} aria-label={label} />
      <SM>
        {used} of {limit} {unit} ({percent.toFixed(1)} %)
      </SM>
    </div>
  )
}
