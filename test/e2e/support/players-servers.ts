/** The servers every player e2e file starts: the page server and two media servers, failing and clean. */
import { startMediaServer, startPageServer, type RunningServer } from './servers.ts';
import { FAILING_FILES } from './players.ts';

export interface PlayerServers {
  pageServer: RunningServer;
  /** Serves every stream's failing file without ACAO (players.ts FAILING_FILES). */
  failingMedia: RunningServer;
  /** The clean control: every file with ACAO. */
  cleanMedia: RunningServer;
  close(): Promise<void>;
}

export async function startPlayerServers(): Promise<PlayerServers> {
  const pageServer = await startPageServer();
  const failingMedia = await startMediaServer({ withoutAllowOrigin: FAILING_FILES });
  const cleanMedia = await startMediaServer({ withoutAllowOrigin: new Set() });
  return {
    pageServer,
    failingMedia,
    cleanMedia,
    close: async () => {
      await pageServer.close();
      await failingMedia.close();
      await cleanMedia.close();
    },
  };
}
