import { useEffect } from 'react';
import type { PageProps } from '../../app/pages';
import { useApi } from '../../api/useApi';
import type { ImportRecord } from '../../api/types';
import { Imports } from './Imports';
import { Quality } from './Quality';
import { Upload } from './Upload';

/** Data: upload and import files, the imports with their reports, the quality report. */
export default function DataPage({ route }: PageProps) {
  const imports = useApi<{ imports: ImportRecord[] }>('/v1/imports');
  const tab = route.query.get('tab');
  useEffect(() => {
    if (tab) document.getElementById(tab)?.scrollIntoView();
  }, [tab]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Data</h1>
        <p className="as-of">What is in the store, where it came from, and what to check before trusting segments.</p>
      </div>
      <div className="grid">
        <Upload onImported={imports.reload} />
        <Imports imports={imports} />
        <Quality />
      </div>
    </>
  );
}
