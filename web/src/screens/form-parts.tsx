/** A group of checkboxes choosing several codes, each labelled in words; the order chosen is the order offered. */
export function CheckList<T extends string>(props: {
  legend: string;
  options: readonly T[];
  words: Readonly<Record<T, string>>;
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
}) {
  const { legend, options, words, chosen, onChange } = props;
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((code) => (
        <label class="choice" key={code}>
          <input
            type="checkbox"
            checked={chosen.includes(code)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? options.filter((o) => o === code || chosen.includes(o)) : chosen.filter((o) => o !== code))
            }
          />
          {words[code]}
        </label>
      ))}
    </fieldset>
  );
}

/** A drop-down of codes in words. */
export function CodeSelect<T extends string>(props: {
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  words: Readonly<Record<T, string>>;
  onChange: (value: T) => void;
}) {
  const { id, label, value, options, words, onChange } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((code) => (
          <option key={code} value={code}>
            {words[code]}
          </option>
        ))}
      </select>
    </>
  );
}
