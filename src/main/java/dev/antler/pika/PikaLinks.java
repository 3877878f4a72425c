package dev.antler.pika;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.tasks.Task;
import tools.jackson.databind.node.ObjectNode;

/** Placeholder until the shared result links land. */
final class PikaLinks {

    private PikaLinks() {}

    static String link(Task task, int n) {
        return null;
    }

    static ObjectNode facts(String publicBaseUrl, ClientRequest client) {
        return Json.object();
    }
}
