// The image a `cm docker script` builds and runs (spec docker.md §3.2, §10.5): computed once and
// used by both, lowercase and limited to the characters image references allow. Pure.

/** Lowercase, only [a-z0-9._-], no repeated or edge separators. */
function sanitize(s: string, max: number): string {
  const out = s
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return out.slice(0, max).replace(/[-.]+$/, '') || 'x';
}

export interface ImageRef {
  repo: string;
  name: string;
  tag: string;
  /** repo/name:tag */
  ref: string;
}

/**
 * `local/cm-script-<tags>:<base image>-latest` by default: tags `app,_onnx,Upper` and base image
 * `ubuntu:22.04` give `local/cm-script-app-onnx-upper:ubuntu-22.04-latest`.
 */
export function imageRefOf(o: {
  tags: readonly string[];
  baseImage: string;
  imageRepo: string;
  imageName: string | undefined;
  imageTagExtra: string;
}): ImageRef {
  const repo = o.imageRepo
    .toLowerCase()
    .split('/')
    .map((p) => sanitize(p, 64))
    .join('/');
  const name = o.imageName
    ? sanitize(o.imageName, 128)
    : sanitize(`cm-script-${o.tags.join('-').replace(/_/g, '-')}`, 128);
  const base = o.baseImage.replace(/_/g, '').replace(/[:/]/g, '-');
  const tag = sanitize(`${base}${o.imageTagExtra}`, 128);
  return { repo, name, tag, ref: `${repo}/${name}:${tag}` };
}
