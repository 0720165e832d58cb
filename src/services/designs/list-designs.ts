import type { DesignEntity } from '../../../entities/design.entity';
import type { DesignCategory, DesignStatus } from '../../../entities/enums';
import type { ServiceContext } from '../../context';
import { DesignError, ErrorCode } from '../../errors/design-error';
import { listDesigns as queryDesigns } from '../../repositories/design-list.repository';
import { DesignOrder, DesignScope } from '../../domain/design-list';
import { cursorPart, decodeCursor, pageSize, toPage, type Page } from '../pagination';

export interface ListDesignsProps {
  scope?: DesignScope | null;
  status?: DesignStatus[] | null;
  category?: DesignCategory[] | null;
  tags?: string[] | null;
  avatarId?: string | null;
  search?: string | null;
  ownerId?: string;
  order?: DesignOrder | null;
  first?: number | null;
  after?: string | null;
}

/** The sort key each order puts in its cursors, as PostgreSQL printed it (design-list.repository casts it back). */
const SORT_KEY_PART = {
  [DesignOrder.LAST_EDITED_DESC]: cursorPart.timestamp,
  [DesignOrder.CREATED_DESC]: cursorPart.timestamp,
  [DesignOrder.NAME_ASC]: cursorPart.text,
  [DesignOrder.MOST_FORKED]: cursorPart.intText,
} satisfies Record<DesignOrder, unknown>;

/**
 * Designs the caller may read, filtered and ordered. With a scope of null (User.designs,
 * Avatar.designs) every readable design qualifies.
 */
export async function listDesigns(ctx: ServiceContext, props: ListDesignsProps): Promise<Page<DesignEntity>> {
  const scope = props.scope ?? null;
  if (!ctx.viewer && (scope === DesignScope.MINE || scope === DesignScope.SHARED_WITH_ME)) {
    throw new DesignError(ErrorCode.Unauthenticated, `Sign in to list ${scope} designs`);
  }
  const order = props.order ?? DesignOrder.LAST_EDITED_DESC;
  const tag = `designs:${order}`;
  const after = decodeCursor(tag, props.after, [SORT_KEY_PART[order], cursorPart.uuid]);
  const page = await queryDesigns(ctx.manager, {
    viewerId: ctx.viewer?.userId ?? null,
    scope,
    ownerId: props.ownerId,
    avatarId: props.avatarId ?? undefined,
    status: props.status ?? undefined,
    category: props.category ?? undefined,
    tags: props.tags ?? undefined,
    search: props.search ?? undefined,
    order,
    first: pageSize(props.first, 20),
    after: after ? { key: after[0], id: after[1] } : undefined,
  });
  return toPage(
    page.rows.map((r) => ({ node: r.design, position: [r.sortKey, r.design.id] })),
    tag,
    page.hasNextPage,
    page.totalCount,
  );
}
