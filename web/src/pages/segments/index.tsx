import type { PageProps } from '../../app/pages';
import { BuilderPage } from './BuilderPage';
import { SegmentPage } from './SegmentPage';
import { SegmentsPage } from './SegmentsPage';

/** #/segments, #/segments/new, #/segments/<name>, #/segments/<name>/edit */
export default function Segments({ route }: PageProps) {
  const [, name, action] = route.parts;
  if (name === undefined) return <SegmentsPage />;
  if (name === 'new' && route.parts.length === 2) return <BuilderPage route={route} />;
  if (action === 'edit') return <BuilderPage route={route} editing={name} />;
  return <SegmentPage name={name} route={route} />;
}
