// The demo page: pick a model, chat, and see per-answer speed.
import '../src/index.js';
import { BUILT_IN_MODELS, type ModelRecord } from '../src/index.js';

// Made by `npm start` (test/fixtures/tiny-model.ts) and served by Vite from the repo.
const tinyModel: ModelRecord = {
  id: 'tiny-test-model',
  engine: 'wllama',
  url: new URL('/test/.generated/tiny.gguf', location.href).href,
  label: 'Tiny test model (random weights)',
  contextLength: 512,
};

const chat = document.querySelector('llama-chat')!;
const picker = document.querySelector<HTMLSelectElement>('#model')!;
const stats = document.querySelector<HTMLElement>('#stats')!;

chat.models = [tinyModel];
for (const record of [tinyModel, ...BUILT_IN_MODELS]) {
  picker.add(new Option(record.label ?? record.id, record.id));
}
picker.value = chat.model = tinyModel.id;
picker.addEventListener('change', () => {
  chat.model = picker.value;
  stats.textContent = '';
});

chat.addEventListener('llama-chat-message', (event) => {
  const usage = event.detail.usage;
  if (!usage) return;
  stats.textContent =
    `${usage.completion_tokens} tokens · ${usage.extra.decode_tokens_per_s.toFixed(0)} tokens/s · ` +
    `first token after ${(usage.extra.time_to_first_token_s * 1000).toFixed(0)} ms`;
});
