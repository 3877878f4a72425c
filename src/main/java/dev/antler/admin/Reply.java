package dev.antler.admin;

import tools.jackson.databind.JsonNode;

/** A successful admin answer: a status and a JSON body. */
public record Reply(int status, JsonNode body) {

    public static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    public static Reply created(JsonNode body) {
        return new Reply(201, body);
    }
}
