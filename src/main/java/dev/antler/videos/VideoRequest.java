package dev.antler.videos;

import dev.antler.relay.RequestBody;

/**
 * A create or remix as the gateway read it.
 *
 * @param seconds       {@code seconds} as the client sent it (null: not sent; the upstream's default applies)
 * @param units         the seconds held and, unless the upstream says otherwise, charged
 * @param size          the size checked (a known model's default when not sent), or as sent for other models
 * @param sizeSent      whether the client sent {@code size} (only then is it passed upstream)
 * @param body          the client's body: JSON in memory, or the spooled multipart form
 * @param remixOf       for a remix, the source video's public id; null for a create
 * @param sourceChannel for a remix, the source video's channel (the upstream knows it there only)
 * @param sourceUpstream for a remix, the upstream's id of the source video
 */
record VideoRequest(String prompt, String seconds, long units, String size, boolean sizeSent, RequestBody body,
                    String remixOf, Long sourceChannel, String sourceUpstream) {

    boolean remix() {
        return remixOf != null;
    }
}
