// A CM automation written in JavaScript (ES module).
// Every exported function is an action: `cm <action> <this automation> [artifacts] [--flags]`.
// `input` is the CM input dict (artifact, artifacts, tags, flags ...); `cm` offers
// cm.access({...}) to call any other action, cm.output(text) for data, cm.log(text) for messages.
// Return an object: {return: 0, ...} on success or {return: 1, error: 'what went wrong'}.
// Generic actions (add, find, load, update, rm, cp, mv, info) work without writing anything.

export async function test(input, cm) {
  cm.output(JSON.stringify(input, null, 2));
  return { return: 0 };
}
test.summary = 'print the input dict (replace with your own actions)';
