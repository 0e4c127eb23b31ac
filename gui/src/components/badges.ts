// ACM reproducibility badges (`acm_ctuning_repro_badge_*` keys that are truthy) as small images
// drawn here, so that nothing is fetched from another site; the alt text names the badge.
import { h } from '../dom.js';

const NAMES: Record<string, { label: string; colour: string }> = {
  functional: { label: 'Artifacts functional', colour: '#c0392b' },
  reproduce: { label: 'Results reproduced', colour: '#27ae60' },
  support_docker: { label: 'Docker support', colour: '#2471a3' },
  cm_interface: { label: 'CM interface', colour: '#7d3c98' },
};

const PREFIX = 'acm_ctuning_repro_badge_';

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The badge's image: an SVG data URL with the label (escaped: an unknown key names it). */
function badgeImage(label: string, colour: string): string {
  const width = 12 + label.length * 7;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 40}" height="22">` +
    `<rect width="40" height="22" rx="3" fill="#555"/>` +
    `<rect x="36" width="${width + 4}" height="22" rx="3" fill="${colour}"/>` +
    `<text x="6" y="15" fill="#fff" font-family="sans-serif" font-size="12">ACM</text>` +
    `<text x="44" y="15" fill="#fff" font-family="sans-serif" font-size="12">${escapeXml(label)}</text>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function badges(keys: string[]): HTMLElement | null {
  if (keys.length === 0) return null;
  return h(
    'div',
    { class: 'badges', 'data-testid': 'badges' },
    ...keys.map((key) => {
      const short = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
      const known = NAMES[short] ?? { label: short.replace(/_/g, ' '), colour: '#777' };
      const alt = `ACM badge: ${known.label}`;
      return h('img', {
        src: badgeImage(known.label, known.colour),
        alt,
        title: alt,
        'data-testid': 'badge',
        'data-badge': key,
      });
    }),
  );
}
