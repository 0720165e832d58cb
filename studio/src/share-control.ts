import { h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { ADD_COLLABORATOR } from './operations.js';

/** For the owner: share the design with another demo user, so that two people can work on it together. */
export function shareControl(store: DesignStore, gateway: Gateway, users: { id: string; name: string }[]): HTMLElement | null {
  const others = users.filter((u) => u.id !== store.design.owner.id);
  if (store.design.viewerRole !== 'OWNER' || others.length === 0) return null;
  const user = h('select', { class: 'share-user' }, ...others.map((u) => h('option', { value: u.id }, u.name)));
  const role = h(
    'select',
    { class: 'share-role' },
    ...['EDITOR', 'COMMENTER', 'VIEWER'].map((r) => h('option', { value: r }, r.toLowerCase())),
  );
  const share = () =>
    void gateway
      .request(ADD_COLLABORATOR, { designId: store.id, userId: user.value, role: role.value })
      .then(() =>
        store.notify({
          kind: 'info',
          message: `Shared with ${user.selectedOptions[0]?.textContent ?? user.value} as ${role.value.toLowerCase()}.`,
        }),
      )
      .catch((error: Error) => store.notify({ kind: 'error', message: `Sharing failed: ${error.message}` }));
  return h('span', { class: 'share' }, 'Share with ', user, role, h('button', { class: 'share-button', onClick: share }, 'Share'));
}
