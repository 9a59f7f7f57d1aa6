/** A labelled select; the empty value stands for "none chosen". */
export function Choice({
  id,
  label,
  value,
  empty,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  empty: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <span class="choice">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
      >
        <option value="">{empty}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}
