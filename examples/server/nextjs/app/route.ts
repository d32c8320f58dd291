// The page with the widget, on the same origin as the routes; it sets the session cookie authorize looks for.
export const dynamic = 'force-dynamic';

const page = `<!doctype html>
<html lang="en">
  <meta charset="utf-8" />
  <title>recording-status: Next.js</title>
  <script type="module" src="/recording-status.min.js"></script>
  <recording-status proxy-url="/api/recordings" token-endpoint="/api/token" poll-interval="1000"></recording-status>
  <script type="module">
    const query = new URLSearchParams(location.search);
    const element = document.querySelector('recording-status');
    if (query.get('recording')) element.setAttribute('recording-id', query.get('recording'));
    else if (query.get('meeting')) element.setAttribute('meeting-id', query.get('meeting'));
  </script>
</html>
`;

export function GET(): Response {
  return new Response(page, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Set-Cookie': `session=${crypto.randomUUID()}; Path=/; HttpOnly; SameSite=Lax`,
    },
  });
}
