import 'llama-chat';

const chat = document.querySelector('llama-chat');
chat.models = [{ id: 'tiny', engine: 'wllama', url: 'models/tiny.gguf', contextLength: 512 }];
chat.model = 'tiny';
window.chat = chat;
