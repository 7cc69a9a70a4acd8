import type { Child } from 'hono/jsx';
import { isStaff } from '../core/accounts/roles.js';
import type { PageContext } from './page-context.js';
import { CsrfField } from './components/form.js';

interface LayoutProps {
  title: string;
  context: PageContext;
  hasErrors?: boolean;
  children?: Child;
  scripts?: string[];
}

const navigation = (context: PageContext): { href: string; label: string }[] => {
  const { actor } = context;
  if (!actor) {
    return [];
  }
  const items = isStaff(actor.role)
    ? [
        { href: '/needs', label: 'Triage queue' },
        { href: '/needs/mine', label: 'My needs' },
      ]
    : [{ href: '/needs/mine', label: 'My needs' }];
  return [...items, { href: '/needs/new', label: 'Ask for evidence' }, { href: '/search', label: 'Search' }, { href: '/evidence', label: 'Evidence' }, ...(isStaff(actor.role) || actor.role === 'researcher' ? [{ href: '/reviews', label: 'Reviews' }] : []), ...(isStaff(actor.role) || actor.role === 'contributor' ? [{ href: '/briefings', label: 'Briefings' }] : []), ...(isStaff(actor.role) ? [{ href: '/activities', label: 'Activities' }] : []), ...(actor.role === 'lead' || actor.role === 'admin' ? [{ href: '/dashboard', label: 'Dashboard' }] : []), { href: '/organisations', label: 'Organisations' }, { href: '/themes', label: 'Themes' }, { href: '/alerts', label: context.alertCount ? `New evidence (${context.alertCount})` : 'New evidence' }];
};

/** The page frame: NHS.UK header with the service name, account links and navigation. */
export const Layout = ({ title, context, hasErrors = false, children, scripts = [] }: LayoutProps) => {
  const items = navigation(context);
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${hasErrors ? 'Error: ' : ''}${title} – Mobilise`}</title>
        <link rel="stylesheet" href="/assets/nhsuk-frontend.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <script src="/assets/scripts/js-enabled.js"></script>
        <a class="nhsuk-skip-link" href="#maincontent">
          Skip to main content
        </a>
        <header class="nhsuk-header" role="banner" data-module="nhsuk-header">
          <div class="nhsuk-header__container nhsuk-width-container">
            <div class="nhsuk-header__service">
              <a class="nhsuk-header__service-logo" href="/" aria-label="Mobilise homepage">
                <span class="nhsuk-header__service-name">Mobilise</span>
              </a>
            </div>
            {context.actor ? (
              <nav class="nhsuk-header__account" aria-label="Account">
                <ul class="nhsuk-header__account-list">
                  <li class="nhsuk-header__account-item">
                    <a class="nhsuk-header__account-link" href="/account">
                      {context.actor.name}
                    </a>
                  </li>
                  <li class="nhsuk-header__account-item">
                    <form class="nhsuk-header__account-form" action="/logout" method="post">
                      <CsrfField token={context.csrfToken} />
                      <button class="nhsuk-header__account-button" type="submit">
                        Sign out
                      </button>
                    </form>
                  </li>
                </ul>
              </nav>
            ) : null}
          </div>
          {items.length > 0 ? (
            <nav class="nhsuk-header__navigation" aria-label="Menu">
              <div class="nhsuk-header__navigation-container nhsuk-width-container">
                <ul class="nhsuk-header__navigation-list">
                  {items.map((item) => (
                    <li class="nhsuk-header__navigation-item">
                      <a
                        class="nhsuk-header__navigation-link"
                        href={item.href}
                        aria-current={context.path === item.href ? 'page' : undefined}
                      >
                        {item.label}
                      </a>
                    </li>
                  ))}
                  {/* The design system's script moves the items that do not fit into this "More" menu. */}
                  <li class="nhsuk-header__menu" hidden>
                    <button class="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false">
                      <span class="nhsuk-u-visually-hidden">Browse </span>More
                    </button>
                  </li>
                </ul>
              </div>
            </nav>
          ) : null}
        </header>
        <div class="nhsuk-width-container">
          <main class="nhsuk-main-wrapper" id="maincontent">
            {children}
          </main>
        </div>
        <footer class="nhsuk-footer" role="contentinfo">
          <div class="nhsuk-width-container">
            <div class="nhsuk-footer__meta">
              <p class="nhsuk-body-s">Mobilise: knowledge needs met with evidence. Open source.</p>
            </div>
          </div>
        </footer>
        <script type="module" src="/assets/nhsuk-frontend.min.js"></script>
        <script type="module" src="/assets/scripts/init-nhsuk.js"></script>
        {scripts.map((src) => (
          <script type="module" src={src}></script>
        ))}
      </body>
    </html>
  );
};
