package dev.antler.cluster;

import java.util.ArrayList;
import java.util.List;

/** A notice bus the test carries by hand: delivers each message to every receiver at once, unless told to lose them. */
final class HandBus implements NoticeBus {
    final List<Receiver> receivers = new ArrayList<>();
    final List<String> lost = new ArrayList<>();
    boolean dropping;
    boolean up;

    @Override
    public void send(String message) {
        if (dropping || !up) {
            lost.add(message);
            return;
        }
        receivers.forEach(r -> r.message(message));
    }

    @Override
    public void listen(Receiver receiver) {
        receivers.add(receiver);
    }

    void listening() {
        up = true;
        receivers.forEach(Receiver::listening);
    }

    void deaf(String problem) {
        up = false;
        receivers.forEach(r -> r.deaf(problem));
    }
}
