import { InvertedIndex, Q } from '@x/inverted-index';

const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
index.addAll([
  {
    id: 1,
    title: 'Vitamin D and bones',
    text: 'Vitamin D deficiency raises the risk of fractures in older adults.',
  },
  {
    id: 2,
    title: 'Sleep and memory',
    text: 'Sleep loss impairs memory; the side effects of sleeping pills vary.',
  },
  { id: 3, title: 'Statins', text: 'The side effects of statins include muscle pain.' },
  { id: 4, title: '论语', text: '学而时习之，不亦说乎？有朋自远方来，不亦乐乎？' },
]);

for (const hit of index.search('vitamin fracture')) console.log(hit.id, hit.score.toFixed(4));
console.log(index.search('"side effects" -statins').map((hit) => hit.id));
console.log(index.search('title:statin* OR slep~1').map((hit) => hit.id));
console.log(index.search(Q.phrase('时习之')).map((hit) => hit.id));
console.log(index.snippet(3, 'muscle pain', { field: 'text' }));
console.log(index.explain(1, 'fracture')!.description);

index.remove(2);
const copy = InvertedIndex.load(index.save());
console.log(
  copy.size,
  copy.search('effects').map((hit) => hit.id),
);
