// The widget's token endpoint: { token, expires_in } for whoever is signed in.
import { tokens } from '../../../lib/recordings';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return tokens()(request);
}
