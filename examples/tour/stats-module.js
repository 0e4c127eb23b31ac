// An action of the user automation "dataset": `cm stats dataset --tags=...`.
export async function stats(input, cm) {
  const r = await cm.access({ action: 'find', automation: 'dataset', tags: input.tags });
  if (r.return > 0) return r;
  cm.output(`${r.list.length} dataset(s)`);
  return { return: 0, count: r.list.length };
}
stats.summary = 'count datasets with the given tags';
