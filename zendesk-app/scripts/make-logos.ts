// Draws the app's marketplace logos (two linked rings: Zendesk and Autotask kept in step) into
// zendesk-app/assets/. Run once after changing the design: `npm run logos -w zendesk-app`.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { encodeRgbaPng } from './png'

type Rgb = [number, number, number]
const KALE: Rgb = [3, 54, 61]
const WHITE: Rgb = [255, 255, 255]
const SAMPLES = 4

/** Coverage of the two rings at a point of the unit square (anti-aliased by supersampling). */
function ringCoverage(x: number, y: number): boolean {
  const radius = 0.2
  const thickness = 0.055
  const centres: [number, number][] = [
    [0.38, 0.5],
    [0.62, 0.5],
  ]
  return centres.some(([cx, cy]) => Math.abs(Math.hypot(x - cx, y - cy) - radius) <= thickness)
}

function draw(size: number, background: Rgb | null, ink: Rgb): Buffer {
  const pixels = new Uint8Array(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (ringCoverage((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) hits++
        }
      }
      const coverage = hits / (SAMPLES * SAMPLES)
      const offset = (py * size + px) * 4
      if (background) {
        for (let c = 0; c < 3; c++) pixels[offset + c] = Math.round(background[c]! * (1 - coverage) + ink[c]! * coverage)
        pixels[offset + 3] = 255
      } else {
        for (let c = 0; c < 3; c++) pixels[offset + c] = ink[c]!
        pixels[offset + 3] = Math.round(255 * coverage)
      }
    }
  }
  return encodeRgbaPng(size, size, pixels)
}

const assets = fileURLToPath(new URL('../assets/', import.meta.url))
// The large logo is square with no rounded corners; the small one is PNG-24 with transparency.
writeFileSync(`${assets}logo.png`, draw(320, KALE, WHITE))
writeFileSync(`${assets}logo-small.png`, draw(128, null, KALE))
console.log('Wrote assets/logo.png (320x320) and assets/logo-small.png (128x128)')
