import type { Brand, NeedId, RecordId, UserId } from '../shared/ids.js';
import type { ReviewId } from '../reviews/types.js';
import type { CitationStyle } from './document.js';

export type BriefingId = Brand<string, 'BriefingId'>;

export const templates = ['decision', 'practitioner', 'public', 'board'] as const;
export type Template = (typeof templates)[number];

export const briefingStatuses = ['draft', 'in_review', 'approved', 'delivered'] as const;
export type BriefingStatus = (typeof briefingStatuses)[number];
export const briefingStatusLabels: Record<BriefingStatus, string> = { draft: 'Draft', in_review: 'In review', approved: 'Approved', delivered: 'Delivered' };

/** Who a briefing is for decides its readability target (see readability.ts). */
export type Audience = 'decision_makers' | 'practitioners' | 'public' | 'board';

export interface Section {
  key: string;
  heading: string;
  /** Paragraphs separated by blank lines; `- ` starts a bullet; `| a | b |` over `|---|---|` starts a pipe table; `[@3]` cites the third record of the evidence list. */
  body: string;
}

export interface BriefingVersion {
  version: number;
  sections: Section[];
  note: string;
  createdBy: { id: UserId; name: string };
  createdAt: Date;
}

export interface Briefing {
  id: BriefingId;
  reference: string;
  needId: NeedId | undefined;
  reviewId: ReviewId | undefined;
  template: Template;
  title: string;
  status: BriefingStatus;
  citationStyle: CitationStyle;
  isPublic: boolean;
  publicSlug: string | undefined;
  currentVersion: number;
  /** The evidence list, in order: `[@n]` cites recordIds[n − 1]. */
  recordIds: RecordId[];
  createdBy: { id: UserId; name: string };
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | undefined;
}

export interface BriefingComment {
  id: string;
  version: number;
  sectionKey: string | undefined;
  author: { id: UserId; name: string; role: string };
  body: string;
  createdAt: Date;
}
