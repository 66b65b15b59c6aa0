import { PAGES, apiPresent, type PageProps } from '../../app/pages';
import { href } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty } from '../../components/notes';

/**
 * The stand-in for pages of capabilities built elsewhere (live changes, workflows, experiments,
 * webhooks): says what will be here and whether this server already has the API for it.
 */
export default function UpcomingPage({ route }: PageProps) {
  const { apiPaths } = useSession();
  const page = PAGES.find((p) => p.path === route.parts[0]);
  if (!page) return null;
  const present = apiPresent(page, apiPaths);
  const paths = [...apiPaths].filter((p) => page.api?.some((a) => p === a || p.startsWith(a + '/')));
  return (
    <>
      <h1 tabIndex={-1}>{page.title}</h1>
      <Empty title={`Here: ${page.capability ?? page.title}.`}>
        {present ? (
          <>
            <p>This server has the API for it ({paths.join(', ')}); the page itself is not built yet. Until then, use the API or the CLI.</p>
          </>
        ) : (
          <p>
            This capability is not on this server yet. Everything else is: start from the <a href={href([])}>overview</a>.
          </p>
        )}
      </Empty>
    </>
  );
}
