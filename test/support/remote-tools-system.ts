import { startLocalSystem } from '../../infra/local/local-system.ts';
import { DOCS_SECRET, remoteToolsApp } from '../fixtures/remote-mcp/remote-app.ts';
import { startRemoteMcpServer } from './remote-mcp-server.ts';

/**
 * The stand-in remote MCP server (made with the SDK, wanting `token`) and the local system of the
 * app whose tools are its tools, with the server's credentials in the embedded Secrets Manager.
 */
export const startRemoteToolsSystem = async (token: string) => {
  const remote = await startRemoteMcpServer({ token });
  const app = remoteToolsApp(remote.url);
  const system = await startLocalSystem({ app, secrets: { [DOCS_SECRET]: JSON.stringify({ bearerToken: token }) } }).catch(
    async (error: unknown) => {
      await remote.stop();
      throw error;
    },
  );
  return {
    remote,
    app,
    system,
    stop: async () => {
      await system.stop();
      await remote.stop();
    },
  };
};
