// What a model's license asks the view to show: its name and Acceptable Use Policy before the
// download, and its attribution (Llama's "Built with Llama") while the model runs.
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStatus, ModelLicense } from '../../protocol/types.js';
import { webUrl } from '../models/licenses.js';

/** A link out of the chat: a new tab that gets neither this page's window nor its address. */
function licenseLink(url: string | undefined, text: string): TemplateResult | string {
  const href = webUrl(url)?.href; // checked with the record too; never a javascript: link
  return href ? html`<a href=${href} target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

/** In the consent step: the license as a link to its text, and its Acceptable Use Policy. */
export function licenseView(license: ModelLicense | undefined): TemplateResult | typeof nothing {
  if (!license) return nothing;
  const policy = license.acceptableUseUrl ? html` · ${licenseLink(license.acceptableUseUrl, 'Acceptable Use Policy')}` : nothing;
  return html`<span part="license" class="license">License: ${licenseLink(license.url, license.name)}${policy}</span>`;
}

/**
 * While the model is loaded: the text its license asks the site to display, linked to the
 * license. `off` (the `no-attribution` attribute): the page displays it elsewhere itself.
 */
export function attributionView(license: ModelLicense | undefined, status: ChatStatus, off: boolean): TemplateResult | typeof nothing {
  const loaded = status === 'ready' || status === 'generating';
  if (!loaded || off || !license?.attribution) return nothing;
  return html`<p part="attribution" class="attribution">${licenseLink(license.url, license.attribution)}</p>`;
}
