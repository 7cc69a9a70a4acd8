import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildTheme, buildWorkspace, needInput, TEST_PASSWORD, testHasher } from '../../test/support/builders.js';
import {
  BODY_LIMIT_BYTES,
  buildApp,
  cookieNamed,
  csrfFieldOf,
  eventReader,
  openLoginForm,
  postLogin,
  randomIp,
  send,
  signInAs,
  type App,
} from '../../test/support/http.js';
import { MAX_FAILURES_PER_EMAIL } from '../core/accounts/accounts.js';
import { needInputSchema } from '../core/needs/need.schema.js';
import { createServices, type Services } from '../compose.js';
import type { Database } from '../adapters/db/database.js';
import { ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE } from './context.js';

const ORIGIN = 'http://localhost';
/** Where a browser would go for a redirect's Location (WHATWG URL parsing, as browsers do it). */
const destination = (response: Response): URL => new URL(response.headers.get('location') ?? '', `${ORIGIN}/login`);
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe.each(testDatabases)('pages and sessions on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    app = buildApp(services);
  });
  afterAll(async () => {
    await db.close();
  });

  const isSignedIn = async (session: { cookie: string; ip: string }) => (await send(app, '/api/me', { cookies: [session.cookie], ip: session.ip })).status === 200;

  describe('signing in and out', () => {
    it('re-renders the form with 422 and the email kept when the password is wrong', async () => {
      const { requester } = await buildWorkspace(services);
      const response = await postLogin(app, { email: requester.email, password: `${TEST_PASSWORD}!` });
      expect(response.status).toBe(422);
      expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
      const html = await response.text();
      expect(html).toContain(`value="${escapeHtml(requester.email)}"`);
      expect(html).toContain('id="email-error"');
      expect(html).not.toContain(TEST_PASSWORD);
    });

    it(`throttles an email after ${MAX_FAILURES_PER_EMAIL} failures: the next attempt gets 429 even with the right password, from any address`, async () => {
      const { requester } = await buildWorkspace(services);
      for (let attempt = 0; attempt < MAX_FAILURES_PER_EMAIL; attempt += 1) {
        const failed = await postLogin(app, { email: requester.email, password: `wrong password ${attempt}` });
        expect(failed.status).toBe(422);
      }
      const blocked = await postLogin(app, { email: requester.email.toUpperCase(), password: TEST_PASSWORD }, randomIp());
      expect(blocked.status).toBe(429);
      expect(cookieNamed(blocked, SESSION_COOKIE)).toBeUndefined();
      expect(await blocked.text()).toContain(`value="${escapeHtml(requester.email.toUpperCase())}"`);
    });

    it('sets HttpOnly, SameSite cookies, Secure when configured so', async () => {
      const { requester } = await buildWorkspace(services);
      for (const cookieSecure of [false, true]) {
        const configured = buildApp(services, { cookieSecure });
        const ip = randomIp();
        const form = await send(configured, '/login', { ip });
        const anonymous = cookieNamed(form, ANONYMOUS_CSRF_COOKIE);
        expect(anonymous?.attributes.has('httponly')).toBe(true);
        expect(anonymous?.attributes.get('samesite')).toMatch(/^(Strict|Lax)$/);
        expect(anonymous?.attributes.has('secure')).toBe(cookieSecure);
        const signedIn = await send(configured, '/login', {
          ip,
          cookies: [`${ANONYMOUS_CSRF_COOKIE}=${anonymous?.value}`],
          csrf: csrfFieldOf(await form.text()),
          form: { email: requester.email, password: TEST_PASSWORD },
        });
        expect(signedIn.status).toBe(303);
        const session = cookieNamed(signedIn, SESSION_COOKIE);
        expect(session?.value.length).toBeGreaterThanOrEqual(20);
        expect(session?.attributes.has('httponly')).toBe(true);
        expect(session?.attributes.get('samesite')).toMatch(/^(Strict|Lax)$/);
        expect(session?.attributes.get('path')).toBe('/');
        expect(session?.attributes.has('secure')).toBe(cookieSecure);
      }
    });

    it('refuses the sign-in form without the anonymous CSRF token', async () => {
      const { requester } = await buildWorkspace(services);
      const ip = randomIp();
      const login = await openLoginForm(app, ip);
      const withoutCookie = await send(app, '/login', { ip, csrf: login.csrfToken, form: { email: requester.email, password: TEST_PASSWORD } });
      const withoutField = await send(app, '/login', { ip, cookies: [login.cookie], csrf: null, form: { email: requester.email, password: TEST_PASSWORD } });
      for (const response of [withoutCookie, withoutField]) {
        expect(response.status).toBe(403);
        expect(cookieNamed(response, SESSION_COOKIE)).toBeUndefined();
      }
    });

    it('deletes the session on sign-out, so the old cookie no longer works', async () => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const refused = await send(app, '/logout', { session, csrf: null, form: {} });
      expect(refused.status).toBe(403);
      expect(await isSignedIn(session)).toBe(true);

      const response = await send(app, '/logout', { session, form: {} });
      expect(response.status).toBe(303);
      expect(destination(response).pathname).toBe('/login');
      const cleared = cookieNamed(response, SESSION_COOKIE);
      expect(cleared?.value).toBe('');
      expect(cleared?.attributes.get('max-age')).toBe('0');
      expect(await isSignedIn(session)).toBe(false);
      const page = await send(app, '/needs/mine', { session });
      expect(page.status).toBe(303);
      expect(destination(page).pathname).toBe('/login');
    });

    it('changes the password, signing out other sessions but keeping the current one', async () => {
      const { requester } = await buildWorkspace(services);
      const current = await signInAs(app, requester.email, TEST_PASSWORD);
      const other = await signInAs(app, requester.email, TEST_PASSWORD);
      const newPassword = `new ${randomUUID()}`;

      const wrong = await send(app, '/account/password', { session: current, form: { currentPassword: 'not my password', newPassword } });
      expect(wrong.status).toBe(422);
      expect(await wrong.text()).toContain('id="currentPassword-error"');
      expect(await isSignedIn(other)).toBe(true);

      const changed = await send(app, '/account/password', { session: current, form: { currentPassword: TEST_PASSWORD, newPassword } });
      expect(changed.status).toBe(303);
      expect(destination(changed).pathname).toBe('/account');
      expect(await isSignedIn(current)).toBe(true);
      expect(await isSignedIn(other)).toBe(false);
      expect((await postLogin(app, { email: requester.email, password: TEST_PASSWORD })).status).toBe(422);
      expect(await isSignedIn(await signInAs(app, requester.email, newPassword))).toBe(true);
    });
  });

  describe('CSRF on forms', () => {
    it.each([
      ['no _csrf field', null],
      ['a wrong _csrf field', 'forged-token-forged-token'],
    ])('refuses a form post with a valid session but %s, and changes nothing', async (_label, csrf) => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const input = needInput();
      const response = await send(app, '/needs', { session, csrf, form: { title: input.title, question: input.question, decision: input.decision, urgency: 'soon', audiences: ['board'] } });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });

    it('refuses a form body over the limit with 413 and an HTML page for the person signed in', async () => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const response = await send(app, '/needs', { session, form: { title: 'Too long', question: 'x'.repeat(BODY_LIMIT_BYTES), decision: 'Whether to' } });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/<h1>[^<]+<\/h1>/);
      expect(html).toContain('Sign out');
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });
  });

  describe('need pages', () => {
    it('re-renders the need form with 422, the typed title and the message for a missing question', async () => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const blank = await send(app, '/needs/new', { session });
      expect(blank.status).toBe(200);
      const title = `Loneliness "in" rural areas ${randomUUID().slice(0, 8)}`;
      const response = await send(app, '/needs', { session, form: { title, question: '', decision: 'Whether to commission befriending', urgency: 'soon', audiences: ['board'] } });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toMatch(new RegExp(`<input[^>]*id="title"[^>]*value="${escapeHtml(title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
      const expected = needInputSchema.shape.question.safeParse('').error?.issues[0]?.message ?? '';
      expect(expected).not.toBe('');
      expect(html).toMatch(/id="question-error"/);
      expect(html).toContain(escapeHtml(expected));
      expect(html).toContain('nhsuk-error-summary');
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });

    it('lets the requester edit a need from its page until work starts, prefilled and recorded in the history', async () => {
      const { requester, fellow } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput({ audiences: ['board', 'public'] }));
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      expect(await (await send(app, `/needs/${need.id}`, { session })).text()).toContain(`href="/needs/${need.id}/edit"`);
      const form = await (await send(app, `/needs/${need.id}/edit`, { session })).text();
      expect(form).toContain(`value="${escapeHtml(need.title)}"`);
      expect(form).toMatch(/value="public"[^>]*checked/);
      const invalid = await send(app, `/needs/${need.id}/edit`, { session, form: { title: 'Changed title', question: '', decision: need.decision, urgency: 'soon', audiences: ['board'] } });
      expect(invalid.status).toBe(422);
      expect(await invalid.text()).toContain('value="Changed title"');
      const saved = await send(app, `/needs/${need.id}/edit`, { session, form: { title: 'Changed title', question: need.question, decision: need.decision, urgency: 'urgent', audiences: ['board'] } });
      expect(saved.status).toBe(303);
      expect(await services.needs.getNeed(requester.actor, need.id)).toMatchObject({ title: 'Changed title', urgency: 'urgent', organisationId: need.organisationId });
      expect((await services.needs.listHistory(requester.actor, need.id)).map((event) => event.kind)).toEqual(['submitted', 'edited']);
      await services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [] });
      await services.triage.changeStatus(fellow.actor, need.id, { status: 'in_progress' });
      expect((await send(app, `/needs/${need.id}/edit`, { session })).status).toBe(403);
      expect(await (await send(app, `/needs/${need.id}`, { session })).text()).not.toContain(`/needs/${need.id}/edit`);
    });

    it('escapes user content in HTML', async () => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const title = `<script>alert(1)</script> ${randomUUID().slice(0, 8)}`;
      const input = needInput();
      const posted = await send(app, '/needs', { session, form: { title, question: input.question, decision: input.decision, urgency: 'soon', audiences: ['board'] } });
      expect(posted.status).toBe(303);
      const path = destination(posted).pathname;
      expect(path).toMatch(/^\/needs\/[0-9a-f-]{36}$/);
      for (const page of [path, '/needs/mine']) {
        const html = await (await send(app, page, { session })).text();
        expect(html, page).toContain(escapeHtml(title));
        expect(html, page).not.toContain('<script>alert(1)</script>');
      }
    });

    it('sends a visitor who is not signed in to sign in, and back again afterwards', async () => {
      const response = await send(app, '/needs/mine');
      expect(response.status).toBe(303);
      const target = destination(response);
      expect(target.pathname).toBe('/login');
      expect(target.searchParams.get('next')).toBe('/needs/mine');

      const { requester } = await buildWorkspace(services);
      const ip = randomIp();
      const login = await openLoginForm(app, ip, target.search);
      expect(login.html).toContain('name="next" value="/needs/mine"');
      const signedIn = await send(app, '/login', { ip, cookies: [login.cookie], csrf: login.csrfToken, form: { email: requester.email, password: TEST_PASSWORD, next: '/needs/mine' } });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/needs/mine');
    });

    it.each(['//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', '/\n/evil.example', ' //evil.example', '/\\\t\\evil.example'])(
      'refuses the off-site sign-in target %j',
      async (next) => {
        const { requester } = await buildWorkspace(services);
        const ip = randomIp();
        const login = await openLoginForm(app, ip, `?next=${encodeURIComponent(next)}`);
        expect(login.html).not.toContain('evil.example');
        const response = await send(app, '/login', { ip, cookies: [login.cookie], csrf: login.csrfToken, form: { email: requester.email, password: TEST_PASSWORD, next } });
        expect(response.status).toBe(303);
        expect(destination(response).origin).toBe(ORIGIN);
        expect(response.headers.get('location')).not.toContain('evil.example');
      },
    );

    it('shows a 403 page for another organisation’s private need, and a 404 page for an unknown one', async () => {
      const mine = await buildWorkspace(services);
      const other = await buildWorkspace(services);
      const hidden = await services.needs.submitNeed(other.requester.actor, needInput());
      const session = await signInAs(app, mine.requester.email, TEST_PASSWORD);
      const forbidden = await send(app, `/needs/${hidden.id}`, { session });
      expect(forbidden.status).toBe(403);
      expect(await forbidden.text()).not.toContain(escapeHtml(hidden.title));
      expect((await send(app, `/needs/${randomUUID()}`, { session })).status).toBe(404);
      expect((await send(app, `/needs/${hidden.id}/events`, { session })).status).toBe(403);
    });
  });

  describe('the directory', () => {
    it('shows people’s email addresses on an organisation’s page to staff only; others see names, job titles and themes', async () => {
      const { fellow, requester, organisation } = await buildWorkspace(services);
      const theme = await buildTheme(services);
      const email = `${randomUUID()}@partner.example`;
      await services.directory.createPerson(fellow.actor, { name: 'Dr Grace Contact', email, jobTitle: 'Public health lead', organisationId: organisation.id, userId: undefined, themeIds: [theme.id] });
      const others = await Promise.all((['researcher', 'contributor', 'lead', 'admin'] as const).map(async (role) => [role, await buildActor(services, role)] as const));
      for (const [role, person] of [['fellow', fellow], ['requester', requester], ...others] as const) {
        const session = await signInAs(app, person.email, TEST_PASSWORD);
        const response = await send(app, `/organisations/${organisation.id}`, { session });
        expect(response.status, role).toBe(200);
        const html = await response.text();
        expect(html, role).toContain(`Dr Grace Contact, Public health lead (${escapeHtml(theme.name)})`);
        if (role === 'fellow' || role === 'lead' || role === 'admin') {
          expect(html, role).toContain(`<a href="mailto:${email}">${email}</a>`);
        } else {
          expect(html, role).not.toContain(email);
          expect(html, role).not.toContain('mailto:');
        }
      }
    });
  });

  describe('live updates', () => {
    it('streams a fellow’s message to the requester’s open page, but never an internal note', async () => {
      const { requester, fellow } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput());
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      const fellowToken = (await services.accounts.createApiToken(fellow.actor, 'tests')).token;
      const response = await send(app, `/needs/${need.id}/events`, { session });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = eventReader(response);
      try {
        expect((await events.next()).event).toBe('ready');
        const noteId = randomUUID();
        const note = `Internal <b>${noteId}</b>`;
        const message = `Hello & welcome <i>${randomUUID()}</i>`;
        // The note goes first: the bus keeps order, so if it were streamed it would arrive before the message.
        for (const [body, isInternal] of [[note, true], [message, false]] as const) {
          expect((await send(app, `/api/needs/${need.id}/comments`, { token: fellowToken, json: { body, isInternal } })).status).toBe(201);
        }
        const received = await events.next();
        expect(received.event).toBe('comment');
        expect(received.raw).not.toContain(noteId);
        const data = JSON.parse(received.data) as { id: string; authorName: string; html: string };
        expect(data.authorName).toBe(fellow.user.name);
        expect(data.html).toContain(escapeHtml(message));
        expect(data.html).not.toContain(message);
      } finally {
        await events.cancel();
      }
    });

    it('streams internal notes to staff', async () => {
      const { requester, fellow } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput());
      const session = await signInAs(app, fellow.email, TEST_PASSWORD);
      const events = eventReader(await send(app, `/needs/${need.id}/events`, { session }));
      try {
        expect((await events.next()).event).toBe('ready');
        const note = `Internal ${randomUUID()}`;
        await services.needs.addComment(fellow.actor, need.id, { body: note, isInternal: true });
        const received = await events.next();
        expect(received.event).toBe('comment');
        expect((JSON.parse(received.data) as { html: string }).html).toContain(note);
      } finally {
        await events.cancel();
      }
    });
  });

  it('serves the favicon and the design system without a session, and no path outside their folders', async () => {
    const icon = await send(app, '/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    // An .ico file starts with a reserved 0 and type 1.
    expect([...new Uint8Array(await icon.arrayBuffer()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const css = await send(app, '/assets/nhsuk-frontend.min.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await send(app, '/assets/images/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('shows a 500 page with a reference but no SQL when something unexpected fails', async () => {
    const failing: Services = {
      ...services,
      needs: {
        ...services.needs,
        listNeeds: () => {
          throw new Error('syntax error at or near "frm": select * frm needs');
        },
      },
    };
    const failingApp = buildApp(failing);
    const { requester } = await buildWorkspace(services);
    const session = await signInAs(failingApp, requester.email, TEST_PASSWORD);
    const response = await send(failingApp, '/needs/mine', { session });
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain(response.headers.get('x-request-id') ?? 'missing request id');
    expect(html).not.toMatch(/select|frm needs|syntax error/i);
  });
});
