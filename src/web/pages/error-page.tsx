import { Layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

const titles: Record<number, string> = {
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That change could not be made',
  413: 'That was too large to send',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
};

export const ErrorPage = ({ context, status, message }: { context: PageContext; status: number; message: string }) => (
  <Layout title={titles[status] ?? 'There is a problem'} context={context}>
    <h1>{titles[status] ?? 'There is a problem'}</h1>
    <p>{message}</p>
    <p>
      <a href="/">Go to your home page</a>
    </p>
  </Layout>
);
