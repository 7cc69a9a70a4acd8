import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../../core/shared/errors.js';

/** What a form shows: the values as typed and a message per field (both keyed by field name). */
export interface FormState {
  values: Record<string, string | string[] | undefined>;
  errors: FieldErrors;
}

export const emptyForm = (values: FormState['values'] = {}): FormState => ({ values, errors: {} });

export const textValue = (state: FormState, name: string): string => {
  const value = state.values[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

const listValue = (state: FormState, name: string): string[] => {
  const value = state.values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A field's error, read out after "Error:" by screen readers. */
export const ErrorMessage = ({ id, message }: { id: string; message: string }) => (
  <span class="nhsuk-error-message" id={id}>
    <span class="nhsuk-u-visually-hidden">Error: </span>
    {message}
  </span>
);

const describedBy = (...ids: (string | false | undefined)[]): string | undefined => {
  const present = ids.filter((id): id is string => typeof id === 'string');
  return present.length > 0 ? present.join(' ') : undefined;
};

interface FieldProps {
  name: string;
  label: string;
  state: FormState;
  hint?: string;
}

/** Links each message to its field, as the NHS.UK error summary pattern asks. */
export const ErrorSummary = ({ errors, order }: { errors: FieldErrors; order?: string[] }) => {
  const names = Object.keys(errors);
  if (names.length === 0) {
    return null;
  }
  const sorted = order ? [...names].sort((left, right) => rank(order, left) - rank(order, right)) : names;
  return (
    <div class="nhsuk-error-summary" data-module="nhsuk-error-summary" tabindex={-1}>
      <div role="alert">
        <h2 class="nhsuk-error-summary__heading">There is a problem</h2>
        <div class="nhsuk-error-summary__body">
          <ul class="nhsuk-list nhsuk-error-summary__list">
            {sorted.map((name) => (
              <li>
                <a href={`#${name}`}>{errors[name]}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
};

const rank = (order: string[], name: string): number => {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
};

/**
 * The NHS.UK frame of a single-control field: form group, label, hint and error message, with the
 * control told which of them describe it (for `aria-describedby`).
 */
const LabelledField = ({ name, label, hint, error, control }: { name: string; label: string; hint?: string | undefined; error?: string | undefined; control: (describedBy: string | undefined) => Child }) => (
  <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
    <label class="nhsuk-label" for={name}>
      {label}
    </label>
    {hint ? (
      <div class="nhsuk-hint" id={`${name}-hint`}>
        {hint}
      </div>
    ) : null}
    {error ? <ErrorMessage id={`${name}-error`} message={error} /> : null}
    {control(describedBy(hint && `${name}-hint`, error && `${name}-error`))}
  </div>
);

export const TextInput = ({
  name,
  label,
  state,
  hint,
  type = 'text',
  autocomplete,
  widthClass,
}: FieldProps & { type?: string; autocomplete?: string; widthClass?: string }) => {
  const error = state.errors[name];
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      error={error}
      control={(described) => (
        <input
          class={`nhsuk-input${error ? ' nhsuk-input--error' : ''}${widthClass ? ` ${widthClass}` : ''}`}
          id={name}
          name={name}
          type={type}
          value={type === 'password' ? '' : textValue(state, name)}
          autocomplete={autocomplete}
          aria-describedby={described}
        />
      )}
    />
  );
};

export const TextArea = ({ name, label, state, hint, rows = 5 }: FieldProps & { rows?: number }) => {
  const error = state.errors[name];
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      error={error}
      control={(described) => (
        <textarea class={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`} id={name} name={name} rows={rows} aria-describedby={described}>
          {textValue(state, name)}
        </textarea>
      )}
    />
  );
};

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

/** Radios or checkboxes in a fieldset; the first input carries the field's id for the error summary. */
export const Choices = ({
  kind,
  name,
  label,
  state,
  hint,
  options,
  small = false,
}: FieldProps & { kind: 'radio' | 'checkbox'; options: Option[]; small?: boolean }) => {
  const error = state.errors[name];
  const selected = listValue(state, name);
  const block = kind === 'radio' ? 'nhsuk-radios' : 'nhsuk-checkboxes';
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset class="nhsuk-fieldset" aria-describedby={describedBy(hint && `${name}-hint`, error && `${name}-error`)}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
        {hint ? (
          <div class="nhsuk-hint" id={`${name}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? <ErrorMessage id={`${name}-error`} message={error} /> : null}
        <div class={`${block}${small ? ` ${block}--small` : ''}`} data-module={block}>
          {options.map((option, index) => {
            const id = index === 0 ? name : `${name}-${index + 1}`;
            return (
              <div class={`${block}__item`}>
                <input
                  class={`${block}__input`}
                  id={id}
                  name={name}
                  type={kind}
                  value={option.value}
                  checked={selected.includes(option.value)}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label class={`nhsuk-label ${block}__label`} for={id}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div class={`nhsuk-hint ${block}__hint`} id={`${id}-item-hint`}>
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
};

export const Select = ({ name, label, state, hint, options, placeholder }: FieldProps & { options: Option[]; placeholder?: string }) => {
  const error = state.errors[name];
  const value = textValue(state, name);
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      error={error}
      control={(described) => (
        <select class={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`} id={name} name={name} aria-describedby={described}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option value={option.value} selected={option.value === value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
};

export const Button = ({ children, secondary = false, name, value }: { children: Child; secondary?: boolean; name?: string; value?: string }) => (
  <button class={`nhsuk-button${secondary ? ' nhsuk-button--secondary' : ''}`} data-module="nhsuk-button" type="submit" name={name} value={value}>
    {children}
  </button>
);
