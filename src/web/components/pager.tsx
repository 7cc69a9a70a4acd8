/**
 * Which items a page shows ("Records 201 to 400 of 1,234.") and links to the pages before and after,
 * in the design system's pagination. Nothing when everything fits on one page.
 */
export const Pager = ({ total, page, hrefOf, noun }: { total: number; page: { number: number; size: number }; hrefOf: (number: number) => string; noun: string }) => {
  if (total <= page.size && page.number === 1) {
    return null;
  }
  const first = (page.number - 1) * page.size + 1;
  const last = Math.min(total, page.number * page.size);
  const pages = Math.max(1, Math.ceil(total / page.size));
  const previous = Math.min(page.number - 1, pages);
  return (
    <nav class="nhsuk-pagination" role="navigation" aria-label={`Pages of ${noun.toLowerCase()}`}>
      <p class="nhsuk-body-s" id="page-range">
        {first <= total ? `${noun} ${first} to ${last} of ${total}.` : `There are ${total}; this page is past the last.`}
      </p>
      <ul class="nhsuk-list nhsuk-pagination__list">
        {page.number > 1 ? (
          <li class="nhsuk-pagination-item--previous">
            <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href={hrefOf(previous)}>
              <span class="nhsuk-pagination__title">Previous</span>
              <span class="nhsuk-u-visually-hidden">:</span>
              <span class="nhsuk-pagination__page">
                Page {previous} of {pages}
              </span>
            </a>
          </li>
        ) : null}
        {page.number < pages ? (
          <li class="nhsuk-pagination-item--next">
            <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={hrefOf(page.number + 1)}>
              <span class="nhsuk-pagination__title">Next</span>
              <span class="nhsuk-u-visually-hidden">:</span>
              <span class="nhsuk-pagination__page">
                Page {page.number + 1} of {pages}
              </span>
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
};
