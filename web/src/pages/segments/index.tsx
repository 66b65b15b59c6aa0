import type { PageProps } from '../../app/pages';
import { BuilderPage } from './BuilderPage';
import { SegmentPage } from './SegmentPage';
import { SegmentsPage } from './SegmentsPage';

/** #/segments, #/segments/new, #/segments/<name>, #/segments/<name>/edit */
export default function Segments({ route }: PageProps) {
  const [, name, action] = route.parts;
  if (name === undefined) return <SegmentsPage />;
  // A new address (another prefilled query, another segment) starts the builder afresh.
  if (name === 'new' && route.parts.length === 2) return <BuilderPage key={`new?${route.query.toString()}`} route={route} />;
  if (action === 'edit') return <BuilderPage key={`edit:${name}`} route={route} editing={name} />;
  return <SegmentPage name={name} route={route} />;
}
