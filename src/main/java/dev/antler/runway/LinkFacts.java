package dev.antler.runway;

import dev.antler.relay.ClientRequest;
import tools.jackson.databind.node.ObjectNode;

/** The facts a new task keeps for its result links (the gateway's base URL, an unguessable token), from its request. */
@FunctionalInterface
interface LinkFacts {

    ObjectNode facts(ClientRequest client);
}
