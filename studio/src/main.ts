import { designList } from './design-list.js';
import { openDesign, type OpenDesign } from './design-page.js';
import { fill, h } from './dom.js';
import { Gateway } from './gateway.js';
import { JOIN_DESIGN } from './operations.js';
import { knowPeople } from './people.js';
import { currentSession, signIn, signOut, type Session, type StudioConfig } from './session.js';

/**
 * The web studio: sign in as a demo user, list and create designs, open one (#/designs/<id>).
 * `window.studio` lets the tests and the screenshot command read what a person sees: the frame
 * meter, the canvas's pixels, the open design's revision.
 */
async function main(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as StudioConfig;
  knowPeople(config.users);
  const app = document.getElementById('app')!;
  const userBar = document.getElementById('user')!;
  let gateway: Gateway | null = null;
  let opened: OpenDesign | null = null;

  const showUser = (session: Session | null) => {
    const picker = h(
      'select',
      { class: 'user-picker' },
      ...config.users.map((u) => h('option', { value: u.id, selected: u.id === session?.userId }, u.name)),
    );
    fill(
      userBar,
      picker,
      h('button', { class: 'sign-in', onClick: () => void signIn(picker.value).then(route) }, session ? 'Switch' : 'Sign in'),
      session ? h('button', { class: 'sign-out', onClick: () => (signOut(), void route()) }, 'Sign out') : null,
    );
  };

  const route = async () => {
    opened?.close();
    opened = null;
    await gateway?.close();
    const session = currentSession();
    showUser(session);
    if (!session) {
      const why = joinToken ? 'to join the design you were invited to' : 'to start';
      return fill(app, h('p', { class: 'signed-out' }, `Sign in as one of the demo users ${why}.`));
    }
    gateway = new Gateway({ httpUrl: config.gatewayUrl, wsUrl: config.gatewayWsUrl, token: session.token });
    const open = (id: string) => void (location.hash = `#/designs/${id}`);
    fill(app, h('p', { class: 'loading' }, 'Loading…'));
    try {
      await joinIfAsked(gateway);
      const match = /^#\/designs\/([\w-]+)/.exec(location.hash);
      if (match) {
        opened = await openDesign(gateway, match[1]!, config, session.userId, open);
        fill(app, opened.element);
      } else {
        fill(app, await designList(gateway, open));
      }
    } catch (error) {
      fill(app, h('p', { class: 'error' }, (error as Error).message), h('a', { href: '#/' }, 'Back to the designs'));
    }
  };

  // An address the service sent (APP_URL): /designs/<id> from e-mails, /join/<token> from share links.
  const deepLink = /^\/(designs|join)\/([^/?#]+)/.exec(location.pathname);
  let joinToken = deepLink?.[1] === 'join' ? decodeURIComponent(deepLink[2]!) : null;
  if (deepLink) history.replaceState(null, '', deepLink[1] === 'designs' ? `/#/designs/${deepLink[2]}` : '/');
  const joinIfAsked = async (gateway: Gateway) => {
    if (!joinToken) return;
    const token = joinToken;
    joinToken = null;
    const { joinDesign } = await gateway.request<{ joinDesign: { id: string } }>(JOIN_DESIGN, { token });
    history.replaceState(null, '', `/#/designs/${joinDesign.id}`);
  };

  window.addEventListener('hashchange', () => void route());
  Object.assign(window, {
    studio: {
      frameStats: () => opened?.viewport.meter.stats() ?? null,
      measureFrames: (frames: number) => opened?.viewport.measureFrames(frames) ?? null,
      /** The canvas as drawn now: RGBA rows bottom-up, base64. */
      /** The canvas as drawn now, every `step`-th pixel of every `step`-th row: RGBA, rows bottom-up, base64. */
      readPixels: (step = 1) => {
        if (!opened) return null;
        const { width, height, rgba } = opened.viewport.readPixels();
        const sampled: number[] = [];
        for (let y = 0; y < height; y += step) {
          for (let x = 0; x < width; x += step) sampled.push(...rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
        }
        let binary = '';
        for (let i = 0; i < sampled.length; i += 0x8000) binary += String.fromCharCode(...sampled.slice(i, i + 0x8000));
        return { width: Math.ceil(width / step), height: Math.ceil(height / step), rgba: btoa(binary) };
      },
      design: () => opened?.store.design ?? null,
      drawnScene: () => opened?.viewport.drawnScene ?? null,
      sceneError: () => opened?.viewport.lastError ?? null,
    },
  });
  await route();
}

void main();
