package dev.antler.luma;

/**
 * The wire format a client used: Luma's official Dream Machine API ({@code /dream-machine/v1/generations}) or the
 * reverse relays' ({@code /luma/generations}). Every task is sent upstream in the official format; the client's is
 * kept with the task so its answers and webhooks come back in the format it used.
 */
enum LumaFormat {
    OFFICIAL("official"),
    REVERSE("reverse");

    final String fact;

    LumaFormat(String fact) {
        this.fact = fact;
    }

    static LumaFormat ofFact(String fact) {
        return REVERSE.fact.equals(fact) ? REVERSE : OFFICIAL;
    }
}
