import type { ExplanationNode } from '../api/types';

const MARK = { true: '✓', false: '✗', unknown: '?' } as const;
const WORD = { true: 'holds', false: 'does not hold', unknown: 'unknown: a value is missing' } as const;

/** The evaluator's explanation of a definition: each part, whether it held, and the values it saw. */
export function ExplanationTree({ node }: { node: ExplanationNode }) {
  return (
    <ul className="explain-tree">
      <ExplanationItem node={node} />
    </ul>
  );
}

function ExplanationItem({ node }: { node: ExplanationNode }) {
  return (
    <li className={`explain-${node.result}`}>
      <span className="mark" aria-hidden="true">
        {MARK[node.result]}
      </span>{' '}
      <code>{node.condition}</code> <span className="sr-only">({WORD[node.result]})</span>
      {node.detail && <span className="detail"> — {node.detail}</span>}
      {node.children && node.children.length > 0 && (
        <ul>
          {node.children.map((c, i) => (
            <ExplanationItem key={i} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}
