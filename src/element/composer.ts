// The composer's keys and sending, and the conversation's copy buttons: small DOM behaviours of the view.

/** Enter sends, Shift+Enter is a new line, Escape stops the answer (when `stop` is given). */
export function onComposerKey(event: KeyboardEvent, stop: (() => void) | undefined): void {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    (event.target as HTMLTextAreaElement).form?.requestSubmit();
  } else if (event.key === 'Escape' && stop) {
    event.preventDefault();
    stop();
  }
}

/**
 * Sends the input's text and empties the input. Failures are shown in the view and reported
 * through events; a message refused outright (too long for the model, no model) goes back
 * into the input rather than being lost.
 */
export function submitInput(
  input: HTMLTextAreaElement,
  send: (text: string) => Promise<string>,
  refused: (error: unknown) => boolean,
): void {
  const text = input.value;
  if (!text.trim()) return;
  input.value = '';
  fitInput(input);
  send(text).catch((error: unknown) => {
    if (refused(error) && !input.value) {
      input.value = text;
      fitInput(input);
    }
  });
}

/** The input grows with its text up to a few lines (CSS caps it), then scrolls. */
export function fitInput(input: HTMLTextAreaElement): void {
  input.style.height = 'auto';
  input.style.height = `${input.scrollHeight}px`;
}

/** A click on a code block's copy button copies the code and says so on the button. */
export function copyCodeOnClick(event: Event): void {
  const button = (event.target as Element).closest?.('button.copy');
  const code = button?.parentElement?.querySelector('pre')?.textContent;
  if (!button || code === undefined || code === null) return;
  navigator.clipboard.writeText(code).then(
    () => flash(button, 'Copied'),
    () => flash(button, 'Copy failed'),
  );
}

function flash(button: Element, text: string): void {
  button.textContent = text;
  setTimeout(() => (button.textContent = 'Copy'), 1500);
}
