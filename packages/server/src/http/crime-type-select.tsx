import { DEFAULT_CRIME_GROUPS, TYPES_WITHIN_GROUPS } from "@safecity/core";

/**
 * The crime group or police.uk type picker (GET forms): the default groups, then every police.uk
 * type that is not a group of its own (Shoplifting, Bicycle theft, ...), so each of the 14 types
 * can be chosen on its own. `allowNone`: a first "every group" option with an empty value.
 */
export function CrimeTypeSelect(props: { value: string; label?: string; allowNone?: string }) {
  const wanted = props.value.trim().toLowerCase();
  const selected = (v: string) => v.toLowerCase() === wanted;
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for="type">
        {props.label ?? "Crime group or type"}
      </label>
      <select class="govuk-select app-select-fit" id="type" name="type" data-testid="crime-type">
        {props.allowNone ? (
          <option value="" selected={wanted === ""}>
            {props.allowNone}
          </option>
        ) : null}
        <optgroup label="Crime groups">
          {Object.keys(DEFAULT_CRIME_GROUPS).map((g) => (
            <option value={g} selected={selected(g)}>
              {g}
            </option>
          ))}
        </optgroup>
        <optgroup label="police.uk crime types within the groups">
          {TYPES_WITHIN_GROUPS.map((t) => (
            <option value={t} selected={selected(t)}>
              {t}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}
