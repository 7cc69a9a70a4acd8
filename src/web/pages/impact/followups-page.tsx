import type { Child } from 'hono/jsx';
import type { FollowupMessage } from '../../../core/impact/followups.js';
import type { Followup } from '../../../core/impact/types.js';
import { Button, CsrfField } from '../../components/form.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

export interface FollowupView {
  followup: Followup;
  expiresOn: string;
}

const after = (months: number) => `${months} month${months === 1 ? '' : 's'}`;

const NeedCell = ({ followup }: { followup: Followup }) => (
  <td class="nhsuk-table__cell">
    <a href={`/needs/${followup.need.id}`}>{followup.need.reference}</a>: {followup.need.title}
    {followup.briefing ? (
      <>
        <br />
        <span class="nhsuk-body-s">
          Output {followup.briefing.reference}: {followup.briefing.title}
        </span>
      </>
    ) : null}
  </td>
);

const Recipient = ({ followup }: { followup: Followup }) =>
  followup.recipientEmail ? (
    <>
      {followup.recipientName ? `${followup.recipientName} ` : ''}&lt;{followup.recipientEmail}&gt;
    </>
  ) : (
    <>No email address{followup.recipientName ? ` (${followup.recipientName})` : ''}</>
  );

const LinkButton = ({ context, followup, label }: { context: PageContext; followup: Followup; label: string }) => (
  <form method="post" action={`/followups/${followup.id}/link`} class="app-inline-form">
    <CsrfField token={context.csrfToken} />
    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-module="nhsuk-button" type="submit">
      {label}
      <span class="nhsuk-u-visually-hidden">
        {' '}
        for {followup.need.reference} at {after(followup.months)}
      </span>
    </button>
  </form>
);

/** A column of a follow-ups table beyond the need and the months after delivery, which every table starts with. */
interface Column {
  header: string;
  cell: (view: FollowupView) => Child;
}

const dueColumn: Column = { header: 'Due', cell: ({ followup }) => formatDate(followup.dueOn) };
const toColumn: Column = { header: 'To', cell: ({ followup }) => <Recipient followup={followup} /> };

/** One list of follow-ups as a table (or `empty` when there are none): the need, months after delivery, then `columns`. */
const FollowupsTable = ({ id, caption, views, columns, empty }: { id: string; caption: string; views: FollowupView[]; columns: Column[]; empty: Child }) =>
  views.length === 0 ? (
    empty
  ) : (
    <table class="nhsuk-table" id={id}>
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          {['Need', 'After', ...columns.map((column) => column.header)].map((header) => (
            <th class="nhsuk-table__header" scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">
        {views.map((view) => (
          <tr class="nhsuk-table__row">
            <NeedCell followup={view.followup} />
            <td class="nhsuk-table__cell">{after(view.followup.months)}</td>
            {columns.map((column) => (
              <td class="nhsuk-table__cell">{column.cell(view)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );

interface FollowupsPageProps {
  context: PageContext;
  hasMailer: boolean;
  due: FollowupView[];
  awaiting: FollowupView[];
  upcoming: FollowupView[];
  result: { sent: number; kept: number; failed: number } | undefined;
}

/** Fellows' list of follow-ups: due ones to send (by hand without SMTP), those awaiting an answer, and what comes next. */
export const FollowupsPage = ({ context, hasMailer, due, awaiting, upcoming, result }: FollowupsPageProps) => (
  <Layout title="Follow-ups" context={context}>
    <h1>Follow-ups</h1>
    <p>
      After an output is delivered, the requester is asked whether and how it was used. Each answer becomes an <a href="/impact">impact record</a>.
    </p>
    {result ? (
      <div class="nhsuk-inset-text" role="status" id="followups-result">
        <p>
          {result.sent} follow-up{result.sent === 1 ? '' : 's'} emailed; {result.kept} left to send by hand
          {result.failed > 0 ? ` (${result.failed} could not be sent)` : ''}.
        </p>
      </div>
    ) : null}
    <h2 id="due-heading">Due to send</h2>
    {hasMailer ? (
      <p>Due follow-ups are emailed automatically. Those listed here have no email address, or could not be sent: send them by hand.</p>
    ) : (
      <p>Email is not set up on this server, so send these by hand: make a link, copy the message into an email to the requester, and send it. The link is shown only once.</p>
    )}
    {hasMailer && due.length > 0 ? (
      <form method="post" action="/followups/send">
        <CsrfField token={context.csrfToken} />
        <Button secondary>Email due follow-ups now</Button>
      </form>
    ) : null}
    <FollowupsTable
      id="followups-due"
      caption="Follow-ups due to send"
      views={due}
      columns={[dueColumn, toColumn, { header: 'Send', cell: ({ followup }) => <LinkButton context={context} followup={followup} label="Make a link to send by hand" /> }]}
      empty={<p id="followups-due-empty">No follow-ups are waiting to be sent.</p>}
    />
    <h2>Sent, awaiting an answer</h2>
    <FollowupsTable
      id="followups-awaiting"
      caption="Follow-ups awaiting an answer"
      views={awaiting}
      columns={[
        {
          header: 'Sent',
          cell: ({ followup }) => (
            <>
              {followup.sentAt ? formatDateTime(followup.sentAt) : ''} {followup.sentVia === 'by_hand' ? '(by hand)' : '(by email)'}
            </>
          ),
        },
        { header: 'Link works until', cell: ({ expiresOn }) => formatDate(expiresOn) },
        { header: 'Lost?', cell: ({ followup }) => <LinkButton context={context} followup={followup} label="Make a new link" /> },
      ]}
      empty={<p>None.</p>}
    />
    <h2>Coming up</h2>
    <FollowupsTable id="followups-upcoming" caption="Follow-ups coming up" views={upcoming} columns={[dueColumn, toColumn]} empty={<p>None scheduled.</p>} />
  </Layout>
);

/** The link and message to send by hand: shown once, as only the link's hash is kept. */
export const FollowupLinkPage = ({ context, followup, link, message, expiresOn }: { context: PageContext; followup: Followup; link: string; message: FollowupMessage; expiresOn: string }) => (
  <Layout title="Send this follow-up by hand" context={context}>
    <span class="nhsuk-caption-l">
      {followup.need.reference}: {after(followup.months)} after delivery
    </span>
    <h1>Send this follow-up by hand</h1>
    <div class="nhsuk-warning-callout">
      <h2 class="nhsuk-warning-callout__label">
        <span role="text">
          <span class="nhsuk-u-visually-hidden">Important: </span>Copy it now
        </span>
      </h2>
      <p>This link is shown only once. If it is lost, make a new one: the old link then stops working. It works until {formatDate(expiresOn)}.</p>
    </div>
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">To</dt>
        <dd class="nhsuk-summary-list__value">{message.to ?? 'The requester (we have no email address for them)'}</dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">Subject</dt>
        <dd class="nhsuk-summary-list__value">{message.subject}</dd>
      </div>
      <div class="nhsuk-summary-list__row">
        <dt class="nhsuk-summary-list__key">Link</dt>
        <dd class="nhsuk-summary-list__value">
          <code id="followup-link">{link}</code>
        </dd>
      </div>
    </dl>
    <h2>Message</h2>
    <pre class="app-digest__body" id="followup-message">
      {message.text}
    </pre>
    <p>
      <a href="/followups">Back to follow-ups</a>
    </p>
  </Layout>
);
