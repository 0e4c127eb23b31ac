import { access, createCm } from 'collective-mind';

// One call, the Python-style way: a result with `return` (0 = ok), never an exception.
const r = await access({ action: 'find', automation: 'dataset', tags: 'images' });
if (r.return > 0) console.error(r.error);
else for (const a of r.list) console.log(a.alias, a.path);

// A CM with its own home, and events (messages, data lines, warnings) as they happen.
const cm = createCm({ home: 'my-cm', onEvent: (e) => console.error(e.type, e.text) });
await cm.access(['add', 'automation', 'model']);
const added = await cm.access(['add', 'model', 'tiny', '--tags=onnx']);
if (added.return > 0) throw new Error(added.error);
console.log('added', added.path);
