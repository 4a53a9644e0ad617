import { createApp } from "./app.ts";
import { dispatchScheduled } from "./background/cron.ts";
import { dispatchQueueBatch } from "./background/queues.ts";

export { ConversationRoom } from "./sockets/conversation-room.ts";
export { StreamRelay } from "./sockets/stream-relay.ts";
export { UserHub } from "./sockets/user-hub.ts";
export { LocalVectorIndex } from "./vector/local-vector-index.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, executionCtx) => dispatchQueueBatch(batch, env, executionCtx),
  scheduled: (controller, env, executionCtx) => dispatchScheduled(controller, env, executionCtx),
} satisfies ExportedHandler<Env>;
