import { fill, h } from './dom.js';
import type { Gateway } from './gateway.js';
import { AVATARS, CREATE_DESIGN, DESIGNS } from './operations.js';

interface DesignRow {
  id: string;
  name: string;
  revision: number;
  status: string;
  visibility: string;
  lastEditedAt: string;
  avatar: { name: string } | null;
  layers: { id: string }[];
}

const SCOPES = [
  ['MINE', 'My designs'],
  ['SHARED_WITH_ME', 'Shared with me'],
  ['PUBLIC', 'Public'],
] as const;
const CATEGORIES = ['OUTFIT', 'TOP', 'BOTTOM', 'DRESS', 'OUTERWEAR', 'FULL_COLLECTION'];

/** My designs, those shared with me and the public ones, and a form to create one. */
export async function designList(gateway: Gateway, open: (id: string) => void): Promise<HTMLElement> {
  const element = h('div', { class: 'design-list' });
  const [lists, { avatars }] = await Promise.all([
    Promise.all(SCOPES.map(([scope]) => gateway.request<{ designs: { edges: { node: DesignRow }[] } }>(DESIGNS, { scope }))),
    gateway.request<{ avatars: { id: string; name: string; bodyType: string }[] }>(AVATARS),
  ]);
  const name = h('input', { type: 'text', class: 'new-name', placeholder: 'Name', required: true });
  const avatar = h('select', { class: 'new-avatar' }, ...avatars.map((a) => h('option', { value: a.id }, `${a.name} (${a.bodyType})`)));
  const category = h('select', { class: 'new-category' }, ...CATEGORIES.map((c) => h('option', { value: c }, c.toLowerCase())));
  const error = h('p', { class: 'error' });
  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const input = { id: crypto.randomUUID(), name: name.value.trim() || 'Untitled', avatarId: avatar.value, category: category.value };
      const { createDesign } = await gateway.request<{ createDesign: { id: string } }>(CREATE_DESIGN, { input });
      open(createDesign.id);
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  fill(
    element,
    h(
      'form',
      { class: 'create-design', onSubmit: (e: Event) => void create(e) },
      h('h2', {}, 'New design'),
      name,
      avatar,
      category,
      h('button', { type: 'submit' }, 'Create'),
      error,
    ),
    ...SCOPES.map(([scope, title], i) =>
      h(
        'section',
        { class: `designs designs-${scope.toLowerCase()}` },
        h('h2', {}, title),
        lists[i]!.designs.edges.length === 0
          ? h('p', { class: 'empty' }, 'None yet.')
          : h(
              'ul',
              {},
              ...lists[i]!.designs.edges.map(({ node }) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/designs/${node.id}`, class: 'open-design', 'data-design-id': node.id }, node.name),
                  h(
                    'small',
                    {},
                    ` ${node.avatar?.name ?? 'no avatar'} · ${node.layers.length} layers · ${node.status.toLowerCase()} · rev ${node.revision}`,
                  ),
                ),
              ),
            ),
      ),
    ),
  );
  return element;
}
