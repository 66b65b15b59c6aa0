/**
 * A labelled drop-down that filters what a part of the page shows: `any` names the choice of no filter
 * (value ''), and a current value missing from `options` (a bookmarked address) stays choosable.
 */
export function ChoiceSelect({ id, label, value, options, any, onChange }: { id: string; label: string; value: string; options: readonly string[]; any: string; onChange: (value: string) => void }) {
  return (
    <div className="row">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{any}</option>
        {value !== '' && !options.includes(value) && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}
