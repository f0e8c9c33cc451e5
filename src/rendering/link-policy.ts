// Which links in answers stay links: the `links` attribute, read on the page before any
// Markdown is rendered.

/**
 * Which links in answers stay links: all (the default), none (`links="off"`), or those to the
 * listed hosts. A link that does not is shown as its text.
 */
export type LinkPolicy = 'all' | 'none' | readonly string[];

/** The `links` attribute as a policy: "off"/"none", absent/"all", or host names separated by spaces. */
export function linkPolicy(attribute: string | undefined): LinkPolicy {
  const value = attribute?.trim().toLowerCase();
  if (!value || value === 'all') return 'all';
  if (value === 'off' || value === 'none') return 'none';
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Whether a link to `url` stays a link under `policy`. */
export function allowed(url: URL, policy: LinkPolicy): boolean {
  if (policy === 'all') return true;
  if (policy === 'none') return false;
  return url.protocol !== 'mailto:' && policy.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}
