package dev.antler.cluster;

/**
 * A fast way between the instances beside the store's change table (Redis pub/sub): messages that arrive within
 * milliseconds while it works, and may be lost when it does not, which its receiver is told. Sending never
 * blocks and never throws.
 */
public interface NoticeBus {

    /** Sends {@code message} to every instance listening, this one included, if the bus can. */
    void send(String message);

    /** Starts listening: {@code receiver} is told every message, and when it may have missed some. */
    void listen(Receiver receiver);

    /** What a listening instance is told, on an event loop (hand blocking work elsewhere). */
    interface Receiver {

        /** Listening (again): every message sent from now on arrives; those sent before may have been missed. */
        void listening();

        void message(String message);

        /** Not listening any more (connection lost, {@code problem} says why): messages are missed until {@link #listening}. */
        void deaf(String problem);
    }
}
