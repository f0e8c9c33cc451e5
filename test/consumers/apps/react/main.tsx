// React 19 renders <llama-chat> before the library is loaded (the SSR-safe pattern: import()
// in an effect), so every prop reaches it as an attribute: `models` as JSON. A second one,
// rendered once the element is defined, gets the same JSX props as properties instead.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

const models = JSON.stringify([{ id: 'tiny', engine: 'wllama', url: 'models/tiny.gguf', contextLength: 512 }]);

function App() {
  const [defined, setDefined] = useState(false);
  useEffect(() => {
    void import('llama-chat').then(() => setDefined(true));
  }, []);
  return (
    <main data-defined={defined}>
      <llama-chat model="tiny" models={models} autoload max-tokens={12} theme="dark" />
      {defined && <llama-chat id="defined-first" model="tiny" models={models} autoload max-tokens={12} />}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
Object.assign(window, {
  get chat() {
    return document.querySelector('llama-chat');
  },
});
