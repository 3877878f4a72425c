package dev.antler.family;

import static java.util.Objects.requireNonNull;

import dev.antler.files.FileMirror;
import dev.antler.http.Routes;
import dev.antler.images.ImageDialects;
import dev.antler.relay.Relay;
import dev.antler.security.BaseUrlGuard;
import dev.antler.security.ServerSecret;
import dev.antler.store.Database;
import dev.antler.tasks.TaskUpstream;
import dev.antler.tasks.Tasks;
import java.util.concurrent.ExecutorService;

/**
 * What a family mounts with.
 *
 * @param routes        the edge's routing table
 * @param relay         the relay chain (and, through it, the shared services)
 * @param tasks         the task engine, for families with async tasks
 * @param mirror        stores result files under the gateway's own URLs; null when mirroring is off
 * @param blocking      runs blocking work (virtual threads)
 * @param publicBaseUrl the gateway's external base URL for links it hands out; null: from each request's Host
 * @param guard         checks URLs an upstream reports before the gateway fetches them
 * @param taskUpstream  task families' calls outside the relay chain (polls, fetches) under the channel's timeouts
 * @param imageDialects the image families' ways into OpenAI's images route
 * @param secret        the gateway's own secret, from which per-user secrets (webhook signing keys) are derived
 * @param database      the store, for a family's own rows (the Responses API's response owners, realtime's ephemeral keys)
 */
public record FamilyContext(Routes routes, Relay relay, Tasks tasks, FileMirror mirror, ExecutorService blocking,
                            String publicBaseUrl, BaseUrlGuard guard, TaskUpstream taskUpstream,
                            ImageDialects imageDialects, ServerSecret secret, Database database) {

    public FamilyContext {
        requireNonNull(routes, "routes");
        requireNonNull(relay, "relay");
        requireNonNull(tasks, "tasks");
        requireNonNull(blocking, "blocking");
        requireNonNull(guard, "guard");
        requireNonNull(taskUpstream, "taskUpstream");
        requireNonNull(imageDialects, "imageDialects");
        requireNonNull(secret, "secret");
        requireNonNull(database, "database");
    }
}
