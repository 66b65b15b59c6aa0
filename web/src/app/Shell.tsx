import { Suspense, useEffect, useRef, useState } from 'react';
import { Loading } from '../components/notes';
import { PAGES, pageFor } from './pages';
import { href, useRoute } from './router';
import { useSession } from './session';

/**
 * The frame around every page: a skip link, the header with the key in use, the navigation (a menu
 * button on narrow screens) and the page itself. Moving to another page moves focus to its heading.
 */
export function Shell() {
  const route = useRoute();
  const { me, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const page = pageFor(route);
  const path = route.parts[0] ?? '';

  useEffect(() => {
    setMenuOpen(false);
    const h = main.current?.querySelector('h1');
    if (h instanceof HTMLElement && document.activeElement !== document.body && !main.current?.contains(document.activeElement)) h.focus();
    window.scrollTo(0, 0);
  }, [path]);

  const Page = page?.component;
  const scope = me.scopes.includes('admin') ? 'admin' : 'read';
  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.querySelector('h1')?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href([])}>
          <span className="logo" aria-hidden="true" /> segmint
        </a>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <div className="who">
          <span className={`scope scope-${scope}`} title={`key ${me.keyId}`}>
            {me.name ?? me.keyId} · {scope === 'admin' ? 'admin' : 'read only'}
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="nav" className={menuOpen ? 'open' : ''} aria-label="Pages">
        <ul>
          {PAGES.filter((p) => p.group === 'look').map((p) => (
            <li key={p.id}>
              <a href={href(p.path ? [p.path] : [])} aria-current={page?.id === p.id ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <p className="nav-group" id="nav-act">Act and measure</p>
        <ul aria-labelledby="nav-act">
          {PAGES.filter((p) => p.group === 'act').map((p) => (
            <li key={p.id}>
              <a href={href([p.path])} aria-current={page?.id === p.id ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {Page ? (
          <Suspense fallback={<Loading what="Loading the page" />}>
            <Page route={route} />
          </Suspense>
        ) : (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              There is no page at this address. Go to the <a href={href([])}>overview</a>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}
