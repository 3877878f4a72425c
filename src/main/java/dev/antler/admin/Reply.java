package dev.antler.admin;

import tools.jackson.databind.JsonNode;

/** A successful admin answer: a status and a JSON body. */
record Reply(int status, JsonNode body) {

    static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    static Reply created(JsonNode body) {
        return new Reply(201, body);
    }
}
