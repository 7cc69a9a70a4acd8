import { roleLabels } from '../../core/accounts/roles.js';
import {
  needStatusLabels,
  serviceTierLabels,
  type Comment,
  type Need,
  type NeedEvent,
  type NeedStatus,
  type ServiceTier,
} from '../../core/needs/types.js';
import { formatDateTime } from '../format.js';

const statusColours: Record<NeedStatus, string> = {
  submitted: 'nhsuk-tag--blue',
  triaged: 'nhsuk-tag--purple',
  in_progress: 'nhsuk-tag--yellow',
  delivered: 'nhsuk-tag--green',
  closed: 'nhsuk-tag--grey',
};

export const StatusTag = ({ status, id }: { status: NeedStatus; id?: string }) => (
  <strong class={`nhsuk-tag ${statusColours[status]}`} id={id}>
    {needStatusLabels[status]}
  </strong>
);

export const CommentItem = ({ comment }: { comment: Comment }) => (
  <li class={`app-thread__item${comment.isInternal ? ' app-thread__item--internal' : ''}`} id={`comment-${comment.id}`}>
    <p class="app-thread__meta">
      <strong>{comment.author.name}</strong> ({roleLabels[comment.author.role]}) · {formatDateTime(comment.createdAt)}
      {comment.isInternal ? <strong class="nhsuk-tag nhsuk-tag--yellow nhsuk-u-margin-left-2">Internal note</strong> : null}
    </p>
    <p class="app-thread__body">{comment.body}</p>
  </li>
);

/** One sentence per history event, in plain words. */
export const describeEvent = (event: NeedEvent, names: Map<string, string>): string => {
  const who = event.actor.name;
  const detail = event.detail;
  switch (event.kind) {
    case 'submitted':
      return `Submitted by ${who}`;
    case 'edited':
      return `Edited by ${who}`;
    case 'triaged': {
      const tier = typeof detail.tier === 'string' && detail.tier in serviceTierLabels ? serviceTierLabels[detail.tier as ServiceTier] : 'a service tier';
      return `Accepted by ${who} as ${tier}`;
    }
    case 'assigned': {
      const ids = Array.isArray(detail.userIds) ? detail.userIds.map(String) : [];
      return `${who} assigned ${ids.map((id) => names.get(id) ?? 'a fellow').join(', ')}`;
    }
    case 'status_changed':
      return `${who} changed the status from ${needStatusLabels[event.fromStatus ?? 'submitted']} to ${needStatusLabels[event.toStatus ?? 'submitted']}`;
    case 'declined':
      return `Declined by ${who}: ${String(detail.reason ?? '')}`;
    case 'merged':
      return typeof detail.intoReference === 'string'
        ? `Merged by ${who} into ${detail.intoReference}, which asks the same question`
        : `${who} merged ${String(detail.fromReference ?? 'a duplicate need')} into this need`;
  }
};

export const HistoryItem = ({ event, names }: { event: NeedEvent; names: Map<string, string> }) => (
  <li id={`event-${event.id}`}>
    {describeEvent(event, names)} <span class="nhsuk-u-secondary-text-colour">({formatDateTime(event.at)})</span>
  </li>
);

export const fellowNames = (need: Need): Map<string, string> => new Map(need.fellows.map((fellow) => [fellow.id as string, fellow.name]));

/** Pushed to an open need page when new evidence enters its best matches. */
export const NewMatches = ({ records }: { records: { id: string; title: string }[] }) => (
  <div class="nhsuk-inset-text app-new-matches">
    <p>
      <strong>New evidence matches this need:</strong>
    </p>
    <ul class="nhsuk-list nhsuk-list--bullet">
      {records.map((record) => (
        <li>
          <a href={`/evidence/records/${record.id}`}>{record.title}</a>
        </li>
      ))}
    </ul>
  </div>
);
