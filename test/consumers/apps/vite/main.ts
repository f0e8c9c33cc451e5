// What the README tells a Vite user to write: import the package, give the element a model.
import 'llama-chat';

const chat = document.querySelector('llama-chat')!;
// A URL relative to this page, as a user would write it.
chat.models = [{ id: 'tiny', engine: 'wllama', url: 'models/tiny.gguf', contextLength: 512 }];
chat.model = 'tiny';
Object.assign(window, { chat });
