// The header's conversation menu: export as Markdown or JSON (a file download), import a JSON
// export (a file picker). The session makes and checks the files; this is the buttons and files.
import { html, type TemplateResult } from 'lit';
import type { ExportFormat } from '../session/conversation-file.js';
import type { ViewHost } from './message-actions.js';

export interface ConversationMenuHost {
  exportConversation(format: ExportFormat): Promise<string>;
  importConversation(text: string): Promise<void>;
  /** The model's id, for the file's name. */
  model(): string;
  announce(text: string): void;
}

const FILE_TYPES: Record<ExportFormat, { extension: string; type: string }> = {
  markdown: { extension: 'md', type: 'text/markdown' },
  json: { extension: 'json', type: 'application/json' },
};

export class ConversationMenu {
  constructor(
    private readonly element: ViewHost,
    private readonly host: ConversationMenuHost,
  ) {}

  /** `empty`: nothing to export yet; `busy`: an answer is being written (an import would replace it). */
  view({ empty, busy }: { empty: boolean; busy: boolean }): TemplateResult {
    return html`<details part="conversation-menu" class="menu" @keydown=${this.closeOnEscape}>
      <summary part="conversation-menu-button" aria-label="Conversation menu">Conversation</summary>
      <div class="menu-items">
        <button part="export-markdown-button" type="button" class="secondary" ?disabled=${empty} @click=${() => void this.save('markdown')}>Export as Markdown</button>
        <button part="export-json-button" type="button" class="secondary" ?disabled=${empty} @click=${() => void this.save('json')}>Export as JSON</button>
        <button part="import-button" type="button" class="secondary" ?disabled=${busy} @click=${this.pickFile}>Import JSON…</button>
        <input type="file" accept=".json,application/json" hidden tabindex="-1" aria-hidden="true" @change=${this.importFile} />
      </div>
    </details>`;
  }

  /** Downloads the conversation as a file named after the model and the day. */
  private async save(format: ExportFormat): Promise<void> {
    const { extension, type } = FILE_TYPES[format];
    const url = URL.createObjectURL(new Blob([await this.host.exportConversation(format)], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `conversation-${this.host.model() || 'llama-chat'}-${new Date().toISOString().slice(0, 10)}.${extension}`;
    link.hidden = true;
    this.element.renderRoot.append(link); // some browsers only follow a link that is in a document
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.close();
    this.host.announce(`The conversation was saved as ${format === 'json' ? 'JSON' : 'Markdown'}.`);
  }

  private pickFile = (): void => {
    this.element.renderRoot.querySelector<HTMLInputElement>('.menu input[type="file"]')?.click();
  };

  private importFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // the same file may be picked again
    if (!file) return;
    this.close();
    try {
      await this.host.importConversation(await file.text());
      this.host.announce(`The conversation from ${file.name} was imported.`);
    } catch {
      // The session shows why in the error panel (and the error event); nothing changed.
    }
  };

  private closeOnEscape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.close();
    this.element.renderRoot.querySelector<HTMLElement>('.menu summary')?.focus();
  };

  private close(): void {
    this.element.renderRoot.querySelector('details.menu')?.removeAttribute('open');
  }
}
