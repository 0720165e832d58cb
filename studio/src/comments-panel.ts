import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { resubscribe } from './resubscribe.js';
import { nameOf } from './people.js';
import { colorOf } from './presence-panel.js';
import type { Vec3 } from './scene-api.js';
import type { Viewport } from './viewport.js';

interface CommentView {
  id: string;
  body: string;
  author: { id: string };
  layer: { id: string } | null;
  anchor: Vec3 | null;
  parent: { id: string } | null;
  resolved: boolean;
  createdAt: string;
  replies: { id: string; body: string; author: { id: string }; createdAt: string }[];
}

const COMMENTS = `query Comments($id: ID!) {
  design(id: $id) { id comments(first: 50) { edges { node {
    id body author { id } parent { id } layer { id } anchor { x y z } resolved createdAt replies { id body author { id } createdAt }
  } } } }
}`;
const ADD = `mutation AddComment($designId: ID!, $input: AddCommentInput!) { addComment(designId: $designId, input: $input) { id } }`;
const REPLY = `mutation Reply($id: ID!, $body: String!) { replyToComment(id: $id, body: $body) { id } }`;
const RESOLVE = `mutation Resolve($id: ID!, $resolved: Boolean!) { resolveComment(id: $id, resolved: $resolved) { id resolved } }`;
// Any comment event means: read the threads again (the event's own shape is left to the service).
const EVENTS = `subscription CommentEvents($designId: ID!) { commentEvents(designId: $designId) { __typename } }`;

/**
 * Comments (issue 14): threads pinned on a layer or on a point of the model (click *Pin on the
 * model*, then the figure), replies and resolve; pins drawn over the view. Shown only where the
 * service has comments (collab-features.ts).
 */
export class CommentsPanel {
  readonly element = h('section', { class: 'panel comments' });
  private comments: CommentView[] = [];
  private anchor: Vec3 | null = null;
  private layerId: string | null = null;
  private picking = false;
  private readonly drafts = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
    private readonly viewport: Viewport,
  ) {
    viewport.element.addEventListener('click', (event) => this.pinAt(event));
    this.unsubscribe = resubscribe(
      gateway,
      EVENTS,
      { designId: store.id },
      () => void this.load(),
      () => void this.load(),
    );
  }

  private async load(): Promise<void> {
    try {
      const { design } = await this.gateway.request<{ design: { comments: { edges: { node: CommentView }[] } } | null }>(COMMENTS, {
        id: this.store.id,
      });
      // Replies show under their thread.
      this.comments = design?.comments.edges.map((e) => e.node).filter((c) => !c.parent) ?? [];
    } catch (error) {
      this.store.notify({ kind: 'error', message: `Comments could not be read: ${(error as Error).message}` });
    }
    this.render();
    // The threads have been read (tests wait for it).
    this.element.dataset.threads = String(this.comments.length);
  }

  private pinAt(event: MouseEvent): void {
    if (!this.picking) return;
    const picked = this.viewport.pick(event);
    if (!picked) return;
    this.anchor = picked.anchor;
    this.layerId = picked.layerId ?? this.layerId;
    this.picking = false;
    this.viewport.element.classList.remove('picking');
    this.render();
  }

  private act(label: string, work: Promise<unknown>): void {
    void work.then(
      () => this.load(),
      (error: Error) => this.store.notify({ kind: 'error', message: `${label} failed: ${error.message}` }),
    );
  }

  private render(): void {
    const names = new Map(this.store.design.layers.map((l) => [l.id, l.name ?? l.catalogItem.name]));
    const threads = this.comments;
    this.viewport.setPins(
      threads.flatMap((c, i) =>
        c.anchor && !c.resolved ? [{ id: c.id, anchor: c.anchor, label: String(i + 1), color: colorOf(c.author.id) }] : [],
      ),
    );
    // What is being typed survives the panel being drawn again (every comment event draws it).
    const focused = (document.activeElement as HTMLElement | null)?.dataset.draft ?? null;
    const draft = (key: string, element: HTMLInputElement | HTMLTextAreaElement) => {
      element.dataset.draft = key;
      element.value = this.drafts.get(key) ?? '';
      element.addEventListener('input', () => this.drafts.set(key, element.value));
      return element;
    };
    const body = draft('new', h('textarea', { class: 'comment-body', rows: 2, placeholder: 'Comment' }));
    const layer = h(
      'select',
      { class: 'comment-layer', onChange: (e: Event) => (this.layerId = (e.target as HTMLSelectElement).value || null) },
      h('option', { value: '' }, 'no layer'),
      ...this.store.design.layers.map((l) => h('option', { value: l.id, selected: l.id === this.layerId }, names.get(l.id)!)),
    );
    const add = () => {
      const input = { body: body.value, layerId: this.layerId, anchor: this.anchor };
      this.anchor = null;
      this.drafts.delete('new');
      this.act('Comment', this.gateway.request(ADD, { designId: this.store.id, input }));
    };
    fill(
      this.element,
      h('h2', {}, `Comments (${threads.filter((c) => !c.resolved).length} open)`),
      body,
      h(
        'div',
        { class: 'row' },
        layer,
        h(
          'button',
          {
            class: 'pin-on-model',
            onClick: () => {
              this.picking = true;
              this.viewport.element.classList.add('picking');
            },
          },
          this.anchor ? 'Pinned ✓' : 'Pin on the model',
        ),
        h('button', { class: 'add-comment', onClick: add }, 'Comment'),
      ),
      ...threads.map((c, i) => {
        const reply = draft(`reply:${c.id}`, h('input', { type: 'text', class: 'reply-body', placeholder: 'Reply' }));
        return h(
          'div',
          { class: `comment${c.resolved ? ' resolved' : ''}`, 'data-comment-id': c.id },
          h('strong', {}, `${c.anchor ? `#${i + 1} ` : ''}${nameOf(c.author.id)}`),
          c.layer ? h('small', {}, ` on ${names.get(c.layer.id) ?? 'a removed layer'}`) : null,
          h('p', {}, c.body),
          h('div', { class: 'replies' }, ...c.replies.map((r) => h('p', {}, h('strong', {}, `${nameOf(r.author.id)} `), r.body))),
          h(
            'div',
            { class: 'row' },
            reply,
            h(
              'button',
              {
                class: 'reply',
                onClick: () => {
                  this.drafts.delete(`reply:${c.id}`);
                  this.act('Reply', this.gateway.request(REPLY, { id: c.id, body: reply.value }));
                },
              },
              'Reply',
            ),
            h(
              'button',
              { class: 'resolve', onClick: () => this.act('Resolve', this.gateway.request(RESOLVE, { id: c.id, resolved: !c.resolved })) },
              c.resolved ? 'Reopen' : 'Resolve',
            ),
          ),
        );
      }),
    );
    if (focused) this.element.querySelector<HTMLElement>(`[data-draft="${focused}"]`)?.focus();
  }

  close(): void {
    this.unsubscribe();
    this.viewport.setPins([]);
  }
}
