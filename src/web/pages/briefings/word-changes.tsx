import type { WordChange } from '../../../core/briefings/diff.js';

/**
 * Word changes as struck-through and underlined text, each also named for screen readers ("added",
 * "removed"), so that no change is told by colour alone.
 */
export const WordChanges = ({ changes }: { changes: readonly WordChange[] }) => (
  <>
    {changes.map((change) =>
      change.kind === 'same' ? (
        change.text
      ) : change.kind === 'added' ? (
        <ins>
          <span class="nhsuk-u-visually-hidden">[added: </span>
          {change.text}
          <span class="nhsuk-u-visually-hidden">]</span>
        </ins>
      ) : (
        <del>
          <span class="nhsuk-u-visually-hidden">[removed: </span>
          {change.text}
          <span class="nhsuk-u-visually-hidden">]</span>
        </del>
      ),
    )}
  </>
);
