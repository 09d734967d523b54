/**
 * An HTTP proxy that answers CONNECT for one name by opening a tunnel to a local port. It lets a client reach a
 * test server as `https://NAME` (port 443) while the server listens on a free port: `gh` accepts no port in a host
 * name, and binding 443 would need privileges. Clients find it through HTTPS_PROXY, as behind a company proxy; the
 * TLS session runs end to end through the tunnel, so the client still checks the server's certificate for NAME.
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** Every CONNECT target asked for, in order (`name:443`). */
  targets: string[];
}

export async function startConnectProxy(t: { after(fn: () => Promise<void>): void }, name: string, port: number): Promise<ConnectProxy> {
  const targets: string[] = [];
  const proxy = createServer((_request, response) => response.writeHead(405).end());
  proxy.on('connect', (request, client, head) => {
    targets.push(request.url ?? '');
    if (request.url !== `${name}:443`) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    proxy.closeAllConnections();
    proxy.close(() => resolve());
  }));
  const address = proxy.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return { url: `http://127.0.0.1:${address.port}`, targets };
}
