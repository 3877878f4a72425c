package dev.antler.luma;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.tasks.Task;
import tools.jackson.databind.node.ObjectNode;

/** Placeholder until the shared result links land. */
final class LumaLinks {

    private LumaLinks() {}

    static String link(Task task, int n) {
        return null;
    }

    static ObjectNode facts(String publicBaseUrl, ClientRequest client) {
        return Json.object();
    }
}
