package dev.antler.relay;

import dev.antler.accounts.Principal;

/**
 * An endpoint served by one of several operations, chosen once its body is read — e.g. by the model it names, when
 * some models of the endpoint belong to another family. The chosen operation then runs the chain as if it had been
 * routed directly.
 */
public interface OperationChoice {

    /** How the body is read before the choice. */
    Operation.BodyKind bodyKind();

    /** The operation serving {@code client}'s request for {@code principal}; throws a 4xx when none can. */
    Operation<?> choose(Principal principal, ClientRequest client);
}
